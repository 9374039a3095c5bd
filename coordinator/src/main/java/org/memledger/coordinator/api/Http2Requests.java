package org.memledger.coordinator.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * The requests of one HTTP/2 connection, on its event loop, at the level of Netty's frame listener:
 * a stream's HEADERS and DATA become one {@link ApiDispatcher.Incoming}, and its answer one HEADERS and
 * one DATA frame. Netty's stream-per-channel model (a child channel and pipeline per stream, converted
 * to HTTP/1.1 objects and back) cost the event loops as much CPU per request as the system calls
 * HTTP/2 saves; this keeps what matters of it: Netty's codec, HPACK, flow control, stream states and
 * limits.
 *
 * <p>Streams are independent: each is dispatched as soon as it ends, and answered when its answer is
 * ready, in any order. A body beyond the limit is answered 413 at once, then the stream is reset with
 * {@code NO_ERROR} so the client stops sending (RFC 9113 §8.1); so is a stream whose data would make
 * the connection's unfinished bodies exceed four bodies at the limit (at least 16 MiB). A stream the
 * client resets is forgotten, and its answer, when it comes, is dropped.
 */
final class Http2Requests extends Http2EventAdapter {
    private static final DefaultHttpHeadersFactory REQUEST_HEADERS = DefaultHttpHeadersFactory.headersFactory();
    static final long MIN_BUFFERED_BYTES = 16L << 20;

    private final ApiDispatcher dispatcher;
    private final int maxBodyBytes;
    /**
     * Bodies of unfinished requests held per connection. Without a bound a connection's streams (up to
     * {@link ConnectionPipeline#MAX_CONCURRENT_STREAMS}) could make it hold that many bodies at the limit.
     */
    private final long maxBufferedBytes;
    private long buffered;
    private final Http2ConnectionHandler codec;
    private final IntObjectMap<Assembly> reading = new IntObjectHashMap<>();
    private ChannelHandlerContext ctx;

