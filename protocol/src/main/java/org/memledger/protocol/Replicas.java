package org.memledger.protocol;

/**
 * How many nodes a deployment runs on: a count k &ge; 1 on distinct nodes, or every eligible
 * node ({@link #ALL}, replicated execution: every validator runs it).
 */
public record Replicas(int count) {
    /** Sentinel count meaning "every eligible node". */
    public static final int ALL_COUNT = 0;
    public static final Replicas ALL = new Replicas(ALL_COUNT);

    /** Small counts are shared: every decoded Admit asks for one, and a record has no identity to keep. */
    private static final Replicas[] SMALL = new Replicas[17];

    static {
        for (int count = 0; count < SMALL.length; count++) {
            SMALL[count] = count == ALL_COUNT ? ALL : new Replicas(count);
        }
    }

    public static Replicas of(int count) {
        return count >= 0 && count < SMALL.length ? SMALL[count] : new Replicas(count);
    }

    public boolean isAll() {
        return count == ALL_COUNT;
    }

    @Override
    public String toString() {
        return isAll() ? "ALL" : Integer.toString(count);
    }
}
