package org.memledger.deploy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How client subcommands reach the API: shared by admit, check, release, get, list, nodes, capacity, status. */
final class ApiClientOptions {
  static final String DEFAULT_API = "http://127.0.0.1:7070";

  @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:MEMLEDGER_API:-" + DEFAULT_API + "}",
      description = "API of any coordinator replica (default: $MEMLEDGER_API or ${DEFAULT-VALUE})")
  URI api;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:MEMLEDGER_TOKEN}",
      description = "bearer token (default: $MEMLEDGER_TOKEN); prefer the variable: arguments show in ps")
  String token;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = Converters.DurationConverter.class,
      description = "request deadline, sent as X-Request-Timeout (e.g. 500ms, 10s; default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--cacert", paramLabel = "PEM",
      description = "trust only the CA certificates in this PEM file for https:// (default: the JDK's)")
  Path caCertificate;

  @Option(names = "--json", description = "print the raw JSON answer instead of a table")
  boolean json;

  ApiClient client() throws ApiClient.Failure {
    String scheme = api.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || api.getHost() == null) {
      throw new ApiClient.Failure("--api must be an http:// or https:// URL, was '" + api + "'");
    }
    return new ApiClient(api, token, timeout, caCertificate);
  }
}
