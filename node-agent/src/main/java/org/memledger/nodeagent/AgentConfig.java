package org.memledger.nodeagent;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.memledger.protocol.CommandValidator;
import org.memledger.protocol.FieldError;
import org.memledger.protocol.RegisterNode;

/**
 * What a {@link NodeAgent} needs to know: who the node is, what it declares, where the
 * coordinators are, and how often and how patiently to report. Validated on construction, so a
 * running agent never discovers a bad setting.
 *
 * @param nodeId               the node's id (the hostname by default on the command line)
 * @param operator             who runs the node (rent for its bytes is credited to this account)
 * @param zone                 failure zone, for zone-spread placements
 * @param labels               free-form labels registered with the node
 * @param declaredBytes        the memory the operator offers to the cluster
 * @param coordinators         coordinator base URLs, tried in order, failing over on errors
 * @param token                bearer token sent with every request, or null for none
 * @param intervalMillis       the report interval (each wait jittered by ±10 %)
 * @param changeThresholdPct   a measured move above this share reports at once (see {@link Readings})
 * @param backoffMinMillis     first retry delay once every coordinator failed
 * @param backoffMaxMillis     cap on the retry delay, which doubles per failed round
 * @param connectTimeoutMillis TCP connect timeout per coordinator
 * @param requestTimeoutMillis time allowed for one request to answer
 */
