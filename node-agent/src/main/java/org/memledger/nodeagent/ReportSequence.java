package org.memledger.nodeagent;

/**
 * Report sequence numbers: {@code seq = max(lastSeq + 1, wallMillis)}.
 *
 * <p>The ledger ignores a report whose seq is not above the last one it applied, which is what
 * makes retries safe; so seq must increase for the life of the node, across agent restarts,
 * although the agent keeps no state on disk. Wall-clock milliseconds give that: a restarted agent
 * starts from the current time, which is past every seq the previous run issued as long as that
 * run never got ahead of the clock. It cannot get far ahead: the {@code lastSeq + 1} branch only
 * wins when two reports fall in the same millisecond or the clock steps back, and the agent sends
 * a few reports per second at most, so its lead over the clock is a few milliseconds plus any
 * backward step. Within one run, {@code lastSeq + 1} keeps seq strictly increasing whatever the
 * clock does.
 *
 * <p>Not thread-safe: owned by the agent's loop.
 */
final class ReportSequence {
    private long lastSeq;

    long next(long wallMillis) {
        lastSeq = Math.max(lastSeq + 1, wallMillis);
        return lastSeq;
    }

    long last() {
        return lastSeq;
    }
}
