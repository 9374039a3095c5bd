package org.memledger.coordinator.api;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.netty.handler.codec.http.HttpMethod;

import org.memledger.protocol.Admit;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.DeploymentView;
import org.memledger.protocol.Identifiers;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.Release;
import org.memledger.protocol.Released;
import org.memledger.protocol.Result;
import org.memledger.protocol.json.AdmissionResponse;
import org.memledger.protocol.json.AdmitRequest;
import org.memledger.protocol.json.DeploymentJson;
import org.memledger.protocol.json.DeploymentList;
import org.memledger.protocol.json.InvalidFieldException;
import org.memledger.protocol.json.ReleaseResponse;
import org.memledger.protocol.json.Times;

/**
 * {@code /v1/deployments}: admit (201 admitted, 200 an identical repeat, 409 rejected), dry-run
 * check (200 either way, nothing written), read, release and list.
 *
 * <p>A client token acts for one owner. Its deployments are the only ones it can see: another
 * owner's deployment answers 404 exactly as a missing one does, so ids of other tenants do not leak.
 */
final class DeploymentRoutes {
    static final int DEFAULT_PAGE_SIZE = 100;
    private static final Set<Role> WRITERS = EnumSet.of(Role.ADMIN, Role.CLIENT);

    private final LedgerCalls ledger;
    private final JsonBodies json;
    private final int maxPageSize;

    DeploymentRoutes(LedgerCalls ledger, JsonBodies json, int maxPageSize) {
        this.ledger = ledger;
        this.json = json;
        this.maxPageSize = maxPageSize;
    }

    void register(Router router) {
        router.addLight(HttpMethod.POST, "/v1/deployments", WRITERS, this::admit);
        router.add(HttpMethod.POST, "/v1/deployments:check", WRITERS, this::check);
        router.add(HttpMethod.GET, "/v1/deployments", EnumSet.allOf(Role.class), this::list);
        router.addLight(HttpMethod.GET, "/v1/deployments/{id}", EnumSet.allOf(Role.class), this::get);
        router.addLight(HttpMethod.DELETE, "/v1/deployments/{id}", WRITERS, this::release);
    }

    private CompletableFuture<ApiResponse> admit(ApiRequest request) {
        request.allowQuery(Set.of());
        Admit admit = admitCommand(request);
        return ledger.submit(request, admit).thenApply(result -> admitted(result, admit));
    }

    private ApiResponse admitted(Result result, Admit admit) {
        switch (result.kind()) {
            case ADMITTED: {
                Admitted admitted = (Admitted) result;
                return ApiResponse.of(admitted.duplicate() ? 200 : 201,
                        AdmissionResponse.admitted(admitted, admitted.admittedIndex()), admitted.admittedIndex());
            }
            case REJECTED: {
                long index = ledger.appliedIndex();
                return ApiResponse.of(409, AdmissionResponse.rejected((Rejected) result, index), index);
            }
            default:
                throw LedgerCalls.unexpected(result);
        }
    }

    /** The dry run: the ledger's answer against the state this replica has applied (200 either way). */
    private CompletableFuture<ApiResponse> check(ApiRequest request) {
        request.allowQuery(Set.of(LedgerCalls.CONSISTENCY));
        Admit admit = admitCommand(request);
        JsonBodies.validate(admit);
        return ledger.read(request, views -> Boolean.TRUE).thenApply(caughtUp -> {
            LedgerGateway.ReadResult<Result> checked = ledger.gateway().check(admit);
            Result result = checked.value();
            long index = checked.ledgerIndex();
            switch (result.kind()) {
                case ADMITTED:
                    return ApiResponse.ok(AdmissionResponse.admitted((Admitted) result, index), index);
                case REJECTED:
                    return ApiResponse.ok(AdmissionResponse.rejected((Rejected) result, index), index);
                default:
                    throw LedgerCalls.unexpected(result);
            }
        });
    }

    private Admit admitCommand(ApiRequest request) {
        AdmitRequest body = json.read(request, AdmitRequest.class);
        Principal caller = request.principal();
        if (body.owner() == null && caller.role() == Role.CLIENT) {
            body = body.withOwner(caller.owner());
        }
        Admit admit;
        try {
            admit = body.toCommand();
        } catch (InvalidFieldException e) {
            throw JsonBodies.invalid(e);
        }
        JsonBodies.validate(admit);
        if (!caller.actsFor(admit.owner())) {
            throw ApiError.forbidden("this token acts for owner '" + caller.owner() + "' and cannot admit for owner '"
                    + admit.owner() + "'");
        }
        return admit;
    }

