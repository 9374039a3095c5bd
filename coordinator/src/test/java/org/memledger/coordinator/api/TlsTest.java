package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memledger.coordinator.ledger.Ledger;

/** TLS from PEM files ({@link SelfSignedTls}); HTTP/2 over TLS is in {@link Http2Test}. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void servesHttpsFromPemFilesAndRefusesPlainHttpOnThatPort() throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(dir);
        EmbeddedLedgerGateway gateway = EmbeddedLedgerGateway.create();
        try (HttpApiServer server = new HttpApiServer(gateway, HttpApiConfig.builder().port(0)
                .tls(tls.cert(), tls.key()).build())) {
            server.start();
            assertThat(server.uri().getScheme()).isEqualTo("https");

            HttpClient https = HttpClient.newBuilder().sslContext(tls.clientContext())
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> status = https.send(HttpRequest.newBuilder(server.uri().resolve("/v1/status"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(status.body()).contains("\"role\":\"LEADER\"");

            HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI insecure = URI.create("http://127.0.0.1:" + server.port() + "/v1/status");
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(insecure).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        } finally {
            gateway.close();
        }
    }

    @Test
    void unreadableTlsFilesAreAClearErrorAtConstruction() throws IOException {
        Path cert = dir.resolve("missing.crt");
        Path key = Files.writeString(dir.resolve("bad.key"), "not a key");
        HttpApiConfig config = HttpApiConfig.builder().port(0).tls(cert, key).build();
        assertThatThrownBy(() -> new HttpApiServer(new EmbeddedLedgerGateway(new Ledger(),
                java.time.Clock.systemUTC(), "t", 1), config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.crt");
        assertThatThrownBy(() -> HttpApiConfig.builder().tls(cert, null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--tls-key");
    }
}
