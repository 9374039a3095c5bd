package org.memledger.coordinator.api;

import java.util.concurrent.CompletableFuture;

/**
 * Answers one route. Runs on a handler thread, never on a Netty event loop, so it may read the
 * ledger; a write returns the gateway's future mapped to an answer and never waits on it. For a
 * light route ({@link Router#addLight}) what follows the gateway's future runs on the event loop
 * and may do no more than point reads. Throwing {@link ApiError} (or completing exceptionally with
 * it) answers with that error.
 */
@FunctionalInterface
public interface RouteHandler {
    CompletableFuture<ApiResponse> handle(ApiRequest request);
}
