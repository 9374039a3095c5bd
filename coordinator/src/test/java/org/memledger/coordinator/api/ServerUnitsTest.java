package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.FastThreadLocalThread;

import org.junit.jupiter.api.Test;

/** The small parts of the server: routing, timeouts, and the refusal to run open off loopback. */
class ServerUnitsTest {

    @Test
    void routesBindParametersAndActionsAndTellWhichMethodsAPathAllows() {
        Router router = new Router();
        RouteHandler none = request -> null;
        router.add(HttpMethod.GET, "/v1/nodes/{id}", Set.of(Role.VIEWER), none);
        router.add(HttpMethod.POST, "/v1/nodes/{id}:drain", Set.of(Role.ADMIN), none);
        router.add(HttpMethod.POST, "/v1/deployments:check", Set.of(Role.ADMIN), none);

        assertThat(router.match(HttpMethod.GET, "/v1/nodes/n1").params()).isEqualTo(Map.of("id", "n1"));
        assertThat(router.match(HttpMethod.POST, "/v1/nodes/n1:drain").params()).isEqualTo(Map.of("id", "n1"));
        Router.Match wrongMethod = router.match(HttpMethod.GET, "/v1/nodes/n1:drain");
        assertThat(wrongMethod.found()).isFalse();
        assertThat(wrongMethod.allowed()).containsExactly("POST");
        assertThat(router.match(HttpMethod.POST, "/v1/deployments:check").found()).isTrue();
        assertThat(router.match(HttpMethod.GET, "/v1/nodes/").pathKnown()).isFalse();
        assertThat(router.match(HttpMethod.GET, "/v1/nodes/n1/x").pathKnown()).isFalse();
        assertThat(router.match(HttpMethod.POST, "/v1/nodes/:drain").pathKnown()).isFalse();
        assertThatThrownBy(() -> router.add(HttpMethod.GET, "/v1/nodes/{id}", Set.of(Role.ADMIN), none))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeoutsAreMillisecondsOrSayTheirUnitAndAreCutToTheMaximum() {
        assertThat(RequestDeadline.parseTimeoutMillis(null, 5_000, 60_000, "h")).isEqualTo(5_000);
        assertThat(RequestDeadline.parseTimeoutMillis("1500", 5_000, 60_000, "h")).isEqualTo(1_500);
        assertThat(RequestDeadline.parseTimeoutMillis("250ms", 5_000, 60_000, "h")).isEqualTo(250);
        assertThat(RequestDeadline.parseTimeoutMillis(" 2s ", 5_000, 60_000, "h")).isEqualTo(2_000);
        assertThat(RequestDeadline.parseTimeoutMillis("1m", 5_000, 60_000, "h")).isEqualTo(60_000);
        assertThat(RequestDeadline.parseTimeoutMillis("10m", 5_000, 60_000, "h")).isEqualTo(60_000);
        for (String bad : new String[] {"", "0", "-1", "1.5s", "2h", "s", "99999999999"}) {
            assertThatThrownBy(() -> RequestDeadline.parseTimeoutMillis(bad, 5_000, 60_000, "X-Request-Timeout"))
                    .as(bad).isInstanceOf(ApiError.class).hasMessageContaining("X-Request-Timeout");
        }
    }

    @Test
    void withoutTokensTheServerRefusesANonLoopbackAddress() {
        HttpApiConfig open = HttpApiConfig.builder().host("0.0.0.0").port(0).build();
        EmbeddedLedgerGateway gateway = EmbeddedLedgerGateway.create();
        assertThatThrownBy(() -> new HttpApiServer(gateway, open)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without bearer tokens").hasMessageContaining("--http-host 127.0.0.1");
        HttpApiConfig guarded = open.toBuilder().auth(BearerAuth.parse(BearerAuth.sha256Hex("t") + " admin")).build();
        new HttpApiServer(gateway, guarded).close();
    }

    @Test
    void configLimitsAreChecked() {
        assertThatThrownBy(() -> HttpApiConfig.builder().maxBodyBytes(10).build())
                .hasMessageContaining("maxBodyBytes");
        assertThatThrownBy(() -> HttpApiConfig.builder().maxInFlight(0).build()).hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> HttpApiConfig.builder().defaultTimeoutMillis(120_000).build())
                .hasMessageContaining("defaultTimeoutMillis");
    }

    @Test
    void serverThreadsAreNettysOwnSoFastThreadLocalsStayFast() {
        Thread thread = HttpApiServer.threads("memledger-api-io").newThread(() -> { });
        assertThat(thread).isInstanceOf(FastThreadLocalThread.class);
        assertThat(thread.getName()).isEqualTo("memledger-api-io-1");
        assertThat(thread.isDaemon()).isTrue();
    }
}
