package org.memledger.coordinator.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLException;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.concurrent.FastThreadLocalThread;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memledger HTTP API (DESIGN §5) on Netty: {@code new HttpApiServer(gateway, config)}, then
 * {@link #start()}, then {@link #close()}.
 *
 * <p>Each connection speaks HTTP/1.1 or HTTP/2 ({@link ConnectionPipeline}): optional TLS
 * ({@code SslHandler} from PEM files, ALPN offering h2 and http/1.1) and an idle timer, then for
 * HTTP/1.1 the codec (bounded request line and headers), an aggregator bounded by {@code maxBodyBytes}
 * whose refusals become an ordinary 413 answer in request order and {@link ApiChannelHandler}, or for
 * HTTP/2 Netty's connection handler and {@link Http2Requests}. Both hand requests to one
 * {@link ApiDispatcher}. Route handlers run on a fixed pool of handler threads; writes finish
 * from the gateway's future (a light route's on the event loop, see {@link Router}), so no thread
 * ever waits for the log.
 *
 * <p>Without bearer tokens every caller is an administrator, so the server then refuses to bind
 * anything but a loopback address, and says so in the log when it starts.
 */
public final class HttpApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);

    private final HttpApiConfig config;
    private final Router router = new Router();
    private final ThreadPoolExecutor handlers;
    private final ApiDispatcher dispatcher;
    private final SslContext ssl;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel channel;

    /**
     * Builds the routes and the TLS context; binds nothing yet.
     *
     * @throws IllegalArgumentException when the configuration is unsafe (no tokens on a non-loopback
     *                                  address) or the TLS files cannot be read
     */
    public HttpApiServer(LedgerGateway gateway, HttpApiConfig config) {
        Objects.requireNonNull(gateway, "gateway");
        this.config = Objects.requireNonNull(config, "config");
        requireLoopbackWithoutTokens(config);
        this.ssl = config.tls() ? sslContext(config) : null;
        JsonBodies json = new JsonBodies();
        LedgerCalls ledger = new LedgerCalls(gateway);
        new DeploymentRoutes(ledger, json, config.maxPageSize()).register(router);
        new NodeRoutes(ledger, json).register(router);
        new PolicyRoutes(ledger, json).register(router);
        new StatusRoutes(gateway).register(router);
        new KubernetesAdmission(ledger).register(router);
        // In flight is bounded before anything is queued here, so this queue never fills; its bound is a backstop.
        this.handlers = new ThreadPoolExecutor(config.handlerThreads(), config.handlerThreads(), 0,
                TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(config.maxInFlight() * 2 + 64),
                threads("memledger-api-handler"));
        this.dispatcher = new ApiDispatcher(router, json, config, handlers);
    }

    /** Binds and starts serving; returns the bound address (useful with port 0). */
    public synchronized InetSocketAddress start() throws InterruptedException {
        if (channel != null) {
            throw new IllegalStateException("already started");
        }
        SocketTransport transport = config.transport();
        boss = transport.newGroup(1, threads("memledger-api-accept"));
        workers = transport.newGroup(config.ioThreads(), threads("memledger-api-io"));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ConnectionPipeline(config, dispatcher, ssl));
        try {
            channel = bootstrap.bind(config.host(), config.port()).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            shutdownGroups();
            throw e;
        }
        InetSocketAddress address = address();
        if (config.auth().enabled()) {
            LOG.info("memledger API on {} ({} bearer tokens{}, {})", uri(), config.auth().tokenCount(),
                    config.tls() ? ", TLS" : "", config.transport().label());
        } else {
            LOG.warn("memledger API on {} ({}) WITHOUT authentication: every caller is an administrator; bound to"
                    + " loopback only (give a tokens file to serve other addresses)", uri(), config.transport().label());
        }
        return address;
    }

    /** The bound address; only after {@link #start()}. */
    public synchronized InetSocketAddress address() {
        if (channel == null) {
            throw new IllegalStateException("not started");
        }
        return (InetSocketAddress) channel.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** {@code http(s)://host:port} as clients on this machine reach it. */
    public URI uri() {
        InetSocketAddress address = address();
        String host = address.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return URI.create((config.tls() ? "https" : "http") + "://" + host + ":" + address.getPort());
    }

    public HttpApiConfig config() {
        return config;
    }

    /** Requests being handled now (the figure the in-flight bound applies to). */
    public int inFlightRequests() {
        return dispatcher.inFlight();
    }

    /** Every route: method, pattern and roles (for documentation tests). */
    public List<Router.Route> routes() {
        return router.routes();
    }

    /** Stops accepting, closes connections, and stops the threads. Idempotent. */
    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        shutdownGroups();
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(5, TimeUnit.SECONDS)) {
                handlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            handlers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownGroups() {
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void requireLoopbackWithoutTokens(HttpApiConfig config) {
        if (config.auth().enabled()) {
            return;
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(config.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve --http-host '" + config.host() + "'", e);
        }
        if (!loopback) {
            throw new IllegalArgumentException("refusing to serve the API on " + config.host() + " without bearer"
                    + " tokens: anyone who can reach it could admit, release and change policy. Give a tokens file"
                    + " (--api-tokens, see docs/api.md) or bind a loopback address (--http-host 127.0.0.1)");
        }
    }

    private static SslContext sslContext(HttpApiConfig config) {
        try {
            return SslContextBuilder.forServer(config.tlsCert().toFile(), config.tlsKey().toFile())
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use TLS certificate " + config.tlsCert() + " and key "
                    + config.tlsKey() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Netty's own thread type: its {@code FastThreadLocal}s (buffer pool caches, recyclers, codec state) are
     * an array slot there, and a {@link ThreadLocal} lookup on a plain thread. On plain threads the event
     * loops spent about 5 % of their samples in that fallback and allocated buffers without thread caches.
     */
    static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new FastThreadLocalThread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
