package org.memledger.coordinator.api;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up an accepted connection for HTTP/1.1 or HTTP/2. Under TLS the client chooses by ALPN (the
 * Kubernetes API server's webhook client offers {@code h2}); in plain text a client that opens with
 * HTTP/2's connection preface ("prior knowledge") gets HTTP/2 and every other client HTTP/1.1. An
 * {@code Upgrade: h2c} request is answered over HTTP/1.1, which the upgrade mechanism allows.
 *
 * <p>Why HTTP/2: over HTTP/1.1 each request costs the server a socket read and a write of its own, and
 * the kernel's side of those took about 45 % of the API event loops' CPU (docs/benchmarks.md); HTTP/2
 * carries many requests per read and many answers per write. Its requests go to the same
 * {@link ApiDispatcher} as HTTP/1.1's ({@link Http2Requests}), so both protocols answer alike, with the
 * same limits.
 */
final class ConnectionPipeline extends ChannelInitializer<SocketChannel> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPipeline.class);
    static final int MAX_INITIAL_LINE_BYTES = 8 * 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /**
     * Concurrent streams a client may open on one HTTP/2 connection, as Go's server allows 250; the
     * replica's in-flight bound ({@code --http-max-in-flight}) still applies across all of them.
     */
    static final int MAX_CONCURRENT_STREAMS = 256;

    private final HttpApiConfig config;
    private final ApiDispatcher dispatcher;
    private final SslContext ssl;

    /** @param ssl the TLS context, with ALPN offering h2 and http/1.1; null for plain text */
    ConnectionPipeline(HttpApiConfig config, ApiDispatcher dispatcher, SslContext ssl) {
        this.config = config;
        this.dispatcher = dispatcher;
        this.ssl = ssl;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (ssl != null) {
            pipeline.addLast("tls", ssl.newHandler(channel.alloc()));
            pipeline.addLast("idle", idleTimer());
            pipeline.addLast("alpn", new ProtocolByAlpn());
            return;
        }
        pipeline.addLast("idle", idleTimer());
        HttpServerCodec codec = http1Codec();
        pipeline.addLast("h2c", new CleartextHttp2ServerUpgradeHandler(codec, new NoUpgrades(codec),
                new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel preface) {
                        ChannelPipeline upgraded = preface.pipeline();
                        upgraded.remove("aggregate");
                        upgraded.remove("api");
                        http2(upgraded);
                    }
                }));
        http1Handlers(pipeline);
    }

    private IdleStateHandler idleTimer() {
        return new IdleStateHandler(0, 0, config.idleTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    private static HttpServerCodec http1Codec() {
        return new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, 8192);
    }

    private void http1Handlers(ChannelPipeline pipeline) {
        pipeline.addLast("aggregate", new BodyLimit((int) config.maxBodyBytes()));
        pipeline.addLast("api", new ApiChannelHandler(dispatcher));
    }

    private void http2(ChannelPipeline pipeline) {
        Http2Requests requests = new Http2Requests(dispatcher, (int) config.maxBodyBytes(),
                Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(MAX_INITIAL_LINE_BYTES + MAX_HEADER_BYTES));
        // Answers are written from tasks the ledger's completions queue on the event loop, not while reading,
        // so without this each answer would be a write system call of its own; with it, the answers queued
        // together leave in one write.
        pipeline.addLast("flush", new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        requests.install(pipeline);
        pipeline.addLast("idle-close", new IdleHttp2Connection(requests));
    }

    /** Builds the rest of the pipeline for the protocol the client chose during the TLS handshake. */
    private final class ProtocolByAlpn extends ApplicationProtocolNegotiationHandler {
        ProtocolByAlpn() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                http2(ctx.pipeline());
            } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
                ctx.pipeline().addLast("http", http1Codec());
                http1Handlers(ctx.pipeline());
            } else {
                throw new IllegalStateException("the client chose an application protocol this server does not"
                        + " offer: " + protocol);
            }
        }

        /** A client that fails the handshake (plain HTTP on the TLS port, an untrusted certificate) is its problem. */
        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("closing {}: TLS handshake failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /**
     * Netty's cleartext HTTP/2 detection needs an upgrade handler; this one upgrades nothing. Once the
     * first HTTP/1.1 message arrives the detection is over, so it leaves the pipeline and every request,
     * with or without an {@code Upgrade} header, goes on unchanged and at no further cost.
     */
    private static final class NoUpgrades extends HttpServerUpgradeHandler {
        NoUpgrades(HttpServerCodec codec) {
            super(codec, protocol -> null);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Closes an HTTP/2 connection that was idle for the idle timeout with no request open on it; a
     * request still waiting for the log keeps its connection, as it does over HTTP/1.1.
     */
    private static final class IdleHttp2Connection extends ChannelInboundHandlerAdapter {
        private final Http2Requests requests;

        IdleHttp2Connection(Http2Requests requests) {
            this.requests = requests;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                if (requests.openStreams() == 0) {
                    ctx.close();
                }
                return;
            }
            super.userEventTriggered(ctx, event);
        }
    }
}
