package org.memledger.protocol;

/** What a deployment reserves on each node it is placed on. */
public enum ReserveMode {
    /** Reserve the firm limit (the safe default: the deployment can never be OOM-killed by a neighbour). */
    FIRM(1),
    /** Reserve only the minimum (denser packing, relies on measured usage for safety). */
    MIN(2);

    private final int code;

    ReserveMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ReserveMode fromCode(int code) {
        for (ReserveMode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown reserve mode code " + code);
    }
}
