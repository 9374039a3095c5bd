package org.memledger.coordinator.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import org.memledger.protocol.Identifiers;

/**
 * One request as route handlers see it: the matched route's path parameters, the query, headers,
 * the body bytes (already bounded), who is calling and when its deadline passes. Immutable, so a
 * handler may hand it to any thread.
 */
public final class ApiRequest {
    private final HttpMethod method;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final byte[] body;
    private final Principal principal;
    private final RequestDeadline deadline;
    private final Executor executor;

    ApiRequest(HttpMethod method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
               HttpHeaders headers, byte[] body, Principal principal, RequestDeadline deadline, Executor executor) {
        this.method = method;
        this.path = path;
        this.pathParams = Map.copyOf(pathParams);
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.principal = principal;
        this.deadline = deadline;
        this.executor = executor;
    }

    /**
     * Where continuations of gateway futures run: the handler threads, or for a light route the
     * connection's event loop; never the thread that completed the future (a Raft apply thread
     * must not end up serialising JSON or reading the ledger).
     */
    public Executor executor() {
        return executor;
    }

    public HttpMethod method() {
        return method;
    }

    public String path() {
        return path;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    public Principal principal() {
        return principal;
    }

    public RequestDeadline deadline() {
        return deadline;
    }

    /** What is left of the deadline, in ms (at least 0): the timeout handed to the gateway. */
    public long remainingMillis() {
        return deadline.remainingMillis();
    }

    /** A path parameter that must be a valid id; a bad one is a 400 naming {@code field}. */
    public String id(String param, String field) {
        String value = pathParams.get(param);
        if (!Identifiers.isValid(value)) {
            throw ApiError.invalid(field, Identifiers.explain(field, value));
        }
        return value;
    }

    /** Refuses query parameters this endpoint does not take (a typo must not silently change a read). */
    public void allowQuery(Set<String> names) {
        for (String name : query.keySet()) {
            if (!names.contains(name)) {
                throw ApiError.invalid(name, "unknown query parameter '" + name + "'"
                        + (names.isEmpty() ? "; this endpoint takes none" : "; known: " + String.join(", ",
                        names.stream().sorted().toList())));
            }
        }
    }

    /** A query parameter given at most once; null when absent. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiError.invalid(name, "query parameter '" + name + "' is given " + values.size() + " times");
        }
        return values.get(0);
    }
}
