package org.memledger.coordinator.api;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.memledger.coordinator.ledger.LedgerViews;
import org.memledger.protocol.Command;
import org.memledger.protocol.Invalid;
import org.memledger.protocol.Result;

/**
 * How routes talk to the gateway: shape-checked writes with the request's remaining deadline,
 * reads at the consistency the request asks for, and the ledger's {@link Invalid} results as errors.
 */
final class LedgerCalls {
    static final String CONSISTENCY = "consistency";
    static final String LOCAL = "local";
    static final String LINEARIZABLE = "linearizable";

    private final LedgerGateway gateway;

    LedgerCalls(LedgerGateway gateway) {
        this.gateway = gateway;
    }

    LedgerGateway gateway() {
        return gateway;
    }

    /**
     * Submits {@code command} after {@link JsonBodies#validate}: a malformed command never reaches
     * the log. The gateway gets what is left of the request's deadline.
     */
    CompletableFuture<Result> submit(ApiRequest request, Command command) {
        JsonBodies.validate(command);
        long remaining = request.remainingMillis();
        if (remaining <= 0) {
            throw deadlineExceeded(request);
        }
        return gateway.submit(command, remaining).thenApplyAsync(Function.identity(), request.executor());
    }

    /** A read at the request's {@code ?consistency=} ({@code local}, the default, or {@code linearizable}). */
    <T> CompletableFuture<LedgerGateway.ReadResult<T>> read(ApiRequest request, Function<LedgerViews, T> query) {
        if (linearizable(request)) {
            return readLinearizable(request, query);
        }
        return CompletableFuture.completedFuture(gateway.read(query));
    }

    /** A read that sees every write acknowledged anywhere in the cluster before it began. */
    <T> CompletableFuture<LedgerGateway.ReadResult<T>> readLinearizable(ApiRequest request,
                                                                      Function<LedgerViews, T> query) {
        long remaining = request.remainingMillis();
        if (remaining <= 0) {
            throw deadlineExceeded(request);
        }
        return gateway.readLinearizable(query, remaining).thenApplyAsync(Function.identity(), request.executor());
    }

    /** Whether the request asks for a linearizable read; a value other than the two is a 400. */
    static boolean linearizable(ApiRequest request) {
        String value = request.queryParam(CONSISTENCY);
        if (value == null || value.equals(LOCAL)) {
            return false;
        }
        if (value.equals(LINEARIZABLE)) {
            return true;
        }
        throw ApiError.invalid(CONSISTENCY, "consistency must be 'local' or 'linearizable', was '" + value + "'");
    }

    /** The replica's applied index now: at least the index of any write that has just completed here. */
    long appliedIndex() {
        return gateway.appliedIndex();
    }

    /** The ledger refused the command outright: its error code decides the status. */
    static ApiError refused(Invalid invalid) {
        String field = invalid.field() == null || invalid.field().isEmpty() ? null : invalid.field();
        switch (invalid.code()) {
            case NOT_FOUND:
                return new ApiError(ApiError.Code.NOT_FOUND, invalid.message(), field);
            case CONFLICT:
                return new ApiError(ApiError.Code.CONFLICT, invalid.message(), field);
            case INVALID_ARGUMENT:
            default:
                return new ApiError(ApiError.Code.INVALID_ARGUMENT, invalid.message(), field);
        }
    }

    /** A result this route cannot produce: a bug between the API and the ledger, not the client's fault. */
    static ApiError unexpected(Result result) {
        if (result.kind() == org.memledger.protocol.ResultKind.INVALID) {
            return refused((Invalid) result);
        }
        return new ApiError(ApiError.Code.INTERNAL, "unexpected ledger result " + result.kind(), null);
    }

    static ApiError deadlineExceeded(ApiRequest request) {
        return ApiDispatcher.deadlineExceeded(request.deadline().timeoutMillis());
    }
}
