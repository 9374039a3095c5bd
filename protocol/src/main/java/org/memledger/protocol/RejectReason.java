package org.memledger.protocol;

/**
 * Why an admission was refused, in the order the checks run. The numbers are part of the
 * log and snapshot formats: never renumber, only append.
 */
public enum RejectReason {
    INVALID_BOUNDS(1),
    DUPLICATE_ID(2),
    QUOTA_EXCEEDED(3),
    INSUFFICIENT_BALANCE(4),
    INSUFFICIENT_MEMORY(5),
    NO_ELIGIBLE_NODES(6);

    private final int code;

    RejectReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static RejectReason fromCode(int code) {
        for (RejectReason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown reject reason code " + code);
    }
}
