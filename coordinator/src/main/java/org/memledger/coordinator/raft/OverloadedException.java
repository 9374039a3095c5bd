package org.memledger.coordinator.raft;

/** The replica already holds its limit of in-flight commands; nothing was written. Retry after a pause (HTTP 429). */
public final class OverloadedException extends SubmitException {
    private static final long serialVersionUID = 1L;

    public OverloadedException(String message) {
        super(message, false, null);
    }
}
