package org.memledger.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.memledger.protocol.json.Json;

/**
 * The CLI's side of the HTTP API: one JDK {@link HttpClient} (HTTP/1.1), the bearer token, the
 * request deadline sent as {@code X-Request-Timeout}, and answers parsed with the lenient protocol
 * mapper. Every way of not getting an answer becomes a {@link Failure} with one clear line.
 */
final class ApiClient {

  /** No answer from the API: the message is one line a person can act on. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }

  /** An HTTP answer: status, raw body (for --json) and the parsed body (null when it is not JSON). */
  record Reply(int status, String body, JsonNode json) {
    String errorCode() {
      return json == null ? "HTTP_" + status : json.path("error").path("code").asText("HTTP_" + status);
    }

    String errorMessage() {
      return json == null ? body.strip() : json.path("error").path("message").asText(body.strip());
    }
  }

  private final URI base;
  private final String token;
  private final Duration timeout;
  private final HttpClient http;
  private final ObjectMapper mapper = Json.lenient();

  ApiClient(URI base, String token, Duration timeout, Path caCertificate) throws Failure {
    this.base = base;
    this.token = token == null || token.isBlank() ? null : token.strip();
    this.timeout = timeout;
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout);
    if (caCertificate != null) {
      builder.sslContext(trusting(caCertificate));
    }
    this.http = builder.build();
  }

  ObjectMapper mapper() {
    return mapper;
  }

  Reply get(String path) throws Failure {
    return send("GET", path, null);
  }

  Reply send(String method, String path, Object body) throws Failure {
    URI uri = base.resolve(path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Accept", "application/json")
        .header("X-Request-Timeout", timeout.toMillis() + "ms");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofByteArray(write(body)));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw new Failure("cannot connect to " + base + " (no answer within " + timeout.toMillis()
          + " ms); check --api or MEMLEDGER_API");
    } catch (HttpTimeoutException e) {
      throw new Failure(base + " did not answer within " + timeout.toMillis() + " ms (--timeout)");
    } catch (ConnectException e) {
      throw new Failure("cannot connect to " + base + " (connection refused): is a memledger coordinator"
          + " running there? Set --api or MEMLEDGER_API");
    } catch (SSLException e) {
      throw new Failure("TLS with " + base + " failed: " + e.getMessage() + " (--cacert names a CA to trust)");
    } catch (IOException e) {
      throw new Failure("request to " + uri + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
    return new Reply(response.statusCode(), response.body(), parse(response));
  }

  private JsonNode parse(HttpResponse<String> response) {
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (!type.startsWith("application/json")) {
      return null;
    }
    try {
      return mapper.readTree(response.body());
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private byte[] write(Object body) throws Failure {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new Failure("cannot encode the request: " + e.getOriginalMessage());
    }
  }

  /** An SSL context trusting the PEM certificates in {@code file} (and only those). */
  private static SSLContext trusting(Path file) throws Failure {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new Failure(file + " holds no certificate");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new Failure("cannot read CA certificates from " + file + ": " + e.getMessage());
    }
  }
}
