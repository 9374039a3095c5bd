package org.memledger.nodeagent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP exchange with one coordinator, over the JDK's {@link HttpClient}: JSON in, status and
 * body out, the bearer token on every request. Which coordinator to ask, and what to make of the
 * answer, is {@link CoordinatorLink}'s business.
 *
 * <p>HTTP/1.1 only (a plain-http HTTP/2 upgrade attempt buys nothing for one small request every
 * few seconds). Redirects are followed except from https to http. Answers are read up to
 * {@link #MAX_ANSWER_BYTES}: the agent only quotes them, and an endless body must not exhaust it.
 */
final class CoordinatorClient {
    static final int MAX_ANSWER_BYTES = 1 << 20;
    private static final String USER_AGENT = "memledger-agent";

    private final HttpClient http;
    private final String token;
    private final Duration requestTimeout;

    /** @param token bearer token, or null for none */
    CoordinatorClient(String token, long connectTimeoutMillis, long requestTimeoutMillis) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(connectTimeoutMillis))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.token = token;
        this.requestTimeout = Duration.ofMillis(requestTimeoutMillis);
    }

    /**
     * @param base     a coordinator base URL (no trailing slash)
     * @param path     the API path, e.g. {@code /v1/nodes/n1}
     * @param jsonBody the request body, or null for none
     * @throws IOException when the coordinator did not answer (refused, timed out, reset, too long)
     */
    Answer exchange(URI base, String method, String path, String jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw new IOException("answer longer than " + MAX_ANSWER_BYTES + " bytes");
            }
            return new Answer(response.statusCode(), new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** An HTTP answer: its status code and body text. */
    record Answer(int status, String body) {
    }
}
