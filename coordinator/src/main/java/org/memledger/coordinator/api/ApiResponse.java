package org.memledger.coordinator.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a route handler answers: a status, a JSON body (any object the protocol mappers can write)
 * and extra headers. {@code ledgerIndex}, when known, is sent as {@code X-Memledger-Index}.
 */
public record ApiResponse(int status, Object body, Long ledgerIndex, Map<String, String> headers) {
    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse ok(Object body, long ledgerIndex) {
        return new ApiResponse(200, body, ledgerIndex, Map.of());
    }

    public static ApiResponse of(int status, Object body, long ledgerIndex) {
        return new ApiResponse(status, body, ledgerIndex, Map.of());
    }

    /** An answer that reflects no particular ledger index (health, errors before any read). */
    public static ApiResponse unindexed(int status, Object body) {
        return new ApiResponse(status, body, null, Map.of());
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new TreeMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, body, ledgerIndex, more);
    }
}
