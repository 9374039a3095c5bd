package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.api.ApiHarness.GIB;
import static org.memledger.coordinator.api.ApiHarness.MIB;
import static org.memledger.coordinator.api.ApiHarness.admitBody;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 on the API port: chosen by ALPN under TLS, by the connection preface in plain text; many
 * requests at once on one connection; the same answers, limits and errors as over HTTP/1.1.
 */
class Http2Test {
    @TempDir
    Path dir;

    @Test
    void underTlsAClientOfferingH2GetsHttp2AndTheSameAnswersAsOverHttp11() throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(dir);
        try (ApiHarness api = new ApiHarness(config -> config.tls(tls.cert(), tls.key()))) {
            HttpClient http11 = HttpClient.newBuilder().sslContext(tls.clientContext())
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            HttpClient http2 = HttpClient.newBuilder().sslContext(tls.clientContext())
                    .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(10)).build();
            api.http = http2;
            api.node("n1", "z1", 8 * GIB, 16 * GIB);

            HttpResponse<String> admitted = send(http2, api.base, "POST", "/v1/deployments",
                    admitBody("d1", "alice", GIB, 1));
            assertThat(admitted.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(201);
            assertThat(admitted.body()).contains("\"status\":\"ADMITTED\"").contains("\"deploymentId\":\"d1\"");
            assertThat(admitted.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");

            HttpResponse<String> repeat = send(http11, api.base, "POST", "/v1/deployments",
                    admitBody("d1", "alice", GIB, 1));
            assertThat(repeat.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(repeat.statusCode()).as("the same request repeated over HTTP/1.1").isEqualTo(200);

            String hash = api.stateHash();
            HttpResponse<String> malformed = send(http2, api.base, "POST", "/v1/deployments", "{\"deploymentId\":");
            assertThat(malformed.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.body()).contains("\"code\":\"MALFORMED_JSON\"");
            HttpResponse<String> unknown = send(http2, api.base, "GET", "/v1/nothing-here", null);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(api.stateHash()).as("refused requests change nothing").isEqualTo(hash);
        }
    }

    @Test
    void inPlainTextThePrefaceSelectsHttp2AndOneConnectionCarriesManyRequestsAtOnce() throws Exception {
        try (ApiHarness api = new ApiHarness();
             PriorKnowledgeClient h2c = new PriorKnowledgeClient(api.base)) {
            api.node("n1", "z1", 64 * GIB, 64 * GIB);
            List<CompletableFuture<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                answers.add(h2c.send(HttpMethod.POST, "/v1/deployments", admitBody("d" + i, "alice", 64 * MIB, 1)));
            }
            for (int i = 0; i < answers.size(); i++) {
                Answer answer = answers.get(i).get(60, TimeUnit.SECONDS);
                assertThat(answer.status()).as(answer.body()).isEqualTo(201);
                assertThat(answer.body()).contains("\"deploymentId\":\"d" + i + "\"");
            }
            assertThat(api.get("/v1/deployments?limit=1000").body())
                    .as("all hundred were admitted, over one TCP connection").contains("\"d99\"").contains("\"d0\"");
            assertThat(h2c.connectionsOpened()).isEqualTo(1);

            String hash = api.stateHash();
            Answer tooLarge = h2c.send(HttpMethod.POST, "/v1/deployments", "x".repeat((1 << 20) + 10))
                    .get(60, TimeUnit.SECONDS);
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.body()).contains("PAYLOAD_TOO_LARGE");
            Answer released = h2c.send(HttpMethod.DELETE, "/v1/deployments/d0", null).get(60, TimeUnit.SECONDS);
            assertThat(released.status()).as("the connection outlives a refused stream: " + released.body())
                    .isEqualTo(200);
            assertThat(api.stateHash()).isNotEqualTo(hash);
        }
    }

    @Test
    void aConnectionHoldsABoundedAmountOfUnfinishedBodies() throws Exception {
        try (ApiHarness api = new ApiHarness();
             PriorKnowledgeClient h2c = new PriorKnowledgeClient(api.base)) {
            api.node("n1", "z1", 8 * GIB, 16 * GIB);
            String hash = api.stateHash();
            int streams = (int) (Http2Requests.MIN_BUFFERED_BYTES / HttpApiConfig.DEFAULT_MAX_BODY_BYTES) + 1;
            List<CompletableFuture<Answer>> unfinished = new ArrayList<>();
            List<Channel> opened = new CopyOnWriteArrayList<>();
            for (int i = 0; i < streams; i++) {
                unfinished.add(h2c.sendUnfinished("/v1/deployments", (int) HttpApiConfig.DEFAULT_MAX_BODY_BYTES,
                        opened));
            }
            Answer refused = (Answer) CompletableFuture.anyOf(unfinished.toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.body()).contains("on this connection").contains(Long.toString(
                    Http2Requests.MIN_BUFFERED_BYTES));
            assertThat(unfinished.stream().filter(CompletableFuture::isDone).count())
                    .as("one stream over the bound is refused; the others are still being read").isEqualTo(1);

            ApiHarness.await("every stream is open", () -> opened.size() == streams);
            for (Channel stream : opened) {
                stream.close(); // resets the unfinished streams, which frees what the server held for them
            }
            Answer admitted = h2c.send(HttpMethod.POST, "/v1/deployments", admitBody("d1", "alice", GIB, 1))
                    .get(60, TimeUnit.SECONDS);
            assertThat(admitted.status()).as(admitted.body()).isEqualTo(201);
            assertThat(api.stateHash()).as("only the finished request was applied").isNotEqualTo(hash);
            assertThat(api.get("/v1/deployments?limit=1000").body()).contains("\"d1\"");
        }
    }

    @Test
    void anUpgradeToH2cIsDeclinedAndAnsweredOverHttp11() throws Exception {
        try (ApiHarness api = new ApiHarness()) {
            // The JDK client asks for h2c with an Upgrade header when told to prefer HTTP/2 over plain text.
            HttpClient upgrading = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> status = send(upgrading, api.base, "GET", "/v1/status", null);
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(status.body()).contains("\"role\":\"LEADER\"");
        }
    }

    @Test
    void anIdleHttp2ConnectionIsClosedButNotWhileARequestWaitsForTheLedger() throws Exception {
        try (ApiHarness api = new ApiHarness(config -> config.idleTimeoutMillis(1_000));
             PriorKnowledgeClient h2c = new PriorKnowledgeClient(api.base)) {
            api.node("n1", "z1", 8 * GIB, 16 * GIB);
            api.gateway.pauseApplying();
            CompletableFuture<Answer> held = h2c.send(HttpMethod.POST, "/v1/deployments",
                    admitBody("d1", "alice", GIB, 1), "X-Request-Timeout", "30s");
            ApiHarness.await("the admission is held", () -> api.gateway.heldCommands() == 1);
            long idleSince = System.nanoTime();
            // Held well past the idle timeout, the request keeps its connection open.
            ApiHarness.await("two idle timeouts pass", () -> System.nanoTime() - idleSince > 2_500_000_000L);
            assertThat(h2c.isOpen()).isTrue();
            api.gateway.resumeApplying();
            assertThat(held.get(60, TimeUnit.SECONDS).status()).isEqualTo(201);

            ApiHarness.await("the idle connection is closed", () -> !h2c.isOpen());
        }
    }

    private static HttpResponse<String> send(HttpClient client, URI base, String method, String path, String json)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    record Answer(int status, String body) {
    }

    /**
     * HTTP/2 in plain text with prior knowledge, which the JDK client does not speak: Netty's client
     * codec, one TCP connection, a new stream per request.
     */
    private static final class PriorKnowledgeClient implements AutoCloseable {
        private final EventLoopGroup group = new NioEventLoopGroup(1);
        private final Channel connection;
        private int connectionsOpened;

        PriorKnowledgeClient(URI base) throws InterruptedException {
            connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connectionsOpened++;
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                    new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        }
                    })
                    .connect(base.getHost(), base.getPort()).sync().channel();
        }

        int connectionsOpened() {
            return connectionsOpened;
        }

        boolean isOpen() {
            return connection.isActive();
        }

        CompletableFuture<Answer> send(HttpMethod method, String path, String json, String... headers) {
            CompletableFuture<Answer> answer = new CompletableFuture<>();
            streams(answer).open().addListener(opened -> {
                if (!opened.isSuccess()) {
                    answer.completeExceptionally(opened.cause());
                    return;
                }
                byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
                DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
                        Unpooled.wrappedBuffer(body));
                request.headers().set(HttpHeaderNames.HOST, "127.0.0.1");
                request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                for (int i = 0; i < headers.length; i += 2) {
                    request.headers().set(headers[i], headers[i + 1]);
                }
                ((Http2StreamChannel) opened.getNow()).writeAndFlush(request);
            });
            return answer;
        }

        /** Opens streams whose answer completes {@code answer}; a stream closed unanswered fails it. */
        private Http2StreamChannelBootstrap streams(CompletableFuture<Answer> answer) {
            return new Http2StreamChannelBootstrap(connection).handler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel stream) {
                    stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                            new HttpObjectAggregator(1 << 20), new SimpleChannelInboundHandler<FullHttpResponse>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                                    answer.complete(new Answer(response.status().code(),
                                            response.content().toString(StandardCharsets.UTF_8)));
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    answer.completeExceptionally(new IllegalStateException("stream closed unanswered"));
                                }
                            });
                }
            });
        }

        /**
         * A POST whose HEADERS and {@code bytes} of DATA are sent without ending the stream; adds the
         * stream to {@code opened} (from the client's event loop).
         */
        CompletableFuture<Answer> sendUnfinished(String path, int bytes, List<Channel> opened) {
            CompletableFuture<Answer> answer = new CompletableFuture<>();
            streams(answer).open().addListener(done -> {
                if (!done.isSuccess()) {
                    answer.completeExceptionally(done.cause());
                    return;
                }
                Http2StreamChannel stream = (Http2StreamChannel) done.getNow();
                opened.add(stream);
                Http2Headers headers = new DefaultHttp2Headers().method("POST").path(path).scheme("http")
                        .authority("127.0.0.1");
                headers.set("content-type", "application/json");
                stream.write(new DefaultHttp2HeadersFrame(headers, false));
                stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[bytes]), false));
            });
            return answer;
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
