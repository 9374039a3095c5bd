package org.memledger.coordinator.raft;

/** The caller's deadline passed before a result came back (HTTP 504). */
public final class DeadlineExceededException extends SubmitException {
    private static final long serialVersionUID = 1L;

    public DeadlineExceededException(String message, boolean mayHaveBeenApplied) {
        super(message, mayHaveBeenApplied, null);
    }
}
