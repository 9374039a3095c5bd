package org.memledger.protocol.json;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.memledger.protocol.FieldError;
import org.memledger.protocol.Policy;
import org.memledger.protocol.ReserveMode;

/**
 * The whole replicated policy as JSON: {@code GET /v1/policy} returns it and {@code PUT /v1/policy}
 * takes it back (read, change, write). Field names are those of {@link Policy}. Every field is
 * required except {@code defaultOwnerQuotaBytes}, which is null when owners have no default quota.
 */
public record PolicyJson(Long tickMillis, Integer systemReservePct, Long systemReserveMaxBytes, Integer headroomPct,
                         ReserveMode reserveMode, Long defaultFirmBytes, Long maxFirmBytes,
                         Long heartbeatTimeoutMillis, Long minNodeBytes, Long ejectionGraceMillis,
                         Integer hysteresisPct, Integer lowCapacityPct, Long defaultOwnerQuotaBytes,
                         Map<String, Long> ownerQuotaBytes) {

    public static PolicyJson from(Policy p) {
        return new PolicyJson(p.tickMillis(), p.systemReservePct(), p.systemReserveMaxBytes(), p.headroomPct(),
                p.reserveMode(), p.defaultFirmBytes(), p.maxFirmBytes(), p.heartbeatTimeoutMillis(),
                p.minNodeBytes(), p.ejectionGraceMillis(), p.hysteresisPct(), p.lowCapacityPct(),
                p.defaultOwnerQuotaBytes(), p.ownerQuotaBytes());
    }

    /**
     * The policy this object describes, validated.
     *
     * @throws InvalidFieldException naming the first missing or invalid field
     */
    public Policy toPolicy() {
        Policy policy = new Policy(require("tickMillis", tickMillis), require("systemReservePct", systemReservePct),
                require("systemReserveMaxBytes", systemReserveMaxBytes), require("headroomPct", headroomPct),
                require("reserveMode", reserveMode), require("defaultFirmBytes", defaultFirmBytes),
                require("maxFirmBytes", maxFirmBytes), require("heartbeatTimeoutMillis", heartbeatTimeoutMillis),
                require("minNodeBytes", minNodeBytes), require("ejectionGraceMillis", ejectionGraceMillis),
                require("hysteresisPct", hysteresisPct), require("lowCapacityPct", lowCapacityPct),
                defaultOwnerQuotaBytes, new TreeMap<>(require("ownerQuotaBytes", ownerQuotaBytes)));
        Optional<FieldError> error = policy.validate();
        if (error.isPresent()) {
            throw InvalidFieldException.of(error.get());
        }
        return policy;
    }

    private static <T> T require(String field, T value) {
        if (value == null) {
            throw new InvalidFieldException(field, field + " is required (PUT /v1/policy takes the whole policy:"
                    + " GET it, change it, PUT it back)");
        }
        return value;
    }
}
