package org.memledger.protocol;

/**
 * The closed set of results as an enum (see {@link CommandKind} for why). The codes are the
 * reply format's tags: never renumber, only append.
 */
public enum ResultKind {
    ADMITTED(1),
    REJECTED(2),
    RELEASED(3),
    ACK(4),
    IGNORED(5),
    INVALID(6),
    BATCH(7);

    private static final ResultKind[] BY_CODE = new ResultKind[16];

    static {
        for (ResultKind kind : values()) {
            BY_CODE[kind.code] = kind;
        }
    }

    private final int code;

    ResultKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind for a wire tag, or null when the tag is unknown. */
    public static ResultKind fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
