package org.memledger.protocol;

/**
 * Lifecycle of a node. Only ACTIVE and WARNED nodes take new deployments. The numbers are part
 * of the snapshot format: never renumber, only append.
 */
public enum NodeState {
    /** Registered, no report yet: capacity unknown, admits nothing. */
    PENDING(1),
    ACTIVE(2),
    /** Under a warning deadline; still admits. */
    WARNED(3),
    /** Operator drain: keeps what it hosts, admits nothing. */
    DRAINING(4),
    /** No report for the heartbeat timeout; admits nothing until it reports again. */
    DOWN(5),
    /** Terminal: its capacity has left the cluster. */
    EJECTED(6);

    private final int code;

    NodeState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean admits() {
        return this == ACTIVE || this == WARNED;
    }

    public static NodeState fromCode(int code) {
        for (NodeState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown node state code " + code);
    }
}
