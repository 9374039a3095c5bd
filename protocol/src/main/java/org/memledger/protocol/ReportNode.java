package org.memledger.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A node agent's measurement. {@code seq} must increase: a report whose seq is not greater
 * than the last applied one is ignored, so agents can retry without double effects.
 * {@code deploymentUsage} maps deployment id to measured bytes and is the full picture for
 * the node (deployments missing from it are taken as using nothing).
 */
public record ReportNode(String nodeId, long seq, long declaredBytes, long physicalBytes, long availableBytes,
                         SortedMap<String, Long> deploymentUsage) implements Command {
    public ReportNode {
        // Copied through the Map constructor (natural key order whatever the caller's comparator) and
        // frozen: the ledger keeps this map, and readers must not be able to change it.
        deploymentUsage = Collections.unmodifiableSortedMap(deploymentUsage == null ? new TreeMap<>()
                : new TreeMap<>((Map<String, Long>) deploymentUsage));
    }

    @Override
    public CommandKind kind() {
        return CommandKind.REPORT_NODE;
    }
}
