package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memledger.coordinator.api.ApiHarness.GIB;
import static org.memledger.coordinator.api.ApiHarness.admitBody;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memledger.coordinator.api.ApiHarness.Reply;

/** The socket transport setting, and the same answers over either transport, inline or on a handler thread. */
class SocketTransportTest {

    @Test
    void bestIsEpollWhereNettysLibraryLoadsAndNioElsewhere() {
        SocketTransport best = SocketTransport.best();
        assertThat(best.label()).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
        assertThat(best.serverChannel()).isEqualTo(Epoll.isAvailable()
                ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
        assertThat(HttpApiConfig.builder().build().transport()).isEqualTo(best);
    }

    @Test
    void aTransportOtherThanTheTwoIsRefusedByName() {
        assertThat(SocketTransport.parse("nio")).isEqualTo(SocketTransport.NIO);
        assertThatThrownBy(() -> SocketTransport.parse("kqueue")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transport must be 'epoll' or 'nio', was 'kqueue'");
        if (!Epoll.isAvailable()) {
            assertThatThrownBy(() -> SocketTransport.parse("epoll")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not available");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void bothTransportsAnswerBodiesBelowAndAboveTheInlineLimitAlike(String name) throws Exception {
        Assumptions.assumeTrue(name.equals("nio") || Epoll.isAvailable(), "no epoll here");
        try (ApiHarness api = new ApiHarness(config -> config.transport(SocketTransport.parse(name)))) {
            api.node("n1", "z1", 8 * GIB, 16 * GIB);

            Reply small = api.post("/v1/deployments", admitBody("small", "alice", GIB, 1));
            // Same admission with whitespace padding past the inline limit: parsed on a handler thread.
            String padded = admitBody("large", "alice", GIB, 1).replaceFirst("\\{",
                    "{" + " ".repeat(ApiDispatcher.INLINE_BODY_BYTES));
            Reply large = api.post("/v1/deployments", padded);

            assertThat(small.status()).as(small.toString()).isEqualTo(201);
            assertThat(large.status()).as(large.toString()).isEqualTo(201);
            assertThat(large.json().path("placements").get(0).asText()).isEqualTo("n1");
            assertThat(api.delete("/v1/deployments/small").status()).isEqualTo(200);
            assertThat(api.get("/v1/deployments/small").status()).isEqualTo(404);
            assertThat(api.get("/v1/deployments/large").status()).isEqualTo(200);
        }
    }
}
