package org.memledger.coordinator.raft;

/** The log could not be reached: the replica is shutting down, or Raft gave up (HTTP 503). */
public final class ReplicaUnavailableException extends SubmitException {
    private static final long serialVersionUID = 1L;

    public ReplicaUnavailableException(String message, boolean mayHaveBeenApplied, Throwable cause) {
        super(message, mayHaveBeenApplied, cause);
    }
}
