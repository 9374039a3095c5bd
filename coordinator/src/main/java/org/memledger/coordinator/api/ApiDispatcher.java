package org.memledger.coordinator.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.concurrent.EventExecutor;

import org.memledger.protocol.json.ErrorBody;
import org.memledger.protocol.json.InvalidFieldException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a read request from a connection to its answer: route, deadline, in-flight bound,
 * authentication, role check, then the route's handler on a handler thread.
 *
 * <p>The order is deliberate. Routing first (404 and 405 reveal nothing the documentation does not
 * say); then the cheap refusals that need no thread (bad deadline, too many in flight); then the
 * token and the role; only then does the handler parse the body. A light route (see {@link Router})
 * with a small body does all of that on the connection's event loop, and its answer is rendered and
 * written there, straight from the gateway's completion; every other route runs on a handler thread.
 * Each request is answered exactly once: by its handler, by its failure, or by the deadline timer,
 * which fires on the connection's event loop at the deadline whether or not the gateway ever
 * completes (a 504 within the deadline, not after some other timeout).
 *
 * <p>The in-flight slot is held from routing until the answer is handed back. Beyond the bound
 * the answer is 429 with {@code Retry-After}, straight from the event loop: work is refused, never
 * queued without limit. Health probes are not counted, so a saturated replica still says it is up.
 */
