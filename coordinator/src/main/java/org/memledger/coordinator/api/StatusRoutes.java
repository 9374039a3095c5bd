package org.memledger.coordinator.api;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.netty.handler.codec.http.HttpMethod;

import org.memledger.protocol.json.StatusJson;

/**
 * {@code GET /v1/status} (the replica's role, term, applied index and state hash), and the two
 * probes that need no token: {@code /healthz} (the process answers) and {@code /readyz} (the
 * replica knows a leader, so writes can be served: a leader, or a follower that knows its leader).
 */
final class StatusRoutes {
    static final String LEADER = "LEADER";
    static final String FOLLOWER = "FOLLOWER";

    private final LedgerGateway gateway;

    StatusRoutes(LedgerGateway gateway) {
        this.gateway = gateway;
    }

    void register(Router router) {
        router.add(HttpMethod.GET, "/v1/status", EnumSet.allOf(Role.class), this::status);
        router.addOpen(HttpMethod.GET, "/healthz", this::health);
        router.addOpen(HttpMethod.GET, "/readyz", this::ready);
    }

    private CompletableFuture<ApiResponse> status(ApiRequest request) {
        request.allowQuery(Set.of());
        ReplicaStatus s = gateway.status();
        return CompletableFuture.completedFuture(ApiResponse.ok(new StatusJson(s.replicaId(), s.role(), s.leaderId(),
                s.term(), s.appliedIndex(), s.stateHash(), s.peers()), s.appliedIndex()));
    }

    private CompletableFuture<ApiResponse> health(ApiRequest request) {
        return CompletableFuture.completedFuture(ApiResponse.unindexed(200, Map.of("status", "UP")));
    }

    private CompletableFuture<ApiResponse> ready(ApiRequest request) {
        ReplicaStatus s = gateway.status();
        boolean ready = LEADER.equals(s.role()) || (FOLLOWER.equals(s.role()) && s.leaderId() != null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "READY" : "NOT_READY");
        body.put("role", s.role());
        body.put("leaderId", s.leaderId());
        ApiResponse response = ApiResponse.of(ready ? 200 : 503, body, s.appliedIndex());
        return CompletableFuture.completedFuture(ready ? response : response.withHeader("Retry-After",
                ApiError.RETRY_AFTER_SECONDS));
    }
}
