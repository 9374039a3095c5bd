package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.api.ApiHarness.GIB;
import static org.memledger.coordinator.api.ApiHarness.admitBody;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memledger.coordinator.api.ApiHarness.Reply;
import org.memledger.protocol.Policy;

/**
 * Deadlines reach the gateway and end in 504 in time; the in-flight bound and the gateway's own
 * refusals end in 429 or 503 with Retry-After; nothing waits without bound. "A gateway whose
 * submit never completes" is the embedded ledger with applying paused.
 */
class DeadlinesAndLimitsTest {
    private ApiHarness api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private void start(int maxHeld, java.util.function.Consumer<HttpApiConfig.Builder> config)
            throws InterruptedException {
        api = new ApiHarness(Policy.defaults(), maxHeld, config);
        api.node("n1", "z1", 8 * GIB, 16 * GIB);
    }

    @Test
    void aWriteThatIsNeverAppliedGets504WithinItsDeadlineAndChangesNothing() throws InterruptedException {
        start(64, config -> { });
        String hash = api.stateHash();
        long index = api.appliedIndex();
        api.gateway.pauseApplying();

        long started = System.nanoTime();
        Reply reply = api.send("POST", "/v1/deployments", admitBody("d1", "alice", GIB, 1),
                "X-Request-Timeout", "300ms");
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply.status()).as(reply.toString()).isEqualTo(504);
        assertThat(reply.errorCode()).isEqualTo("DEADLINE_EXCEEDED");
        assertThat(reply.json().path("error").path("message").asText()).contains("300 ms");
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
        ApiHarness.await("the held command is dropped at its deadline", () -> api.gateway.heldCommands() == 0);
        api.gateway.resumeApplying();
        assertThat(api.stateHash()).isEqualTo(hash);
        assertThat(api.appliedIndex()).isEqualTo(index);
        assertThat(api.get("/v1/deployments/d1").status()).isEqualTo(404);
    }

    @Test
    void theDefaultDeadlineAppliesAndALongerAskIsCutToTheMaximum() throws InterruptedException {
        start(64, config -> config.defaultTimeoutMillis(250).maxTimeoutMillis(400));
        api.gateway.pauseApplying();

        Reply byDefault = api.post("/v1/deployments", admitBody("d1", "alice", GIB, 1));
        assertThat(byDefault.status()).isEqualTo(504);
        assertThat(byDefault.json().path("error").path("message").asText()).contains("250 ms");

        Reply capped = api.send("POST", "/v1/deployments", admitBody("d2", "alice", GIB, 1), "X-Request-Timeout", "1m");
        assertThat(capped.status()).isEqualTo(504);
        assertThat(capped.json().path("error").path("message").asText()).contains("400 ms");

        Reply queryForm = api.post("/v1/deployments?timeout=2s", admitBody("d3", "alice", GIB, 1));
        assertThat(queryForm.status()).isEqualTo(504);
        assertThat(queryForm.json().path("error").path("message").asText()).contains("400 ms");
    }

    @Test
    void aHeldWriteCompletesWhenApplyingResumesWithinItsDeadline() throws InterruptedException {
        start(64, config -> { });
        api.gateway.pauseApplying();
        CompletableFuture<Reply> pending = api.sendAsync("POST", "/v1/deployments", admitBody("d1", "alice", GIB, 1),
                "X-Request-Timeout", "20s");
        ApiHarness.await("the admission is held", () -> api.gateway.heldCommands() == 1);

        api.gateway.resumeApplying();

        Reply reply = ApiHarness.join(pending);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.index()).isEqualTo(api.appliedIndex());
    }

    @Test
    void beyondTheInFlightBoundRequestsGet429WithRetryAfterAndProbesStillAnswer() throws InterruptedException {
        start(64, config -> config.maxInFlight(2));
        api.gateway.pauseApplying();
        CompletableFuture<Reply> first = api.sendAsync("POST", "/v1/deployments", admitBody("d1", "alice", GIB, 1),
                "X-Request-Timeout", "20s");
        CompletableFuture<Reply> second = api.sendAsync("POST", "/v1/deployments", admitBody("d2", "alice", GIB, 1),
                "X-Request-Timeout", "20s");
        ApiHarness.await("two requests in flight", () -> api.server.inFlightRequests() == 2);

        Reply third = api.get("/v1/nodes");
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.errorCode()).isEqualTo("OVERLOADED");
        assertThat(third.header("Retry-After")).isEqualTo("1");
        assertThat(api.get("/healthz").status()).isEqualTo(200);
        assertThat(api.get("/readyz").status()).isEqualTo(200);

        api.gateway.resumeApplying();
        assertThat(ApiHarness.join(first).status()).isEqualTo(201);
        assertThat(ApiHarness.join(second).status()).isEqualTo(201);
        ApiHarness.await("slots released", () -> api.server.inFlightRequests() == 0);
        assertThat(api.get("/v1/nodes").status()).isEqualTo(200);
    }

    @Test
    void anOverloadedGatewayIs429AndAnUnavailableOne503BothWithRetryAfter() throws InterruptedException {
        start(1, config -> { });
        api.gateway.pauseApplying();
        CompletableFuture<Reply> held = api.sendAsync("POST", "/v1/deployments", admitBody("d1", "alice", GIB, 1),
                "X-Request-Timeout", "20s");
        ApiHarness.await("the first admission is held", () -> api.gateway.heldCommands() == 1);

        Reply overloaded = api.post("/v1/deployments", admitBody("d2", "alice", GIB, 1));
        assertThat(overloaded.status()).isEqualTo(429);
        assertThat(overloaded.errorCode()).isEqualTo("OVERLOADED");
        assertThat(overloaded.header("Retry-After")).isEqualTo("1");

        api.gateway.close();
        Reply heldAnswer = ApiHarness.join(held);
        assertThat(heldAnswer.status()).isEqualTo(503);
        Reply unavailable = api.post("/v1/deployments", admitBody("d3", "alice", GIB, 1));
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.errorCode()).isEqualTo("UNAVAILABLE");
        assertThat(unavailable.header("Retry-After")).isEqualTo("1");
        assertThat(api.get("/v1/nodes").status()).as("local reads still answer").isEqualTo(200);
    }
}