final class ApiDispatcher {
    static final String INDEX_HEADER = "X-Memledger-Index";
    /** What the Kubernetes API server (and anyone else) may send instead of {@code X-Request-Timeout}. */
    static final String TIMEOUT_PARAM = "timeout";
    private static final int MAX_QUERY_PARAMS = 64;
    /**
     * A light route with a body up to this size runs whole on the connection's event loop: checking a
     * token, parsing a small body and queueing a command take a few microseconds, less than handing
     * the request to a handler thread and waking it. A larger body is parsed on a handler thread so
     * one big request cannot stall the other connections of its loop.
     */
    static final int INLINE_BODY_BYTES = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);

    private final Router router;
    private final BearerAuth auth;
    private final JsonBodies json;
    private final HttpApiConfig config;
    private final ExecutorService handlers;
    private final AtomicInteger inFlight = new AtomicInteger();

    ApiDispatcher(Router router, JsonBodies json, HttpApiConfig config, ExecutorService handlers) {
        this.router = router;
        this.auth = config.auth();
        this.json = json;
        this.config = config;
        this.handlers = handlers;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** A request read from a connection, copied out of Netty's buffers. */
    record Incoming(HttpMethod method, String uri, HttpHeaders headers, byte[] body, boolean keepAlive,
                    Throwable decoderFailure, long startNanos) {
    }

    /** An answer ready to write. {@code close} asks the connection to close after it. */
    record Rendered(int status, Map<String, String> headers, byte[] body, boolean close) {
    }

    /** Answers {@code in}; {@code reply} is called exactly once, from any thread. */
    void dispatch(Incoming in, EventExecutor loop, Consumer<Rendered> reply) {
        Exchange exchange = new Exchange(reply);
        try {
            if (in.decoderFailure() != null) {
                // After a decoding failure the codec discards the connection's input: close. An oversized
                // body was discarded on its own and leaves the connection usable.
                boolean close = !(in.decoderFailure() instanceof TooLongHttpContentException);
                exchange.finish(render(decoderError(in.decoderFailure()), close));
                return;
            }
            QueryStringDecoder uri = new QueryStringDecoder(in.uri(), StandardCharsets.UTF_8, true, MAX_QUERY_PARAMS);
            Router.Match match = router.match(in.method(), uri.rawPath());
            if (!match.found()) {
                exchange.finish(render(unrouted(in, uri, match), false));
                return;
            }
            Router.Route route = match.route();
            long timeoutMillis = timeoutMillis(in, uri);
            if (route.limited() && !exchange.acquire()) {
                exchange.finish(render(ApiError.retryLater(ApiError.Code.OVERLOADED, "this replica already has "
                        + config.maxInFlight() + " requests in flight; retry shortly"), false));
                return;
            }
            RequestDeadline deadline = new RequestDeadline(System::nanoTime, in.startNanos(), timeoutMillis);
            exchange.timeoutMillis = timeoutMillis;
            exchange.timer = loop.schedule(() -> exchange.finish(render(deadlineExceeded(timeoutMillis), false)),
                    deadline.remainingMillis(), TimeUnit.MILLISECONDS);
            if (route.light() && in.body().length <= INLINE_BODY_BYTES) {
                handle(in, uri, match, deadline, exchange, loop);
            } else {
                Executor continuations = route.light() ? loop : handlers;
                handlers.execute(() -> handle(in, uri, match, deadline, exchange, continuations));
            }
        } catch (RejectedExecutionException e) {
            exchange.finish(render(ApiError.retryLater(ApiError.Code.UNAVAILABLE, "the API is shutting down"), true));
        } catch (RuntimeException e) {
            exchange.finish(render(e, false));
        }
    }

    /**
     * Who is calling, may they, and the route's answer; on the event loop for a light route with a
     * small body, else on a handler thread. {@code continuations} is where the route's gateway futures
     * continue: the handler threads, or for a light route the connection's event loop, which then
     * renders and writes the answer without another hand-off.
     */
    private void handle(Incoming in, QueryStringDecoder uri, Router.Match match, RequestDeadline deadline,
                        Exchange exchange, Executor continuations) {
        try {
            Router.Route route = match.route();
            Principal principal = route.open() ? Principal.unauthenticatedAdmin()
                    : auth.authenticate(in.headers().get(HttpHeaderNames.AUTHORIZATION));
            if (!route.roles().contains(principal.role())) {
                throw ApiError.forbidden("a " + principal.role().label() + " token may not call " + route.method()
                        + " " + route.pattern());
            }
            Map<String, List<String>> query = uri.parameters();
            if (query.containsKey(TIMEOUT_PARAM)) {
                query = new LinkedHashMap<>(query);
                query.remove(TIMEOUT_PARAM);
            }
            ApiRequest request = new ApiRequest(in.method(), uri.rawPath(), decodeParams(match.params()), query,
                    in.headers(), in.body(), principal, deadline, continuations);
            route.handler().handle(request).whenComplete((response, failure) ->
                    exchange.finish(failure == null ? render(response) : exchange.render(failure)));
        } catch (Throwable t) {
            exchange.finish(exchange.render(t));
        }
    }

    private static Map<String, String> decodeParams(Map<String, String> raw) {
        if (raw.isEmpty()) {
            return Map.of();
        }
        Map<String, String> decoded = new LinkedHashMap<>();
        raw.forEach((name, value) -> {
            try {
                decoded.put(name, QueryStringDecoder.decodeComponent(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid(name, "path segment '" + value + "' is not valid percent-encoding");
            }
        });
        return decoded;
    }

    private long timeoutMillis(Incoming in, QueryStringDecoder uri) {
        String header = in.headers().get(RequestDeadline.HEADER);
        if (header != null) {
            return RequestDeadline.parseTimeoutMillis(header, config.defaultTimeoutMillis(),
                    config.maxTimeoutMillis(), RequestDeadline.HEADER);
        }
        List<String> param = uri.parameters().get(TIMEOUT_PARAM);
        String value = param == null || param.isEmpty() ? null : param.get(0);
        return RequestDeadline.parseTimeoutMillis(value, config.defaultTimeoutMillis(), config.maxTimeoutMillis(),
                TIMEOUT_PARAM);
    }

    private static ApiError unrouted(Incoming in, QueryStringDecoder uri, Router.Match match) {
        if (match.pathKnown()) {
            return new ApiError(ApiError.Code.METHOD_NOT_ALLOWED, in.method() + " is not allowed on "
                    + uri.rawPath() + "; allowed: " + String.join(", ", match.allowed()), null)
                    .withHeader("Allow", String.join(", ", match.allowed()));
        }
        return ApiError.notFound("no such endpoint: " + in.method() + " " + shorten(uri.rawPath())
                + " (see docs/api.md)");
    }

    private static ApiError decoderError(Throwable failure) {
        if (failure instanceof TooLongHttpContentException) {
            return new ApiError(ApiError.Code.PAYLOAD_TOO_LARGE, failure.getMessage(), "body");
        }
        if (failure instanceof TooLongHttpLineException) {
            return new ApiError(ApiError.Code.URI_TOO_LONG, "the request line is too long", null);
        }
        if (failure instanceof TooLongHttpHeaderException || failure instanceof TooLongFrameException) {
            return new ApiError(ApiError.Code.HEADERS_TOO_LARGE, "the request headers are too large", null);
        }
        return new ApiError(ApiError.Code.MALFORMED_REQUEST, "not a valid HTTP request: "
                + shorten(String.valueOf(failure.getMessage())), null);
    }

    // ---- rendering -----------------------------------------------------------------------------

    private Rendered render(ApiResponse response) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        if (response.ledgerIndex() != null) {
            headers.put(INDEX_HEADER, Long.toString(response.ledgerIndex()));
        }
        return new Rendered(response.status(), headers, json.write(response.body()), false);
    }

    private Rendered render(Throwable failure, boolean close) {
        return render(failure, close, null);
    }

    private Rendered render(Throwable failure, boolean close, Long timeoutMillis) {
        Throwable cause = unwrap(failure);
        ApiError error;
        if (cause instanceof ApiError) {
            error = (ApiError) cause;
        } else if (cause instanceof GatewayException) {
            error = gatewayError((GatewayException) cause, timeoutMillis);
        } else if (cause instanceof InvalidFieldException) {
            error = JsonBodies.invalid((InvalidFieldException) cause);
        } else if (cause instanceof RejectedExecutionException) {
            error = ApiError.retryLater(ApiError.Code.UNAVAILABLE, "the API is shutting down");
        } else {
            LOG.error("internal error while answering a request", cause);
            error = new ApiError(ApiError.Code.INTERNAL, "internal error: " + cause.getClass().getSimpleName()
                    + " (logged on the server)", null);
        }
        if (error.status() >= 500 && error.code() != ApiError.Code.INTERNAL) {
            LOG.debug("answered {} {}: {}", error.status(), error.code(), error.getMessage());
        }
        return new Rendered(error.status(), error.headers(),
                json.write(ErrorBody.of(error.code().name(), error.getMessage(), error.field())), close);
    }

    /**
     * The one 504 message, whether the deadline timer or the gateway noticed first: both are the
     * request's deadline passing, and the client must hear the same thing.
     */
    static ApiError deadlineExceeded(long timeoutMillis) {
        return new ApiError(ApiError.Code.DEADLINE_EXCEEDED, "the request's deadline of " + timeoutMillis
                + " ms passed before it was answered; a write may or may not have been applied: read it back, or"
                + " retry (admission is idempotent by id)", RequestDeadline.HEADER);
    }

    private static ApiError gatewayError(GatewayException e, Long timeoutMillis) {
        switch (e.kind()) {
            case OVERLOADED:
                return ApiError.retryLater(ApiError.Code.OVERLOADED, "the ledger is overloaded: " + e.getMessage());
            case TIMED_OUT:
                if (timeoutMillis != null) {
                    return deadlineExceeded(timeoutMillis);
                }
                return new ApiError(ApiError.Code.DEADLINE_EXCEEDED, "the deadline passed before the command was"
                        + " applied (" + e.getMessage() + "); read it back, or retry (admission is idempotent by id)",
                        RequestDeadline.HEADER);
            case UNAVAILABLE:
            default:
                return ApiError.retryLater(ApiError.Code.UNAVAILABLE, "the ledger is unavailable: " + e.getMessage());
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String shorten(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }

    /** One request's answer: given once, releasing its in-flight slot and cancelling its deadline timer. */
    private final class Exchange {
        private final Consumer<Rendered> reply;
        private final AtomicBoolean answered = new AtomicBoolean();
        private volatile boolean holdsSlot;
        private volatile ScheduledFuture<?> timer;
        private volatile Long timeoutMillis;

        Exchange(Consumer<Rendered> reply) {
            this.reply = reply;
        }

        /** A failure of this request as an answer; a gateway timeout speaks of this request's deadline. */
        Rendered render(Throwable failure) {
            return ApiDispatcher.this.render(failure, false, timeoutMillis);
        }

        boolean acquire() {
            if (inFlight.incrementAndGet() > config.maxInFlight()) {
                inFlight.decrementAndGet();
                return false;
            }
            holdsSlot = true;
            return true;
        }

        void finish(Rendered rendered) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> pending = timer;
            if (pending != null) {
                pending.cancel(false);
            }
            if (holdsSlot) {
                inFlight.decrementAndGet();
            }
            reply.accept(rendered);
        }
    }
}
