package org.memledger.nodeagent;

/** Clocks that move only when a test says so. */
final class ManualTime implements AgentTime {
    private long wallMillis;
    private long monotonicMillis;

    ManualTime(long wallMillis) {
        this.wallMillis = wallMillis;
    }

    @Override
    public synchronized long wallMillis() {
        return wallMillis;
    }

    @Override
    public synchronized long monotonicMillis() {
        return monotonicMillis;
    }

    /** Moves both clocks forward. */
    synchronized void advance(long millis) {
        wallMillis += millis;
        monotonicMillis += millis;
    }

    /** Moves both clocks to monotonic time {@code millis} (never backwards). */
    synchronized void advanceTo(long millis) {
        advance(Math.max(0, millis - monotonicMillis));
    }

    /** Steps the wall clock alone, as NTP might. */
    synchronized void stepWall(long millis) {
        wallMillis += millis;
    }
}
