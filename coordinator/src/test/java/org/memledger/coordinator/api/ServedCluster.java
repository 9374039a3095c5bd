package org.memledger.coordinator.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.memledger.coordinator.raft.ClusterIdentity;
import org.memledger.coordinator.raft.LoopbackPorts;
import org.memledger.coordinator.raft.PeerList;
import org.memledger.coordinator.raft.Replica;
import org.memledger.coordinator.raft.ReplicaConfig;
import org.memledger.coordinator.raft.ReplicaGateway;
import org.memledger.protocol.json.Json;

/**
 * Three real replicas on loopback, each with the HTTP API in front of it as {@code memledger
 * coordinator} serves them, and a plain HTTP client for talking to them: the set-up of every
 * end-to-end cluster test (shared through the coordinator's test-jar).
 */
public final class ServedCluster implements AutoCloseable {
    public static final int SIZE = 3;

    private final Replica[] replicas = new Replica[SIZE];
    private final HttpApiServer[] servers = new HttpApiServer[SIZE];
    private final URI[] apis = new URI[SIZE];
    private final String requestTimeout;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper mapper = Json.lenient();

    private ServedCluster(String requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /**
     * Starts the replicas (1–2 s election timeout, then {@code tuning}) and their APIs.
     *
     * @param requestTimeout the {@code X-Request-Timeout} every request of {@link #send} carries
     */
    public static ServedCluster start(String name, Path dir, String requestTimeout,
                                      UnaryOperator<ReplicaConfig.Builder> tuning) throws IOException, InterruptedException {
        ServedCluster cluster = new ServedCluster(requestTimeout);
        int[] ports = LoopbackPorts.free(SIZE);
        PeerList peers = PeerList.parse("n1=127.0.0.1:" + ports[0] + ",n2=127.0.0.1:" + ports[1] + ",n3=127.0.0.1:"
                + ports[2]);
        for (int i = 0; i < SIZE; i++) {
            ReplicaConfig config = tuning.apply(ReplicaConfig.builder(
                            ClusterIdentity.of(name, "n" + (i + 1), peers), dir.resolve("n" + (i + 1)))
                    .electionTimeout(Duration.ofMillis(1_000), Duration.ofMillis(2_000)))
                    .build();
            cluster.replicas[i] = Replica.start(config);
            cluster.servers[i] = new HttpApiServer(new ReplicaGateway(cluster.replicas[i]), HttpApiConfig.builder()
                    .host("127.0.0.1").port(0).handlerThreads(4).defaultTimeoutMillis(30_000).build());
            cluster.servers[i].start();
            cluster.apis[i] = cluster.servers[i].uri();
        }
        return cluster;
    }

    /** Replica {@code i}, or null once stopped. */
    public Replica replica(int i) {
        return replicas[i];
    }

    /** Where replica {@code i}'s API was served (still known after it stopped). */
    public URI api(int i) {
        return apis[i];
    }

    /** Closes replica {@code i}'s API, then the replica with {@code stop} (a clean close, or a crash). Idempotent. */
    public void stop(int i, Consumer<Replica> stop) {
        if (servers[i] != null) {
            servers[i].close();
            servers[i] = null;
        }
        if (replicas[i] != null) {
            stop.accept(replicas[i]);
            replicas[i] = null;
        }
    }

    /** One HTTP request to replica {@code i}'s API, with a JSON body when {@code body} is not null. */
    public Reply send(int i, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(apis[i].resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("X-Request-Timeout", requestTimeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode json = response.body().isEmpty() ? mapper.missingNode() : mapper.readTree(response.body());
            return new Reply(response.statusCode(), response, json);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " on replica " + i, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops every replica that still runs, cleanly. */
    @Override
    public void close() {
        for (int i = 0; i < SIZE; i++) {
            stop(i, Replica::close);
        }
    }

    /** An answer: status, the whole response, and its body as JSON (missing when empty). */
    public record Reply(int status, HttpResponse<String> response, JsonNode json) {
        public String body() {
            return response.body();
        }

        public long index() {
            return Long.parseLong(response.headers().firstValue("X-Memledger-Index").orElseThrow());
        }

        public String errorCode() {
            return json.path("error").path("code").asText(null);
        }

        public String errorField() {
            return json.path("error").path("field").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + response.body();
        }
    }
}
