package org.memledger.protocol;

/**
 * The closed set of commands as an enum, so that Java 17 code can switch over commands
 * exhaustively (pattern matching for switch is not final in 17). The codes are the log
 * format's tags: never renumber, only append.
 */
public enum CommandKind {
    REGISTER_NODE(1),
    REPORT_NODE(2),
    ADMIT(3),
    RELEASE(4),
    SET_POLICY(5),
    DRAIN_NODE(6),
    REMOVE_NODE(7),
    TICK(8),
    BATCH(9);

    private static final CommandKind[] BY_CODE = new CommandKind[16];

    static {
        for (CommandKind kind : values()) {
            BY_CODE[kind.code] = kind;
        }
    }

    private final int code;

    CommandKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind for a wire tag, or null when the tag is unknown. */
    public static CommandKind fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
