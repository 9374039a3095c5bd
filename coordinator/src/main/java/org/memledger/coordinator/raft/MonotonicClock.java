package org.memledger.coordinator.raft;

/**
 * Milliseconds on this JVM's monotonic clock, always positive: the time base of request deadlines.
 * Deadlines are durations ("what is left of the caller's time"), so they must not move when the wall
 * clock is stepped (NTP, a resumed VM); they never leave this process, so no other machine needs to
 * agree with them. Ledger time is a different thing: the leader's wall clock, stamped into entries.
 */
final class MonotonicClock {
    /** Fixed at class load; a constant, not state. */
    private static final long ORIGIN_NANOS = System.nanoTime();

    private MonotonicClock() {
    }

    static long millis() {
        return (System.nanoTime() - ORIGIN_NANOS) / 1_000_000 + 1;
    }
}
