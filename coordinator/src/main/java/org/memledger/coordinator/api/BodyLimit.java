package org.memledger.coordinator.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpContentException;

/**
 * The HTTP/1.1 body aggregator, except that an oversized request becomes a request marked with a
 * {@link TooLongHttpContentException}, answered 413 in order by {@link ApiChannelHandler}; the
 * rest of its body is discarded. The connection closes afterwards unless the client can still be
 * read from safely (keep-alive, as Netty's own aggregator decides). HTTP/2 bounds bodies in
 * {@link Http2Requests}.
 */
final class BodyLimit extends HttpObjectAggregator {
    BodyLimit(int maxBodyBytes) {
        super(maxBodyBytes);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        HttpRequest request = (HttpRequest) oversized;
        DefaultFullHttpRequest marker = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.EMPTY_BUFFER, request.headers().copy(), EmptyHttpHeaders.INSTANCE);
        marker.setDecoderResult(DecoderResult.failure(new TooLongHttpContentException(
                "the request body exceeds the limit of " + maxContentLength() + " bytes")));
        boolean close = oversized instanceof FullHttpMessage
                || (!HttpUtil.is100ContinueExpected(request) && !HttpUtil.isKeepAlive(request));
        if (close) {
            HttpUtil.setKeepAlive(marker, false);
        }
        ctx.fireChannelRead(marker);
    }
}
