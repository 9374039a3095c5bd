package org.memledger.protocol;

/**
 * The outcome of applying one command. Business refusals are results with stable codes, never
 * exceptions: an exception while applying a Raft entry would stop the replica.
 */
public sealed interface Result permits Admitted, Rejected, Released, Ack, Ignored, Invalid, BatchResult {

    /** The result's kind, for exhaustive switches and as its wire tag. */
    ResultKind kind();
}
