package org.memledger.protocol;

/**
 * A deployment was refused. {@code maxAdmissibleBytes} is the largest firm limit that would be
 * admitted right now with the same replicas and spread (0 when none would), so a client can resize.
 */
public record Rejected(String deploymentId, RejectReason reason, String message, long maxAdmissibleBytes)
        implements Result {
    @Override
    public ResultKind kind() {
        return ResultKind.REJECTED;
    }
}