    Http2Requests(ApiDispatcher dispatcher, int maxBodyBytes, Http2Settings settings) {
        this.dispatcher = dispatcher;
        this.maxBodyBytes = maxBodyBytes;
        this.maxBufferedBytes = Math.max(MIN_BUFFERED_BYTES, 4L * maxBodyBytes);
        this.codec = new Http2ConnectionHandlerBuilder().server(true).initialSettings(settings)
                .frameListener(this).build();
        // However a stream ends before its request is whole (the client resets it, the codec resets it
        // for a protocol error, the connection closes), what was read of it is let go.
        codec.connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                stopReading(stream.id());
            }
        });
    }

    /** Adds Netty's HTTP/2 connection handler, which reads the frames this listens to, to the pipeline. */
    void install(ChannelPipeline pipeline) {
        pipeline.addLast("h2", codec);
        ctx = pipeline.context(codec);
    }

    int openStreams() {
        return codec.connection().numActiveStreams();
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int streamDependency,
                              short weight, boolean exclusive, int padding, boolean endOfStream) {
        Assembly assembly = reading.get(streamId);
        if (assembly == null) {
            assembly = new Assembly(headers);
            reading.put(streamId, assembly);
        }
        // Otherwise these are trailers, which no route reads.
        if (endOfStream) {
            dispatch(streamId, stopReading(streamId), null);
        }
    }

    @Override
    public int onDataRead(ChannelHandlerContext context, int streamId, ByteBuf data, int padding,
                          boolean endOfStream) {
        int processed = data.readableBytes() + padding;
        Assembly assembly = reading.get(streamId);
        if (assembly == null) {
            return processed; // already answered (too large), or reset
        }
        if (assembly.body.size() + data.readableBytes() > maxBodyBytes) {
            dispatch(streamId, stopReading(streamId), new TooLongHttpContentException(
                    "the request body exceeds the limit of " + maxBodyBytes + " bytes"));
            return processed;
        }
        if (buffered + data.readableBytes() > maxBufferedBytes) {
            dispatch(streamId, stopReading(streamId), new TooLongHttpContentException("the request bodies being"
                    + " read on this connection exceed " + maxBufferedBytes + " bytes in all; send fewer at once"));
            return processed;
        }
        buffered += data.readableBytes();
        assembly.append(data);
        if (endOfStream) {
            dispatch(streamId, stopReading(streamId), null);
        }
        return processed;
    }

    private Assembly stopReading(int streamId) {
        Assembly assembly = reading.remove(streamId);
        if (assembly != null) {
            buffered -= assembly.body.size();
        }
        return assembly;
    }

    private void dispatch(int streamId, Assembly assembly, Throwable failure) {
        Http2Headers headers = assembly.headers;
        CharSequence methodName = headers.method();
        CharSequence path = headers.path();
        HttpMethod method = HttpMethod.GET;
        HttpHeaders plain = REQUEST_HEADERS.newHeaders();
        Throwable problem = failure;
        if (problem == null && (methodName == null || path == null)) {
            problem = new IllegalArgumentException("the request has no :method or no :path");
        }
        if (problem == null) {
            try {
                method = HttpMethod.valueOf(methodName.toString());
                HttpConversionUtil.addHttp2ToHttpHeaders(streamId, headers, plain, HttpVersion.HTTP_1_1, false, true);
            } catch (Http2Exception | IllegalArgumentException e) {
                problem = new IllegalArgumentException("the request's :method or headers are invalid: "
                        + e.getMessage(), e);
            }
        }
        ApiDispatcher.Incoming incoming = new ApiDispatcher.Incoming(method, path == null ? "/" : path.toString(),
                plain, assembly.body.toByteArray(), true, problem, System.nanoTime());
        boolean unread = failure != null;
        dispatcher.dispatch(incoming, ctx.executor(), rendered -> {
            if (ctx.executor().inEventLoop()) {
                answer(streamId, rendered, unread);
            } else {
                ctx.executor().execute(() -> answer(streamId, rendered, unread));
            }
        });
    }

    /** @param unread the client may still be sending this request's body: reset the stream once answered */
    private void answer(int streamId, ApiDispatcher.Rendered rendered, boolean unread) {
        Http2Stream stream = codec.connection().stream(streamId);
        if (stream == null || !stream.state().localSideOpen()) {
            return; // the client reset the stream or the connection is gone
        }
        // Names are this server's own constants (lower-cased, as HTTP/2 requires); values are checked, since
        // some carry ids a client chose.
        Http2Headers headers = new DefaultHttp2Headers(false, true, 8)
                .status(AsciiString.of(Integer.toString(rendered.status())));
        headers.set(HttpHeaderNames.CONTENT_TYPE, ApiChannelHandler.JSON_UTF8);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, rendered.body().length);
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        for (Map.Entry<String, String> header : rendered.headers().entrySet()) {
            headers.set(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
        }
        codec.encoder().writeHeaders(ctx, streamId, headers, 0, false, ctx.newPromise());
        ChannelFuture sent = codec.encoder().writeData(ctx, streamId, Unpooled.wrappedBuffer(rendered.body()), 0, true,
                ctx.newPromise());
        if (unread || rendered.close()) {
            // Only once the answer is out: a reset drops the stream's frames still waiting for flow control.
            sent.addListener(written -> {
                if (stream.state().remoteSideOpen()) {
                    codec.resetStream(ctx, streamId, Http2Error.NO_ERROR.code(), ctx.newPromise());
                    codec.flush(ctx);
                }
            });
        }
        // Through the codec: its flow controller holds DATA frames until it is flushed.
        codec.flush(ctx);
    }

    /** A request being read: its headers and the body so far. */
    private static final class Assembly {
        final Http2Headers headers;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Assembly(Http2Headers headers) {
            this.headers = headers;
        }

        /** Copies the frame's bytes straight into the body, without an intermediate array. */
        void append(ByteBuf data) {
            try {
                data.getBytes(data.readerIndex(), body, data.readableBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("a ByteArrayOutputStream does not fail", e);
            }
        }
    }
}
