package org.memledger.coordinator.raft;

import java.io.IOException;

/**
 * A replica could not start for a reason an operator can fix: a bad flag, a port in use, a data dir
 * that belongs to another cluster. The message is one line that says what and how to fix it; the
 * CLI prints it without a stack trace.
 */
public final class ReplicaStartException extends IOException {
    private static final long serialVersionUID = 1L;

    public ReplicaStartException(String message) {
        super(message);
    }

    public ReplicaStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
