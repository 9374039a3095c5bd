package org.memledger.protocol.json;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to an agent report: {@code ACCEPTED}, or {@code IGNORED} with the reason (a seq that
 * is not after the last applied one: the agent retried, which is safe).
 */
public record ReportResponse(String status, String nodeId, long seq,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String message, long ledgerIndex) {
    public static final String ACCEPTED = "ACCEPTED";
    public static final String IGNORED = "IGNORED";
}
