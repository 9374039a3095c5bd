package org.memledger.protocol;

/** A live deployment's standing. The numbers are part of the snapshot format. */
public enum DeploymentStatus {
    /** Placed on all the nodes it asked for. */
    PLACED(1),
    /** Lost a node (removal or ejection) and could not be re-placed there; runs degraded or not at all. */
    DISPLACED(2);

    private final int code;

    DeploymentStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static DeploymentStatus fromCode(int code) {
        for (DeploymentStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown deployment status code " + code);
    }
}
