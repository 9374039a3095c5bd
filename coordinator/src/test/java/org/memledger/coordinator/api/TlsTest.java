package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memledger.coordinator.ledger.Ledger;

/**
 * TLS from PEM files. The certificate is made in the test with the JDK's keytool (self-signed,
 * for 127.0.0.1 and localhost) and converted to PEM, so no extra library is needed.
 */
class TlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    @Test
    void servesHttpsFromPemFilesAndRefusesPlainHttpOnThatPort() throws Exception {
        KeyStore keys = selfSigned();
        Path cert = dir.resolve("api.crt");
        Path key = dir.resolve("api.key");
        Certificate certificate = keys.getCertificate("api");
        Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", ((PrivateKey) keys.getKey("api", PASSWORD)).getEncoded()));

        EmbeddedLedgerGateway gateway = EmbeddedLedgerGateway.create();
        try (HttpApiServer server = new HttpApiServer(gateway, HttpApiConfig.builder().port(0)
                .tls(cert, key).build())) {
            server.start();
            assertThat(server.uri().getScheme()).isEqualTo("https");

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("api", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();

            HttpResponse<String> status = https.send(HttpRequest.newBuilder(server.uri().resolve("/v1/status"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
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

    private KeyStore selfSigned() throws Exception {
        Path store = dir.resolve("api.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "api",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        return keys;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
