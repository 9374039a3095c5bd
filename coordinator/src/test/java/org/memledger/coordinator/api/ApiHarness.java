package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.memledger.coordinator.ledger.Ledger;
import org.memledger.protocol.Policy;
import org.memledger.protocol.json.Json;

/**
 * A real server on a free loopback port over a real embedded ledger, a test clock, and a JDK HTTP
 * client. Tests talk HTTP to it exactly as a client would.
 */
final class ApiHarness implements AutoCloseable {
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Setup requests must not fail on a cold JVM whatever deadline a test configures. */
    static final String SETUP_TIMEOUT = "30s";
    static final long START_MILLIS = 1_795_400_000_000L; // 2026-11-23T02:13:20Z

    final TestClock clock = new TestClock(START_MILLIS);
    final EmbeddedLedgerGateway gateway;
    final HttpApiServer server;
    final URI base;
    /** HTTP/1.1 unless a test swaps in its own client (HTTP/2, TLS). */
    HttpClient http;
    final ObjectMapper mapper = Json.lenient();
    String token;

    ApiHarness() throws InterruptedException {
        this(builder -> { });
    }

    ApiHarness(Consumer<HttpApiConfig.Builder> customize) throws InterruptedException {
        this(Policy.defaults(), customize);
    }

    ApiHarness(Policy policy, Consumer<HttpApiConfig.Builder> customize) throws InterruptedException {
        this(policy, 64, customize);
    }

    ApiHarness(Policy policy, int maxHeld, Consumer<HttpApiConfig.Builder> customize) throws InterruptedException {
        gateway = new EmbeddedLedgerGateway(new Ledger(policy), clock, "api-test", maxHeld);
        // A generous default deadline: a loaded CI machine must not turn ordinary requests into 504s.
        HttpApiConfig.Builder config = HttpApiConfig.builder().host("127.0.0.1").port(0).handlerThreads(4)
                .defaultTimeoutMillis(30_000);
        customize.accept(config);
        server = new HttpApiServer(gateway, config.build());
        server.start();
        base = server.uri();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** One HTTP answer, with its body parsed when it is JSON. */
    record Reply(int status, HttpHeaders headers, String body, JsonNode json) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String errorCode() {
            return json == null ? null : json.path("error").path("code").asText(null);
        }

        String errorField() {
            return json == null ? null : json.path("error").path("field").asText(null);
        }

        long index() {
            return Long.parseLong(header("X-Memledger-Index"));
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply post(String path, String json) {
        return send("POST", path, json);
    }

    Reply put(String path, String json) {
        return send("PUT", path, json);
    }

    Reply delete(String path) {
        return send("DELETE", path, null);
    }

    Reply send(String method, String path, String json, String... headers) {
        return join(sendAsync(method, path, json, headers));
    }

    CompletableFuture<Reply> sendAsync(String method, String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(this::reply);
    }

    private Reply reply(HttpResponse<String> response) {
        JsonNode json = null;
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("application/json")) {
            try {
                json = mapper.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("server sent invalid JSON: " + response.body(), e);
            }
        }
        return new Reply(response.statusCode(), response.headers(), response.body(), json);
    }

    static Reply join(CompletableFuture<Reply> reply) {
        try {
            return reply.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    /** Registers a node and reports it with all of {@code physicalBytes} available. */
    void node(String id, String zone, long declaredBytes, long physicalBytes) {
        Reply registered = send("PUT", "/v1/nodes/" + id, "{\"operator\":\"op-" + id + "\",\"zone\":\"" + zone
                + "\",\"labels\":{},\"declaredBytes\":" + declaredBytes + "}", "X-Request-Timeout", SETUP_TIMEOUT);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
        Reply reported = send("POST", "/v1/nodes/" + id + "/reports", "{\"seq\":1,\"declaredBytes\":" + declaredBytes
                + ",\"physicalBytes\":" + physicalBytes + ",\"availableBytes\":" + physicalBytes
                + ",\"deploymentUsage\":{}}", "X-Request-Timeout", SETUP_TIMEOUT);
        assertThat(reported.status()).as(reported.toString()).isEqualTo(200);
    }

    static String admitBody(String id, String owner, long firmBytes, Object replicas) {
        String r = replicas instanceof String ? "\"" + replicas + "\"" : String.valueOf(replicas);
        return "{\"deploymentId\":\"" + id + "\",\"owner\":\"" + owner + "\",\"firmBytes\":" + firmBytes
                + ",\"replicas\":" + r + "}";
    }

    String stateHash() {
        return gateway.status().stateHash();
    }

    long appliedIndex() {
        return gateway.status().appliedIndex();
    }

    /** Polls {@code condition} until it holds or 10 s pass (no sleeps as synchronisation). */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(POLL_NANOS); // a poll interval, not a synchronisation
        }
    }

    @Override
    public void close() {
        server.close();
        gateway.close();
    }

    /** A clock tests move by hand. */
    static final class TestClock extends Clock {
        private final AtomicLong millis;

        TestClock(long startMillis) {
            millis = new AtomicLong(startMillis);
        }

        void advance(long deltaMillis) {
            millis.addAndGet(deltaMillis);
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
