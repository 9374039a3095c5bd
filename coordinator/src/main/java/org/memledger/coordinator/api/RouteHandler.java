package org.memledger.coordinator.api;

import java.util.concurrent.CompletableFuture;

/**
 * Answers one route. A write returns the gateway's future mapped to an answer and never waits on
 * it. An ordinary route runs on a handler thread, so it may read the ledger at length; a light
 * route ({@link Router#addLight}) runs on the connection's event loop, before and after its gateway
 * call, so it must never block and may do no more than point reads. Throwing {@link ApiError} (or
 * completing exceptionally with it) answers with that error.
 */
@FunctionalInterface
public interface RouteHandler {
    CompletableFuture<ApiResponse> handle(ApiRequest request);
}
