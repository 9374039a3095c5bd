package org.memledger.protocol;

/**
 * One entry of the replicated log: the leader's time stamp and one command (often a {@link Batch}).
 * Time is the only way the clock reaches the ledger.
 */
public record LogEntry(long timeMillis, Command command) {
}
