package org.memledger.protocol;

/**
 * Why a command could not be applied at all. The numbers are part of the log and snapshot
 * formats: never renumber, only append.
 */
public enum ErrorCode {
    /** A field is missing, malformed or out of range. */
    INVALID_ARGUMENT(1),
    /** The command names a node or deployment the ledger does not know. */
    NOT_FOUND(2),
    /** The command contradicts the current state (for example re-registering an ejected node). */
    CONFLICT(3);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ErrorCode fromCode(int code) {
        for (ErrorCode error : values()) {
            if (error.code == code) {
                return error;
            }
        }
        throw new IllegalArgumentException("unknown error code " + code);
    }
}
