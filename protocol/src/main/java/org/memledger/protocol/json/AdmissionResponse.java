package org.memledger.protocol.json;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import org.memledger.protocol.Admitted;
import org.memledger.protocol.Rejected;

/**
 * The answer to an admission or a dry run. {@code status} is {@code ADMITTED} (with placements,
 * remaining bytes and warnings) or {@code REJECTED} (with reason, message and the largest firm
 * limit that would be admitted right now); fields of the other case are left out.
 * {@code duplicate} is true when an identical earlier admission is being answered again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdmissionResponse(String status, String deploymentId, List<String> placements, Long remainingBytes,
                                List<WarningJson> warnings, Boolean duplicate, String reason, String message,
                                Long maxAdmissibleBytes, long ledgerIndex) {
    public static final String ADMITTED = "ADMITTED";
    public static final String REJECTED = "REJECTED";

    public static AdmissionResponse admitted(Admitted admitted, long ledgerIndex) {
        return new AdmissionResponse(ADMITTED, admitted.deploymentId(), admitted.placements(),
                admitted.remainingBytes(), List.of(), admitted.duplicate(), null, null, null, ledgerIndex);
    }

    public static AdmissionResponse rejected(Rejected rejected, long ledgerIndex) {
        return new AdmissionResponse(REJECTED, rejected.deploymentId(), null, null, null, null,
                rejected.reason().name(), rejected.message(), rejected.maxAdmissibleBytes(), ledgerIndex);
    }

    @JsonIgnore
    public boolean isAdmitted() {
        return ADMITTED.equals(status);
    }
}
