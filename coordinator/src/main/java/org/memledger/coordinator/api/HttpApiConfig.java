package org.memledger.coordinator.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the HTTP API is served. Every limit has a default and a name (STYLE: a limit on everything).
 *
 * @param host                 address to bind ({@code --http-host}); without tokens it must be loopback
 * @param port                 port to bind ({@code --http-port}); 0 picks a free one
 * @param maxBodyBytes         largest request body; larger gets 413
 * @param maxInFlight          requests being handled at once on this replica; more get 429
 * @param defaultTimeoutMillis deadline of a request without {@code X-Request-Timeout}
 * @param maxTimeoutMillis     longest deadline a request may ask for (longer is cut to this)
 * @param handlerThreads       threads that run route handlers (reads, parsing) off the event loops
 * @param ioThreads            Netty event loops (connections, light routes; {@code --http-io-threads}); 0 = Netty's
 *                             default, two per available core (one per core measured worse: docs/benchmarks.md)
 * @param transport            Netty's socket transport ({@code --http-transport}): native epoll where it loads, else NIO
 * @param idleTimeoutMillis    a keep-alive connection idle this long is closed
 * @param maxPageSize          largest {@code limit} of a list
 * @param auth                 bearer tokens, or {@link BearerAuth#disabled()}
 * @param tlsCert              PEM certificate chain, or null for plain HTTP
 * @param tlsKey               PEM PKCS#8 private key (with {@code tlsCert})
 */
public record HttpApiConfig(String host, int port, long maxBodyBytes, int maxInFlight, long defaultTimeoutMillis,
                            long maxTimeoutMillis, int handlerThreads, int ioThreads, SocketTransport transport,
                            long idleTimeoutMillis, int maxPageSize, BearerAuth auth, Path tlsCert, Path tlsKey) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7070;
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    public static final long DEFAULT_TIMEOUT_MILLIS = 5_000;
    public static final long DEFAULT_MAX_TIMEOUT_MILLIS = 60_000;
    public static final int DEFAULT_HANDLER_THREADS = 16;
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;
    public static final int DEFAULT_MAX_PAGE_SIZE = 1_000;
    /** Largest body the server will ever accept, whatever is configured: aggregated bodies live in memory. */
    public static final long MAX_BODY_BYTES_LIMIT = 64L << 20;

    public HttpApiConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(transport, "transport");
        check(port >= 0 && port <= 65_535, "port must be 0..65535, was " + port);
        check(maxBodyBytes >= 1024 && maxBodyBytes <= MAX_BODY_BYTES_LIMIT,
                "maxBodyBytes must be 1 KiB..64 MiB, was " + maxBodyBytes);
        check(maxInFlight >= 1, "maxInFlight must be at least 1, was " + maxInFlight);
        check(defaultTimeoutMillis >= 1 && defaultTimeoutMillis <= maxTimeoutMillis,
                "defaultTimeoutMillis must be 1..maxTimeoutMillis, was " + defaultTimeoutMillis);
        check(handlerThreads >= 1 && handlerThreads <= 1024, "handlerThreads must be 1..1024, was " + handlerThreads);
        check(ioThreads >= 0 && ioThreads <= 1024, "ioThreads must be 0..1024, was " + ioThreads);
        check(idleTimeoutMillis >= 1_000, "idleTimeoutMillis must be at least 1000, was " + idleTimeoutMillis);
        check(maxPageSize >= 1, "maxPageSize must be at least 1, was " + maxPageSize);
        check((tlsCert == null) == (tlsKey == null), "TLS needs both a certificate (--tls-cert) and a key (--tls-key)");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean tls() {
        return tlsCert != null;
    }

    public Builder toBuilder() {
        return new Builder().host(host).port(port).maxBodyBytes(maxBodyBytes).maxInFlight(maxInFlight)
                .defaultTimeoutMillis(defaultTimeoutMillis).maxTimeoutMillis(maxTimeoutMillis)
                .handlerThreads(handlerThreads).ioThreads(ioThreads).transport(transport).idleTimeoutMillis(idleTimeoutMillis).maxPageSize(maxPageSize)
                .auth(auth).tls(tlsCert, tlsKey);
    }

    /** Defaults: 127.0.0.1:7070, 1 MiB bodies, 1024 in flight, 5 s deadline (60 s max), no tokens, no TLS. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private long defaultTimeoutMillis = DEFAULT_TIMEOUT_MILLIS;
        private long maxTimeoutMillis = DEFAULT_MAX_TIMEOUT_MILLIS;
        private int handlerThreads = DEFAULT_HANDLER_THREADS;
        private int ioThreads;
        private SocketTransport transport = SocketTransport.best();
        private long idleTimeoutMillis = DEFAULT_IDLE_TIMEOUT_MILLIS;
        private int maxPageSize = DEFAULT_MAX_PAGE_SIZE;
        private BearerAuth auth = BearerAuth.disabled();
        private Path tlsCert;
        private Path tlsKey;

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder maxBodyBytes(long value) {
            maxBodyBytes = value;
            return this;
        }

        public Builder maxInFlight(int value) {
            maxInFlight = value;
            return this;
        }

        public Builder defaultTimeoutMillis(long value) {
            defaultTimeoutMillis = value;
            return this;
        }

        public Builder maxTimeoutMillis(long value) {
            maxTimeoutMillis = value;
            return this;
        }

        public Builder handlerThreads(int value) {
            handlerThreads = value;
            return this;
        }

        /** Netty event loops; 0 (the default) is Netty's default, 2 per available core. */
        public Builder ioThreads(int value) {
            ioThreads = value;
            return this;
        }

        public Builder transport(SocketTransport value) {
            transport = value;
            return this;
        }

        public Builder idleTimeoutMillis(long value) {
            idleTimeoutMillis = value;
            return this;
        }

        public Builder maxPageSize(int value) {
            maxPageSize = value;
            return this;
        }

        public Builder auth(BearerAuth value) {
            auth = value;
            return this;
        }

        public Builder tls(Path certificateChain, Path privateKey) {
            tlsCert = certificateChain;
            tlsKey = privateKey;
            return this;
        }

        public HttpApiConfig build() {
            return new HttpApiConfig(host, port, maxBodyBytes, maxInFlight, defaultTimeoutMillis, maxTimeoutMillis,
                    handlerThreads, ioThreads, transport, idleTimeoutMillis, maxPageSize, auth, tlsCert, tlsKey);
        }
    }
}
