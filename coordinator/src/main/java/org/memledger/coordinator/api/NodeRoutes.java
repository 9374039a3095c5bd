package org.memledger.coordinator.api;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.netty.handler.codec.http.HttpMethod;

import org.memledger.protocol.Command;
import org.memledger.protocol.DrainNode;
import org.memledger.protocol.Ignored;
import org.memledger.protocol.NodeView;
import org.memledger.protocol.RemoveNode;
import org.memledger.protocol.ReportNode;
import org.memledger.protocol.Result;
import org.memledger.protocol.json.CapacityJson;
import org.memledger.protocol.json.InvalidFieldException;
import org.memledger.protocol.json.NodeJson;
import org.memledger.protocol.json.NodeList;
import org.memledger.protocol.json.RegisterNodeRequest;
import org.memledger.protocol.json.ReportRequest;
import org.memledger.protocol.json.ReportResponse;

/**
 * {@code /v1/nodes} and {@code /v1/capacity}: register or re-declare a node, take an agent's
 * report, drain and remove (operator actions), and read per-node and cluster figures.
 *
 * <p>Writes answer with the node as this replica sees it right after the write was applied
 * (register, drain, remove) or with ACCEPTED / IGNORED (a report whose seq is not new is ignored,
 * so agents may retry). An operator token may write only the nodes its scope names.
 */
final class NodeRoutes {
    private static final Set<Role> NODE_WRITERS = EnumSet.of(Role.ADMIN, Role.OPERATOR);

    private final LedgerCalls ledger;
    private final JsonBodies json;

    NodeRoutes(LedgerCalls ledger, JsonBodies json) {
        this.ledger = ledger;
        this.json = json;
    }

    void register(Router router) {
        Set<Role> everyone = EnumSet.allOf(Role.class);
        router.add(HttpMethod.GET, "/v1/nodes", everyone, this::list);
        router.addLight(HttpMethod.GET, "/v1/nodes/{id}", everyone, this::get);
        router.addLight(HttpMethod.PUT, "/v1/nodes/{id}", NODE_WRITERS, this::registerNode);
        router.add(HttpMethod.DELETE, "/v1/nodes/{id}", NODE_WRITERS, this::remove);
        router.addLight(HttpMethod.POST, "/v1/nodes/{id}/reports", NODE_WRITERS, this::report);
        router.add(HttpMethod.POST, "/v1/nodes/{id}:drain", NODE_WRITERS, this::drain);
        router.add(HttpMethod.GET, "/v1/capacity", everyone, this::capacity);
    }

    private CompletableFuture<ApiResponse> list(ApiRequest request) {
        request.allowQuery(Set.of(LedgerCalls.CONSISTENCY));
        return ledger.read(request, views -> views.nodes()).thenApply(read -> {
            List<NodeJson> nodes = new ArrayList<>(read.value().size());
            for (NodeView view : read.value()) {
                nodes.add(NodeJson.from(view, null));
            }
            return ApiResponse.ok(new NodeList(read.ledgerIndex(), nodes), read.ledgerIndex());
        });
    }

    private CompletableFuture<ApiResponse> get(ApiRequest request) {
        request.allowQuery(Set.of(LedgerCalls.CONSISTENCY));
        String id = request.id("id", "nodeId");
        return ledger.read(request, views -> views.node(id))
                .thenApply(read -> nodeAnswer(read.value(), id, read.ledgerIndex()));
    }

    private CompletableFuture<ApiResponse> capacity(ApiRequest request) {
        request.allowQuery(Set.of(LedgerCalls.CONSISTENCY));
        return ledger.read(request, views -> views.capacity())
                .thenApply(read -> ApiResponse.ok(CapacityJson.from(read.value()), read.ledgerIndex()));
    }

    private CompletableFuture<ApiResponse> registerNode(ApiRequest request) {
        request.allowQuery(Set.of());
        String id = managedId(request);
        RegisterNodeRequest body = json.read(request, RegisterNodeRequest.class);
        Command command;
        try {
            command = body.toCommand(id);
        } catch (InvalidFieldException e) {
            throw JsonBodies.invalid(e);
        }
        return ledger.submit(request, command).thenApply(result -> nodeAfterWrite(result, id));
    }

    private CompletableFuture<ApiResponse> report(ApiRequest request) {
        request.allowQuery(Set.of());
        String id = managedId(request);
        ReportRequest body = json.read(request, ReportRequest.class);
        ReportNode command;
        try {
            command = body.toCommand(id);
        } catch (InvalidFieldException e) {
            throw JsonBodies.invalid(e);
        }
        return ledger.submit(request, command).thenApply(result -> {
            long index = ledger.appliedIndex();
            switch (result.kind()) {
                case ACK:
                    return ApiResponse.ok(new ReportResponse(ReportResponse.ACCEPTED, id, command.seq(), null, index),
                            index);
                case IGNORED:
                    return ApiResponse.ok(new ReportResponse(ReportResponse.IGNORED, id, command.seq(),
                            ((Ignored) result).message(), index), index);
                default:
                    throw LedgerCalls.unexpected(result);
            }
        });
    }

    private CompletableFuture<ApiResponse> drain(ApiRequest request) {
        request.allowQuery(Set.of());
        String id = managedId(request);
        json.readEmpty(request);
        return ledger.submit(request, new DrainNode(id)).thenApply(result -> nodeAfterWrite(result, id));
    }

    /** Removal is terminal (EJECTED); removing an ejected node again answers the node as it is. */
    private CompletableFuture<ApiResponse> remove(ApiRequest request) {
        request.allowQuery(Set.of());
        String id = managedId(request);
        return ledger.submit(request, new RemoveNode(id)).thenApply(result -> nodeAfterWrite(result, id));
    }

    private String managedId(ApiRequest request) {
        String id = request.id("id", "nodeId");
        if (!request.principal().manages(id)) {
            throw ApiError.forbidden("this token may not manage node '" + id + "'");
        }
        return id;
    }

    private ApiResponse nodeAfterWrite(Result result, String id) {
        if (result.kind() != org.memledger.protocol.ResultKind.ACK
                && result.kind() != org.memledger.protocol.ResultKind.IGNORED) {
            throw LedgerCalls.unexpected(result);
        }
        LedgerGateway.ReadResult<Optional<NodeView>> read = ledger.gateway().read(views -> views.node(id));
        return nodeAnswer(read.value(), id, read.ledgerIndex());
    }

    private static ApiResponse nodeAnswer(Optional<NodeView> view, String id, long index) {
        if (view.isEmpty()) {
            throw ApiError.notFound("node '" + id + "' is not registered");
        }
        return ApiResponse.ok(NodeJson.from(view.get(), index), index);
    }
}
