package org.memledger.nodeagent;

import java.util.Map;

import org.memledger.nodeagent.memory.MemoryReading;

/**
 * When a new reading differs enough from the last one sent to report it at once instead of at
 * the next interval. A figure has moved when it changed by more than {@code thresholdPct} percent
 * of its base:
 * <ul>
 *   <li>physical memory: of the last physical figure;</li>
 *   <li>available memory: of the last <em>physical</em> figure, so that a nearly full node does
 *       not report on every few megabytes (2 % of 100 MiB available would be 2 MiB);</li>
 *   <li>a deployment's usage: of its last usage, but never of less than
 *       {@link #USAGE_FLOOR_BYTES}, so that tiny deployments do not report on kilobytes;</li>
 *   <li>a deployment appearing or disappearing always counts.</li>
 * </ul>
 * Integer arithmetic only; a threshold of 0 reports every change.
 */
final class Readings {
    static final long USAGE_FLOOR_BYTES = 1L << 20;

    private Readings() {
    }

    static boolean movedBeyond(MemoryReading sent, MemoryReading now, int thresholdPct) {
        long nodeBase = sent.physicalBytes();
        if (moved(sent.physicalBytes(), now.physicalBytes(), nodeBase, thresholdPct)
                || moved(sent.availableBytes(), now.availableBytes(), nodeBase, thresholdPct)
                || !sent.deploymentUsage().keySet().equals(now.deploymentUsage().keySet())) {
            return true;
        }
        for (Map.Entry<String, Long> usage : sent.deploymentUsage().entrySet()) {
            long before = usage.getValue();
            if (moved(before, now.deploymentUsage().get(usage.getKey()), Math.max(before, USAGE_FLOOR_BYTES),
                    thresholdPct)) {
                return true;
            }
        }
        return false;
    }

    /** {@code |after − before| > base · pct / 100}, exactly, for non-negative figures. */
    static boolean moved(long before, long after, long base, int pct) {
        return Math.abs(after - before) > percentFloor(base, pct);
    }

    /**
     * {@code floor(value · pct / 100)} without overflow for any non-negative value and
     * {@code 0 <= pct <= 100}: split value into hundreds and a remainder before multiplying.
     */
    static long percentFloor(long value, int pct) {
        return (value / 100) * pct + (value % 100) * pct / 100;
    }
}
