package org.memledger.coordinator.api;

/** Why a write or linearizable read could not be served; the API maps each kind to a status code. */
public final class GatewayException extends RuntimeException {
    /** What went wrong, in terms a client can act on. */
    public enum Kind {
        /** Too many commands in flight on this replica: retry later (429). */
        OVERLOADED,
        /** The caller's deadline passed before the command was applied (504). */
        TIMED_OUT,
        /** No leader, shutting down, or the log could not be reached (503). */
        UNAVAILABLE
    }

    private final Kind kind;

    public GatewayException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public GatewayException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
