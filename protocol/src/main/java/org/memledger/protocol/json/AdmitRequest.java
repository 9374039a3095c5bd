package org.memledger.protocol.json;

import org.memledger.protocol.Admit;
import org.memledger.protocol.Replicas;

/**
 * {@code POST /v1/deployments} and {@code POST /v1/deployments:check}. Sizes are whole bytes;
 * {@code replicas} is a count or {@code "ALL"} and defaults to 1; {@code minBytes} and
 * {@code firmBytes} may be left out (the policy default firm limit; min = firm).
 */
public record AdmitRequest(String deploymentId, String owner, Long minBytes, Long firmBytes, Replicas replicas,
                           Boolean zoneSpread, Integer priority) {

    /**
     * The command this request asks for. Checks what the JSON types cannot say (sizes are
     * positive); ids, replicas and priority are left to {@code CommandValidator}.
     *
     * @throws InvalidFieldException naming the field
     */
    public Admit toCommand() {
        positive("minBytes", minBytes);
        positive("firmBytes", firmBytes);
        return new Admit(deploymentId, owner, minBytes, firmBytes, replicas == null ? Replicas.of(1) : replicas,
                Boolean.TRUE.equals(zoneSpread), priority == null ? 0 : priority);
    }

    /** The same request for another owner (a client token's own owner when the body names none). */
    public AdmitRequest withOwner(String newOwner) {
        return new AdmitRequest(deploymentId, newOwner, minBytes, firmBytes, replicas, zoneSpread, priority);
    }

    private static void positive(String field, Long bytes) {
        if (bytes != null && bytes <= 0) {
            throw new InvalidFieldException(field, field + ": must be a positive number of bytes, was " + bytes);
        }
    }
}
