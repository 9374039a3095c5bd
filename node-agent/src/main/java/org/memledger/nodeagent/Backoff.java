package org.memledger.nodeagent;

import java.util.SplittableRandom;

/**
 * Retry delays after failures: {@code min · 2^(failures−1)}, capped at {@code max}, each jittered
 * by ±10 % so that agents that lost the same coordinator at the same moment do not return to it in
 * lockstep. The random generator is injected (seeded in tests). Not thread-safe: owned by the
 * agent's loop.
 */
final class Backoff {
    /** Past this many doublings every delay is the cap; stops the shift from overflowing. */
    private static final int MAX_DOUBLINGS = 30;

    private final long minMillis;
    private final long maxMillis;
    private int failures;

    Backoff(long minMillis, long maxMillis) {
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
    }

    /** Counts a failure and returns how long to wait before the next attempt. */
    long nextDelayMillis(SplittableRandom random) {
        int doublings = Math.min(failures, MAX_DOUBLINGS);
        failures++;
        long delay = minMillis << doublings;
        return jitter(delay < minMillis || delay > maxMillis ? maxMillis : delay, random);
    }

    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }

    /** {@code millis} ± 10 %, uniformly. */
    static long jitter(long millis, SplittableRandom random) {
        long spread = millis / 10;
        return spread == 0 ? millis : millis + random.nextLong(-spread, spread + 1);
    }
}
