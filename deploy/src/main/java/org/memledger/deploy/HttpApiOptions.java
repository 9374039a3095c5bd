package org.memledger.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.memledger.coordinator.api.BearerAuth;
import org.memledger.coordinator.api.HttpApiConfig;
import org.memledger.coordinator.api.SocketTransport;
import picocli.CommandLine.Option;

/**
 * The HTTP API options of a command that serves it ({@code coordinator}, {@code up}): add
 * {@code @Mixin HttpApiOptions http;} and build the server from {@link #config()}.
 */
public final class HttpApiOptions {
  @Option(names = "--http-host", paramLabel = "HOST", defaultValue = HttpApiConfig.DEFAULT_HOST,
      description = "address the HTTP API binds (default: ${DEFAULT-VALUE}; another address needs --api-tokens)")
  String host;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "" + HttpApiConfig.DEFAULT_PORT,
      description = "port of the HTTP API (default: ${DEFAULT-VALUE}; 0 picks a free one)")
  int port;

  @Option(names = "--api-tokens", paramLabel = "FILE",
      description = "bearer tokens file of SHA-256 hashes and roles (see docs/api.md); none: loopback only, no auth")
  Path tokens;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "serve HTTPS with this certificate chain")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "the PKCS#8 private key of --tls-cert")
  Path tlsKey;

  @Option(names = "--max-body", paramLabel = "SIZE", defaultValue = "1Mi",
      converter = Converters.SizeConverter.class, description = "largest request body (default: ${DEFAULT-VALUE})")
  long maxBodyBytes;

  @Option(names = "--http-max-in-flight", paramLabel = "N", defaultValue = "" + HttpApiConfig.DEFAULT_MAX_IN_FLIGHT,
      description = "requests handled at once; more get 429 (default: ${DEFAULT-VALUE})")
  int maxInFlight;

  @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "5s",
      converter = Converters.DurationConverter.class,
      description = "deadline of a request without X-Request-Timeout (default: ${DEFAULT-VALUE})")
  Duration requestTimeout;

  @Option(names = "--http-transport", paramLabel = "epoll|nio",
      description = "Netty socket transport of the HTTP API (default: epoll where it loads, else nio)")
  String transport;

  @Option(names = "--http-io-threads", paramLabel = "N", defaultValue = "0",
      description = "event loops of the HTTP API (default: two per available core)")
  int ioThreads;

  /**
   * The server configuration these options describe.
   *
   * @throws IOException when the tokens file cannot be read
   * @throws IllegalArgumentException when a value or the tokens file is invalid (the message says which)
   */
  public HttpApiConfig config() throws IOException {
    BearerAuth auth = tokens == null ? BearerAuth.disabled() : BearerAuth.load(tokens);
    return HttpApiConfig.builder().host(host).port(port).auth(auth).tls(tlsCert, tlsKey)
        .maxBodyBytes(maxBodyBytes).maxInFlight(maxInFlight)
        .transport(transport == null ? SocketTransport.best() : SocketTransport.parse(transport))
        .ioThreads(ioThreads)
        .defaultTimeoutMillis(Math.min(requestTimeout.toMillis(), HttpApiConfig.DEFAULT_MAX_TIMEOUT_MILLIS))
        .build();
  }
}
