package org.memledger.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * The load client's side of one HTTP/2 connection (cleartext, prior knowledge), at the frame level:
 * a request is a HEADERS and a DATA frame on a new stream, an answer the stream's HEADERS and DATA.
 * No per-stream channel or pipeline and no conversion to HTTP/1.1 objects: on two shared cores the
 * driver's own CPU is taken from the server it measures, so it should cost as little as it can.
 * Everything runs on the connection's event loop; requests written while answers are being read
 * leave together when the read completes.
 */
final class Http2Exchanges extends Http2EventAdapter {
    private static final AsciiString HTTP = AsciiString.cached("http");

    private final IntObjectMap<Exchange> open = new IntObjectHashMap<>();
    private final AsciiString authority;
    private final Http2ConnectionHandler codec;
    private ChannelHandlerContext ctx;
    private boolean reading;

    Http2Exchanges(String authority) {
        this.authority = new AsciiString(authority);
        this.codec = new Http2ConnectionHandlerBuilder().connection(new DefaultHttp2Connection(false))
                .frameListener(this).build();
    }

    /**
     * Adds the read marker and the codec to a new connection's pipeline. The codec flushes when a read
     * completes, so requests sent while answers are read leave together then, not one write each.
     */
    void install(ChannelPipeline pipeline) {
        pipeline.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext context, Object msg) {
                reading = true;
                context.fireChannelRead(msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext context) {
                reading = false;
                context.fireChannelReadComplete();
            }

            @Override
            public void channelInactive(ChannelHandlerContext context) {
                closed();
                context.fireChannelInactive();
            }
        });
        pipeline.addLast(codec);
        ctx = pipeline.context(codec);
    }

    /** Sends one request on a new stream; on the event loop only. */
    void send(HttpLoadClient.Connection connection, HttpMethod method, String path, byte[] body) {
        int stream = codec.connection().local().incrementAndGetNextStreamId();
        Http2Headers headers = new DefaultHttp2Headers().method(method.asciiName()).path(path).scheme(HTTP)
                .authority(authority);
        headers.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
        if (body != null) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        open.put(stream, new Exchange(connection));
        codec.encoder().writeHeaders(ctx, stream, headers, 0, body == null, ctx.voidPromise());
        if (body != null) {
            codec.encoder().writeData(ctx, stream, Unpooled.wrappedBuffer(body), 0, true, ctx.voidPromise());
        }
        if (!reading) {
            // Through the codec's own flush: DATA frames wait in its flow controller until then.
            codec.flush(ctx);
        }
    }

    /** Netty's decoder calls this form for every HEADERS frame, with or without priority. */
    @Override
    public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int streamDependency,
                              short weight, boolean exclusive, int padding, boolean endOfStream) {
        Exchange exchange = open.get(streamId);
        if (exchange == null) {
            return;
        }
        if (exchange.status == 0) {
            CharSequence status = headers.status();
            exchange.status = status == null ? -1 : AsciiString.of(status).parseInt();
        }
        if (endOfStream) {
            finish(streamId, exchange);
        }
    }

    @Override
    public int onDataRead(ChannelHandlerContext context, int streamId, ByteBuf data, int padding,
                          boolean endOfStream) {
        int processed = data.readableBytes() + padding;
        Exchange exchange = open.get(streamId);
        if (exchange != null) {
            exchange.body.append(data.toString(StandardCharsets.UTF_8));
            if (endOfStream) {
                finish(streamId, exchange);
            }
        }
        return processed;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext context, int streamId, long errorCode) {
        Exchange exchange = open.remove(streamId);
        if (exchange != null) {
            exchange.connection.complete(new HttpLoadClient.Response(-1, "stream reset by the server, code "
                    + errorCode));
        }
    }

    private void finish(int streamId, Exchange exchange) {
        open.remove(streamId);
        exchange.connection.complete(new HttpLoadClient.Response(exchange.status, exchange.body.toString()));
    }

    /** The connection closed: every open exchange fails. */
    private void closed() {
        List<Exchange> failed = new ArrayList<>(open.values());
        open.clear();
        for (Exchange exchange : failed) {
            exchange.connection.complete(new HttpLoadClient.Response(-1, "connection closed by the server"));
        }
    }

    /** One request in flight: whose it is, and its answer so far. */
    private static final class Exchange {
        final HttpLoadClient.Connection connection;
        final StringBuilder body = new StringBuilder();
        int status;

        Exchange(HttpLoadClient.Connection connection) {
            this.connection = connection;
        }
    }
}