    private CompletableFuture<ApiResponse> get(ApiRequest request) {
        request.allowQuery(Set.of(LedgerCalls.CONSISTENCY));
        String id = request.id("id", "deploymentId");
        return ledger.read(request, views -> views.deployment(id)).thenApply(read -> {
            DeploymentView view = visible(read.value(), request.principal(), id);
            return ApiResponse.ok(DeploymentJson.from(view, read.ledgerIndex()), read.ledgerIndex());
        });
    }

    private CompletableFuture<ApiResponse> release(ApiRequest request) {
        request.allowQuery(Set.of());
        String id = request.id("id", "deploymentId");
        Optional<DeploymentView> local = ledger.gateway().read(views -> views.deployment(id)).value();
        // Admitted through another replica a moment ago? This one may not have applied it yet: only a
        // miss pays for a linearizable read, so a release anywhere sees every acknowledged admission.
        CompletableFuture<Optional<DeploymentView>> found = local.isPresent()
                ? CompletableFuture.completedFuture(local)
                : ledger.readLinearizable(request, views -> views.deployment(id)).thenApply(read -> read.value());
        return found.thenCompose(existing -> {
            DeploymentView view = visible(existing, request.principal(), id);
            if (!request.principal().actsFor(view.owner())) {
                throw ApiError.forbidden("this token cannot release deployments");
            }
            return ledger.submit(request, new Release(id));
        }).thenApply(result -> {
            if (result.kind() != org.memledger.protocol.ResultKind.RELEASED) {
                throw LedgerCalls.unexpected(result);
            }
            Released released = (Released) result;
            long index = ledger.appliedIndex();
            return ApiResponse.ok(new ReleaseResponse(ReleaseResponse.RELEASED, released.deploymentId(),
                    Times.format(released.releasedAtMillis()), index), index);
        });
    }

    private CompletableFuture<ApiResponse> list(ApiRequest request) {
        request.allowQuery(Set.of("owner", "after", "limit", LedgerCalls.CONSISTENCY));
        String owner = optionalId(request, "owner");
        String after = optionalId(request, "after");
        int limit = limit(request);
        Principal caller = request.principal();
        if (caller.role() == Role.CLIENT) {
            if (owner != null && !owner.equals(caller.owner())) {
                throw ApiError.forbidden("this token may list only the deployments of owner '" + caller.owner() + "'");
            }
            owner = caller.owner();
        }
        String ownerFilter = owner;
        return ledger.read(request, views -> views.deployments(ownerFilter, after, limit + 1)).thenApply(read -> {
            List<DeploymentView> views = read.value();
            boolean more = views.size() > limit;
            List<DeploymentJson> page = new ArrayList<>();
            for (DeploymentView view : more ? views.subList(0, limit) : views) {
                page.add(DeploymentJson.from(view, null));
            }
            String next = more ? page.get(page.size() - 1).deploymentId() : null;
            return ApiResponse.ok(new DeploymentList(read.ledgerIndex(), page, next), read.ledgerIndex());
        });
    }

    private int limit(ApiRequest request) {
        String text = request.queryParam("limit");
        if (text == null) {
            return Math.min(DEFAULT_PAGE_SIZE, maxPageSize);
        }
        if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > maxPageSize) {
            throw ApiError.invalid("limit", "limit must be an integer from 1 to " + maxPageSize + ", was '"
                    + (text.length() > 20 ? text.substring(0, 20) + "…" : text) + "'");
        }
        return Integer.parseInt(text);
    }

    private static String optionalId(ApiRequest request, String name) {
        String value = request.queryParam(name);
        if (value != null && !Identifiers.isValid(value)) {
            throw ApiError.invalid(name, Identifiers.explain(name, value));
        }
        return value;
    }

    /** The deployment if the caller may see it; 404 alike for missing and for another owner's. */
    private static DeploymentView visible(Optional<DeploymentView> view, Principal caller, String id) {
        if (view.isEmpty() || !caller.sees(view.get().owner())) {
            throw ApiError.notFound("deployment '" + id + "' is not live (never admitted, already released,"
                    + " or not visible to this token)");
        }
        return view.get();
    }
}
