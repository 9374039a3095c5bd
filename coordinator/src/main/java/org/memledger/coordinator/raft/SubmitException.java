package org.memledger.coordinator.raft;

/**
 * Why a command (or a linearizable read) was not answered with a result. Three kinds, each with a
 * clear client action: {@link OverloadedException} (retry later), {@link DeadlineExceededException}
 * (the caller's time ran out), {@link ReplicaUnavailableException} (no quorum, shutting down).
 *
 * <p>{@link #mayHaveBeenApplied()} tells whether the command had already been handed to Raft: if
 * so its outcome is unknown, and the client should retry the same command (admissions are
 * idempotent by id and spec, reports by seq) or read before acting again. If not, nothing was written.
 */
public abstract sealed class SubmitException extends RuntimeException
        permits OverloadedException, DeadlineExceededException, ReplicaUnavailableException {
    private static final long serialVersionUID = 1L;

    private final boolean mayHaveBeenApplied;

    SubmitException(String message, boolean mayHaveBeenApplied, Throwable cause) {
        super(message, cause);
        this.mayHaveBeenApplied = mayHaveBeenApplied;
    }

    /** True when the command reached Raft before failing: its outcome is unknown. */
    public boolean mayHaveBeenApplied() {
        return mayHaveBeenApplied;
    }
}