public record AgentConfig(String nodeId, String operator, String zone, SortedMap<String, String> labels,
                          long declaredBytes, List<URI> coordinators, String token, long intervalMillis,
                          int changeThresholdPct, long backoffMinMillis, long backoffMaxMillis,
                          long connectTimeoutMillis, long requestTimeoutMillis) {
    public static final URI DEFAULT_COORDINATOR = URI.create("http://127.0.0.1:7070");
    public static final String DEFAULT_OPERATOR = "local";
    public static final String DEFAULT_ZONE = "default";
    public static final long DEFAULT_INTERVAL_MILLIS = 5_000;
    public static final int DEFAULT_CHANGE_THRESHOLD_PCT = 2;
    public static final long MIN_INTERVAL_MILLIS = 100;
    public static final long MAX_INTERVAL_MILLIS = 3_600_000;
    public static final int MAX_COORDINATORS = 32;
    /** The change detector samples this many times per interval. */
    static final int SAMPLES_PER_INTERVAL = 5;

    public AgentConfig {
        labels = labels == null ? new TreeMap<>() : new TreeMap<>(labels);
        // Ids and labels follow the registration's own rules, checked where the API checks them.
        Optional<FieldError> invalid = CommandValidator.validate(new RegisterNode(nodeId, operator, zone, labels,
                declaredBytes));
        if (invalid.isPresent()) {
            FieldError error = invalid.get();
            throw new IllegalArgumentException(error.message().startsWith(error.field()) ? error.message()
                    : error.field() + ": " + error.message());
        }
        if (declaredBytes <= 0) {
            throw new IllegalArgumentException("declared memory must be positive, was " + declaredBytes);
        }
        coordinators = Objects.requireNonNull(coordinators, "coordinators").stream()
                .map(uri -> parseCoordinator(String.valueOf(uri))).toList();
        if (coordinators.isEmpty() || coordinators.size() > MAX_COORDINATORS) {
            throw new IllegalArgumentException("between 1 and " + MAX_COORDINATORS + " coordinator URLs are needed, got "
                    + coordinators.size());
        }
        if (token != null && (token.isBlank() || !token.chars().allMatch(c -> c > ' ' && c < 127))) {
            throw new IllegalArgumentException("the token must be non-empty printable ASCII without spaces");
        }
        if (intervalMillis < MIN_INTERVAL_MILLIS || intervalMillis > MAX_INTERVAL_MILLIS) {
            throw new IllegalArgumentException("the report interval must be between " + MIN_INTERVAL_MILLIS + "ms and 1h, was "
                    + intervalMillis + "ms");
        }
        if (changeThresholdPct < 0 || changeThresholdPct > 100) {
            throw new IllegalArgumentException("the change threshold must be between 0 and 100 %, was " + changeThresholdPct);
        }
        if (backoffMinMillis <= 0 || backoffMaxMillis < backoffMinMillis) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, was " + backoffMinMillis + ".."
                    + backoffMaxMillis + "ms");
        }
        if (connectTimeoutMillis <= 0 || requestTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** Like the record's, but never shows the token (configurations end up in logs). */
    @Override
    public String toString() {
        return "AgentConfig[nodeId=" + nodeId + ", operator=" + operator + ", zone=" + zone + ", labels=" + labels
                + ", declaredBytes=" + declaredBytes + ", coordinators=" + coordinators + ", token="
                + (token == null ? "none" : "***") + ", intervalMillis=" + intervalMillis + ", changeThresholdPct="
                + changeThresholdPct + ", backoffMillis=" + backoffMinMillis + ".." + backoffMaxMillis
                + ", timeoutsMillis=" + connectTimeoutMillis + "/" + requestTimeoutMillis + "]";
    }

    /** A configuration with the defaults of {@code memledger agent} for everything not given. */
    public static Builder builder(String nodeId, long declaredBytes) {
        return new Builder(nodeId, declaredBytes);
    }

    /** How often the change detector samples the memory source: a fifth of the interval. */
    public long sampleMillis() {
        return intervalMillis / SAMPLES_PER_INTERVAL;
    }

    /**
     * A coordinator base URL: {@code http} or {@code https}, a host, optionally a port and a path
     * prefix, nothing else. A trailing slash is dropped so that API paths append cleanly.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static URI parseCoordinator(String text) {
        String value = text == null ? "" : text.strip();
        String refusal = "'" + value + "' is not a coordinator URL (example: http://10.0.0.1:7070)";
        URI uri;
        try {
            uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(refusal, e);
        }
        boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(refusal);
        }
        return uri;
    }

    /** Sets what differs from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private final String nodeId;
        private final long declaredBytes;
        private String operator = DEFAULT_OPERATOR;
        private String zone = DEFAULT_ZONE;
        private SortedMap<String, String> labels = new TreeMap<>();
        private List<URI> coordinators = List.of(DEFAULT_COORDINATOR);
        private String token;
        private long intervalMillis = DEFAULT_INTERVAL_MILLIS;
        private int changeThresholdPct = DEFAULT_CHANGE_THRESHOLD_PCT;
        private long backoffMinMillis = 200;
        private long backoffMaxMillis = 10_000;
        private long connectTimeoutMillis = 2_000;
        private long requestTimeoutMillis = 5_000;

        private Builder(String nodeId, long declaredBytes) {
            this.nodeId = nodeId;
            this.declaredBytes = declaredBytes;
        }

        public Builder operator(String value) {
            operator = value;
            return this;
        }

        public Builder zone(String value) {
            zone = value;
            return this;
        }

        public Builder labels(Map<String, String> value) {
            labels = new TreeMap<>(value);
            return this;
        }

        public Builder coordinators(List<URI> value) {
            coordinators = value;
            return this;
        }

        public Builder token(String value) {
            token = value;
            return this;
        }

        public Builder intervalMillis(long value) {
            intervalMillis = value;
            return this;
        }

        public Builder changeThresholdPct(int value) {
            changeThresholdPct = value;
            return this;
        }

        public Builder backoffMillis(long min, long max) {
            backoffMinMillis = min;
            backoffMaxMillis = max;
            return this;
        }

        public Builder timeoutsMillis(long connect, long request) {
            connectTimeoutMillis = connect;
            requestTimeoutMillis = request;
            return this;
        }

        public AgentConfig build() {
            return new AgentConfig(nodeId, operator, zone, labels, declaredBytes, coordinators, token, intervalMillis,
                    changeThresholdPct, backoffMinMillis, backoffMaxMillis, connectTimeoutMillis, requestTimeoutMillis);
        }
    }
}
