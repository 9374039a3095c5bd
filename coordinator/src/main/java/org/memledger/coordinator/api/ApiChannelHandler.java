package org.memledger.coordinator.api;

import java.util.ArrayDeque;
import java.util.Map;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per connection, always on the connection's event loop. Requests are copied out of Netty's
 * buffers at once and answered strictly in arrival order, one at a time (HTTP/1.1 pipelining
 * needs answers in order; at most {@value #MAX_PIPELINED} may wait, more closes the connection).
 * Nothing here blocks: the dispatcher runs handlers elsewhere and hands the answer back to this
 * loop. Keep-alive is honoured unless the request or the answer asks to close.
 */
final class ApiChannelHandler extends ChannelInboundHandlerAdapter {
    static final int MAX_PIPELINED = 16;
    /** The content type of every answer, over either protocol. */
    static final AsciiString JSON_UTF8 = AsciiString.cached("application/json; charset=utf-8");
    /**
     * Answer header names are this server's own constants, so checking each name's characters on every
     * answer is wasted work; values are still checked, since some carry ids a client chose.
     */
    private static final DefaultHttpHeadersFactory RESPONSE_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withNameValidation(false);
    private static final Logger LOG = LoggerFactory.getLogger(ApiChannelHandler.class);

    private final ApiDispatcher dispatcher;
    private final ArrayDeque<ApiDispatcher.Incoming> waiting = new ArrayDeque<>();
    private boolean busy;

    ApiChannelHandler(ApiDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        FullHttpRequest request = (FullHttpRequest) msg;
        ApiDispatcher.Incoming incoming;
        try {
            // The aggregated request's headers are a plain object, not a view of Netty's buffers: kept, not copied.
            incoming = new ApiDispatcher.Incoming(request.method(), request.uri(), request.headers(),
                    ByteBufUtil.getBytes(request.content()), HttpUtil.isKeepAlive(request),
                    request.decoderResult().isFailure() ? request.decoderResult().cause() : null, System.nanoTime());
        } finally {
            request.release();
        }
        if (waiting.size() >= MAX_PIPELINED) {
            LOG.debug("closing {}: more than {} pipelined requests", ctx.channel().remoteAddress(), MAX_PIPELINED);
            ctx.close();
            return;
        }
        waiting.addLast(incoming);
        if (!busy) {
            next(ctx);
        }
    }

    private void next(ChannelHandlerContext ctx) {
        ApiDispatcher.Incoming incoming = waiting.pollFirst();
        if (incoming == null) {
            busy = false;
            return;
        }
        busy = true;
        dispatcher.dispatch(incoming, ctx.executor(), rendered -> {
            if (ctx.executor().inEventLoop()) {
                write(ctx, incoming, rendered);
            } else {
                ctx.executor().execute(() -> write(ctx, incoming, rendered));
            }
        });
    }

    private void write(ChannelHandlerContext ctx, ApiDispatcher.Incoming incoming, ApiDispatcher.Rendered rendered) {
        if (!ctx.channel().isActive()) {
            waiting.clear();
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(rendered.status()), Unpooled.wrappedBuffer(rendered.body()),
                RESPONSE_HEADERS, DefaultHttpHeadersFactory.trailersFactory());
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON_UTF8);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, rendered.body().length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        for (Map.Entry<String, String> header : rendered.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
        boolean keepAlive = incoming.keepAlive() && !rendered.close();
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess() || !keepAlive) {
                waiting.clear();
                ctx.close();
            } else {
                next(ctx);
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            if (!busy) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        waiting.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing {} after an error: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
