package org.memledger.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.memledger.coordinator.api.SocketTransport;

/**
 * A minimal asynchronous HTTP load client on Netty: many {@link Connection}s, each with at most one
 * request outstanding, all served by a small event-loop group (named {@code bench-netty-*} so a
 * driver can subtract its CPU time). No thread waits for an answer: the answer's callback runs on the
 * connection's event loop and typically sends the connection's next request from there.
 *
 * <p>Over HTTP/1.1 a {@link Connection} is a keep-alive TCP connection. Over HTTP/2 (cleartext, prior
 * knowledge) it is a slot on a shared TCP connection that carries up to {@code streamsPerConnection}
 * of them, each request on a new stream ({@link Http2Exchanges}), as an HTTP/2 client such as the
 * Kubernetes API server's sends concurrent requests.
 *
 * <p>Deliberately small: no pipelining, no redirects, no TLS, bodies aggregated up to
 * {@value #MAX_RESPONSE_BYTES} bytes (HTTP/1.1), and a per-request timeout that closes the TCP
 * connection; the driver counts it as an error.
 */
final class HttpLoadClient implements AutoCloseable {
    static final int MAX_RESPONSE_BYTES = 64 << 20;
    static final String THREAD_PREFIX = "bench-netty";
    private static final io.netty.util.AttributeKey<Http2Exchanges> EXCHANGES =
            io.netty.util.AttributeKey.valueOf("bench-h2");

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final int streamsPerConnection;

    /** An HTTP/1.1 client. */
    HttpLoadClient(int threads) {
        this(threads, 0);
    }

    /**
     * @param streamsPerConnection 0 for HTTP/1.1; else HTTP/2, with this many {@link Connection}s per TCP
     *                             connection
     */
    HttpLoadClient(int threads, int streamsPerConnection) {
        if (streamsPerConnection < 0) {
            throw new IllegalArgumentException("streamsPerConnection must be 0 (HTTP/1.1) or more, was "
                    + streamsPerConnection);
        }
        this.streamsPerConnection = streamsPerConnection;
        // Netty's factory makes FastThreadLocalThreads: on plain threads every FastThreadLocal (buffer caches,
        // recyclers) falls back to a ThreadLocal lookup, which made the driver dearer than it needs to be.
        ThreadFactory factory = new DefaultThreadFactory(THREAD_PREFIX, true);
        SocketTransport transport = SocketTransport.best();
        this.group = transport.newGroup(threads, factory);
        this.bootstrap = new Bootstrap().group(group).channel(transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (streamsPerConnection == 0) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                                    new Answers());
                        } else {
                            ch.attr(EXCHANGES).get().install(ch.pipeline());
                        }
                    }
                });
    }

    /**
     * {@code count} connections to {@code base}, opened now (blocking, in setup only); over HTTP/2 they
     * share {@code ceil(count / streamsPerConnection)} TCP connections.
     */
    List<Connection> connect(URI base, int count) throws InterruptedException {
        String host = base.getHost() + ":" + base.getPort();
        List<Connection> connections = new ArrayList<>(count);
        Channel shared = null;
        Http2Exchanges exchanges = null;
        for (int i = 0; i < count; i++) {
            if (streamsPerConnection == 0) {
                Channel channel = bootstrap.connect(base.getHost(), base.getPort()).sync().channel();
                Connection connection = new Connection(channel, null, host);
                channel.attr(Connection.KEY).set(connection);
                connections.add(connection);
                continue;
            }
            if (i % streamsPerConnection == 0) {
                exchanges = new Http2Exchanges(host);
                shared = bootstrap.clone().attr(EXCHANGES, exchanges).connect(base.getHost(), base.getPort())
                        .sync().channel();
            }
            connections.add(new Connection(shared, exchanges, host));
        }
        return connections;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** An answer: status (-1 when the request failed at the transport) and the body as text. */
    record Response(int status, String body) {
        boolean ok(int expected) {
            return status == expected;
        }
    }

    /**
     * One keep-alive connection, or one HTTP/2 stream slot; {@link #send} only when the previous answer
     * has arrived.
     */
    static final class Connection {
        static final io.netty.util.AttributeKey<Connection> KEY = io.netty.util.AttributeKey.valueOf("bench-conn");

        private final Channel channel;
        private final Http2Exchanges exchanges;
        private final String host;
        private Consumer<Response> pending;
        private io.netty.util.concurrent.ScheduledFuture<?> timer;

        /** @param exchanges the shared HTTP/2 connection's streams; null over HTTP/1.1 */
        Connection(Channel channel, Http2Exchanges exchanges, String host) {
            this.channel = channel;
            this.exchanges = exchanges;
            this.host = host;
        }

        boolean isOpen() {
            return channel.isActive();
        }

        io.netty.channel.EventLoop loop() {
            return channel.eventLoop();
        }

        /**
         * Sends one request; {@code answer} runs once, on this connection's event loop. Callable from
         * any thread; the connection must be idle.
         */
        void send(HttpMethod method, String path, byte[] body, long timeoutMillis, Consumer<Response> answer) {
            if (!channel.eventLoop().inEventLoop()) {
                channel.eventLoop().execute(() -> send(method, path, body, timeoutMillis, answer));
                return;
            }
            if (pending != null) {
                throw new IllegalStateException("a request is already outstanding on this connection");
            }
            if (!channel.isActive()) {
                answer.accept(new Response(-1, "connection closed"));
                return;
            }
            pending = answer;
            timer = channel.eventLoop().schedule(() -> fail("timed out after " + timeoutMillis + " ms"),
                    timeoutMillis, TimeUnit.MILLISECONDS);
            if (exchanges != null) {
                exchanges.send(this, method, path, body);
                return;
            }
            ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path, content);
            request.headers().set(HttpHeaderNames.HOST, host);
            request.headers().set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
            if (body != null) {
                request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            }
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            channel.writeAndFlush(request).addListener(written -> {
                if (!written.isSuccess()) {
                    fail("write failed: " + written.cause());
                }
            });
        }

        void complete(Response response) {
            Consumer<Response> answer = pending;
            pending = null;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            if (answer != null) {
                answer.accept(response);
            }
        }

        /** Over HTTP/2 this closes the shared connection and fails its other requests too: a driver's bluntness. */
        private void fail(String why) {
            channel.close();
            complete(new Response(-1, why));
        }
    }

    private static final class Answers extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Connection connection = ctx.channel().attr(Connection.KEY).get();
            connection.complete(new Response(response.status().code(),
                    response.content().toString(StandardCharsets.UTF_8)));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            Connection connection = ctx.channel().attr(Connection.KEY).get();
            if (connection != null && connection.pending != null) {
                connection.complete(new Response(-1, "connection closed by the server"));
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
