package org.memledger.coordinator.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * A request the API answers with an error: {@code {"error":{"code","message","field"}}} and the
 * status its {@link Code} fixes. Thrown by route handlers and helpers; the server turns it into
 * the answer, so nothing behind a thrown {@code ApiError} reaches the log.
 */
public final class ApiError extends RuntimeException {

    /** The stable error codes of the API, each with its one HTTP status (docs/api.md lists them). */
    public enum Code {
        /** A field, header, path segment or query parameter is missing, of the wrong type or out of range. */
        INVALID_ARGUMENT(400),
        /** The body is not JSON (syntax, encoding, duplicate key, trailing content). */
        MALFORMED_JSON(400),
        /** The body has a field this endpoint does not know. */
        UNKNOWN_FIELD(400),
        /** Not a well-formed HTTP request. */
        MALFORMED_REQUEST(400),
        UNAUTHENTICATED(401),
        PERMISSION_DENIED(403),
        NOT_FOUND(404),
        METHOD_NOT_ALLOWED(405),
        /** The command contradicts the ledger's state (for example re-registering an ejected node). */
        CONFLICT(409),
        PAYLOAD_TOO_LARGE(413),
        URI_TOO_LONG(414),
        UNSUPPORTED_MEDIA_TYPE(415),
        HEADERS_TOO_LARGE(431),
        /** Too many requests in flight on this replica, or its log is saturated: retry after a moment. */
        OVERLOADED(429),
        INTERNAL(500),
        /** No leader, shutting down, or the log is out of reach: retry after a moment. */
        UNAVAILABLE(503),
        /** The request's deadline passed first; the outcome of a write is unknown (retries are safe). */
        DEADLINE_EXCEEDED(504);

        private final int status;

        Code(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Seconds a client should wait before retrying an overloaded or unavailable replica. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final Code code;
    private final String field;
    private final Map<String, String> headers;

    public ApiError(Code code, String message, String field) {
        this(code, message, field, Map.of());
    }

    private ApiError(Code code, String message, String field, Map<String, String> headers) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
        this.headers = headers;
    }

    public static ApiError invalid(String field, String message) {
        return new ApiError(Code.INVALID_ARGUMENT, message, field);
    }

    public static ApiError notFound(String message) {
        return new ApiError(Code.NOT_FOUND, message, null);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(Code.PERMISSION_DENIED, message, null);
    }

    /** 429 or 503 with {@code Retry-After}. */
    public static ApiError retryLater(Code code, String message) {
        return new ApiError(code, message, null, Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }

    /** The same error with one more response header. */
    public ApiError withHeader(String name, String value) {
        Map<String, String> more = new TreeMap<>(headers);
        more.put(name, value);
        return new ApiError(code, getMessage(), field, Map.copyOf(more));
    }

    public Code code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    /** The offending field, header or parameter, or null. */
    public String field() {
        return field;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
