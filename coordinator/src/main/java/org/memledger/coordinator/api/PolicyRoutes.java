package org.memledger.coordinator.api;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.netty.handler.codec.http.HttpMethod;

import org.memledger.protocol.Policy;
import org.memledger.protocol.SetPolicy;
import org.memledger.protocol.json.InvalidFieldException;
import org.memledger.protocol.json.PolicyJson;

/**
 * {@code GET /v1/policy} returns the whole policy; {@code PUT /v1/policy} (admin) takes the whole
 * object back. The body is only the policy (its index travels in {@code X-Memledger-Index}), so
 * what GET returns can be PUT unchanged.
 */
final class PolicyRoutes {
    private final LedgerCalls ledger;
    private final JsonBodies json;

    PolicyRoutes(LedgerCalls ledger, JsonBodies json) {
        this.ledger = ledger;
        this.json = json;
    }

    void register(Router router) {
        router.add(HttpMethod.GET, "/v1/policy", EnumSet.allOf(Role.class), this::get);
        router.add(HttpMethod.PUT, "/v1/policy", EnumSet.of(Role.ADMIN), this::put);
    }

    private CompletableFuture<ApiResponse> get(ApiRequest request) {
        request.allowQuery(Set.of(LedgerCalls.CONSISTENCY));
        return ledger.read(request, views -> views.policy())
                .thenApply(read -> ApiResponse.ok(PolicyJson.from(read.value()), read.ledgerIndex()));
    }

    private CompletableFuture<ApiResponse> put(ApiRequest request) {
        request.allowQuery(Set.of());
        Policy policy;
        try {
            policy = json.read(request, PolicyJson.class).toPolicy();
        } catch (InvalidFieldException e) {
            throw JsonBodies.invalid(e);
        }
        return ledger.submit(request, new SetPolicy(policy)).thenApply(result -> {
            if (result.kind() != org.memledger.protocol.ResultKind.ACK) {
                throw LedgerCalls.unexpected(result);
            }
            LedgerGateway.ReadResult<Policy> read = ledger.gateway().read(views -> views.policy());
            return ApiResponse.ok(PolicyJson.from(read.value()), read.ledgerIndex());
        });
    }
}
