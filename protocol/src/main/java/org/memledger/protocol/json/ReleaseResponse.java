package org.memledger.protocol.json;

/** {@code DELETE /v1/deployments/{id}}: the reservation ended at {@code releasedAt} (ledger time). */
public record ReleaseResponse(String status, String deploymentId, String releasedAt, long ledgerIndex) {
    public static final String RELEASED = "RELEASED";
}
