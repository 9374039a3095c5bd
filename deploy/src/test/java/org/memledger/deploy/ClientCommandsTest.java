package org.memledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memledger.coordinator.api.BearerAuth;
import org.memledger.coordinator.api.EmbeddedLedgerGateway;
import org.memledger.coordinator.api.HttpApiConfig;
import org.memledger.coordinator.api.HttpApiServer;
import org.memledger.coordinator.ledger.Ledger;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.ReportNode;
import picocli.CommandLine;

/** The client subcommands against a real API server in this JVM: exit codes and output. */
class ClientCommandsTest {
  private static final long GIB = 1L << 30;

  private EmbeddedLedgerGateway gateway;
  private HttpApiServer server;
  private String api;

  private record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    gateway = new EmbeddedLedgerGateway(new Ledger(), Clock.systemUTC(), "cli-test", 16);
    server = new HttpApiServer(gateway, HttpApiConfig.builder().port(0).defaultTimeoutMillis(30_000).build());
    server.start();
    api = server.uri().toString();
    for (String node : List.of("n1", "n2")) {
      gateway.submit(RegisterNode.of(node, "op", node.equals("n1") ? "z1" : "z2", 8 * GIB), 10_000)
          .get(10, TimeUnit.SECONDS);
      gateway.submit(new ReportNode(node, 1, 8 * GIB, 16 * GIB, 16 * GIB, new TreeMap<>()), 10_000)
          .get(10, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void stop() {
    server.close();
    gateway.close();
  }

  private Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--api") && !all.contains("--help") && !all.get(0).equals("token")) {
      all.add("--api");
      all.add(api);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MemledgerCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(all.toArray(new String[0]));
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void admitWithUnitsPrintsThePlacementAndExitsZero() {
    Run run = run("admit", "web-1", "--owner", "alice", "--firm", "512Mi", "--min", "256Mi", "--replicas", "2",
        "--zone-spread");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("admitted web-1 on ").contains("n1").contains("n2").contains("remain there");
    assertThat(run.err()).isEmpty();

    Run again = run("admit", "web-1", "--owner", "alice", "--firm", "512Mi", "--min", "256Mi", "--replicas", "2",
        "--zone-spread");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("repeat of an identical earlier admission");

    Run get = run("get", "web-1");
    assertThat(get.exitCode()).isZero();
    assertThat(get.out()).contains("owner").contains("alice").contains("512.00 MiB (536870912)")
        .contains("256.00 MiB (268435456)").contains("2 (zone spread)");
  }

  @Test
  void aRejectionExitsTwoAndSaysWhatWouldFit() {
    Run run = run("admit", "huge", "--owner", "alice", "--firm", "64Gi");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).contains("rejected huge: INSUFFICIENT_MEMORY").contains("largest firm limit admissible now");

    Run json = run("admit", "huge", "--owner", "alice", "--firm", "64Gi", "--json");
    assertThat(json.exitCode()).isEqualTo(2);
    assertThat(json.out()).startsWith("{\"status\":\"REJECTED\"").contains("\"maxAdmissibleBytes\":");
  }

  @Test
  void checkWritesNothingAndReleaseEndsTheReservation() {
    long index = gateway.status().appliedIndex();
    Run check = run("check", "d1", "--owner", "alice", "--firm", "1Gi");
    assertThat(check.exitCode()).isZero();
    assertThat(check.out()).startsWith("would admit d1").contains("dry run");
    Run tooBig = run("check", "d1", "--owner", "alice", "--firm", "100Gi");
    assertThat(tooBig.exitCode()).isEqualTo(2);
    assertThat(tooBig.out()).startsWith("would reject d1");
    assertThat(gateway.status().appliedIndex()).isEqualTo(index);

    assertThat(run("admit", "d1", "--owner", "alice", "--firm", "1Gi").exitCode()).isZero();
    Run release = run("release", "d1");
    assertThat(release.exitCode()).isZero();
    assertThat(release.out()).startsWith("released d1 at ");
    Run again = run("release", "d1");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).startsWith("memledger: 404 NOT_FOUND: deployment 'd1' is not live");
    assertThat(run("get", "d1").exitCode()).isEqualTo(1);
  }

  @Test
  void listNodesCapacityAndStatusPrintTablesOrJson() {
    run("admit", "a1", "--owner", "alice", "--firm", "1Gi");
    run("admit", "a2", "--owner", "alice", "--firm", "1Gi");
    run("admit", "b1", "--owner", "bob", "--firm", "1Gi", "--replicas", "ALL");

    Run list = run("list", "--owner", "alice", "--limit", "1");
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).startsWith("DEPLOYMENT").contains("a1").doesNotContain("a2")
        .contains("more: memledger list --owner alice --after a1");
    Run all = run("list");
    assertThat(all.out()).contains("a1").contains("a2").contains("b1").contains("every admitting node");

    Run nodes = run("nodes");
    assertThat(nodes.exitCode()).isZero();
    assertThat(nodes.out()).startsWith("NODE").contains("n1").contains("ACTIVE").contains("8.00 GiB");
    Run node = run("nodes", "n2", "--json");
    assertThat(node.out()).startsWith("{\"nodeId\":\"n2\"");
    assertThat(run("nodes", "ghost").exitCode()).isEqualTo(1);

    Run capacity = run("capacity");
    assertThat(capacity.exitCode()).isZero();
    assertThat(capacity.out()).contains("utilization").contains("25 %").contains("admissible for ALL");

    Run status = run("status");
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).contains("cli-test").contains("LEADER").contains(gateway.status().stateHash());
  }

  @Test
  void anUnreachableApiIsOneClearLineAndExitOne() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Run run = run("status", "--api", "http://127.0.0.1:" + port);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("memledger: cannot connect to http://127.0.0.1:" + port)
        .contains("connection refused");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void badUnitsAreUsageErrorsAndEveryClientCommandShowsAnExample() {
    Run bad = run("admit", "d1", "--owner", "alice", "--firm", "12 parsecs");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--firm").contains("12 parsecs");
    Run replicas = run("admit", "d1", "--owner", "alice", "--replicas", "0");
    assertThat(replicas.exitCode()).isEqualTo(2);

    for (String command : List.of("admit", "check", "release", "get", "list", "nodes", "capacity", "status")) {
      Run help = run(command, "--help");
      assertThat(help.exitCode()).as(command).isZero();
      assertThat(help.out()).as(command).contains("Example:").contains("memledger " + command)
          .contains("--api=URL").contains("MEMLEDGER_API").contains("Exit codes");
    }
  }

  @Test
  void tokensAreSentAndTheirAbsenceIsAClearError() throws Exception {
    server.close();
    Map<String, org.memledger.coordinator.api.Principal> tokens = new TreeMap<>();
    tokens.put(BearerAuth.sha256Hex("s3cret"), new org.memledger.coordinator.api.Principal("alice",
        org.memledger.coordinator.api.Role.CLIENT, "alice", List.of()));
    server = new HttpApiServer(gateway, HttpApiConfig.builder().port(0).defaultTimeoutMillis(30_000)
        .auth(BearerAuth.of(tokens)).build());
    server.start();
    api = server.uri().toString();

    Run anonymous = run("status");
    assertThat(anonymous.exitCode()).isEqualTo(1);
    assertThat(anonymous.err()).contains("401 UNAUTHENTICATED");
    Run withToken = run("admit", "mine", "--firm", "1Gi", "--token", "s3cret");
    assertThat(withToken.exitCode()).as(withToken.err()).isZero();
    Run other = run("admit", "theirs", "--owner", "bob", "--firm", "1Gi", "--token", "s3cret");
    assertThat(other.exitCode()).isEqualTo(1);
    assertThat(other.err()).contains("403 PERMISSION_DENIED");
  }

  @Test
  void tokenHashMatchesTheServerAndNewPrintsAFileLine() {
    Run hash = run("token", "hash", "test");
    assertThat(hash.out().strip()).isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

    Run made = run("token", "new", "--role", "client", "--scope", "alice");
    assertThat(made.exitCode()).isZero();
    String token = made.err().substring(made.err().indexOf("mlt_")).strip();
    assertThat(made.out().strip()).isEqualTo(BearerAuth.sha256Hex(token) + " client alice");

    assertThat(run("token", "new", "--role", "client").exitCode()).isEqualTo(2);
    assertThat(run("token", "new", "--role", "root").exitCode()).isEqualTo(2);
    assertThat(run("token", "new", "--role", "viewer").exitCode()).isZero();

    Run help = run("token", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("printf %s \"$TOKEN\" | memledger token hash");
    assertThat(help.err()).isEmpty();
  }

  @Test
  void httpApiOptionsBuildTheServerConfiguration() throws Exception {
    HttpApiOptions options = new HttpApiOptions();
    new CommandLine(options).parseArgs("--http-port", "0", "--max-body", "2Mi", "--request-timeout", "2s",
        "--http-max-in-flight", "8", "--http-io-threads", "3");
    HttpApiConfig config = options.config();
    assertThat(config.ioThreads()).isEqualTo(3);
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.maxBodyBytes()).isEqualTo(2L << 20);
    assertThat(config.defaultTimeoutMillis()).isEqualTo(2_000);
    assertThat(config.maxInFlight()).isEqualTo(8);
    assertThat(config.auth().enabled()).isFalse();

    HttpApiOptions defaults = new HttpApiOptions();
    new CommandLine(defaults).parseArgs();
    assertThat(defaults.config().port()).isEqualTo(7070);
    assertThat(defaults.config().defaultTimeoutMillis()).isEqualTo(5_000);
    assertThat(defaults.config().ioThreads()).as("0: Netty's default, two event loops per core").isZero();

    HttpApiOptions negative = new HttpApiOptions();
    new CommandLine(negative).parseArgs("--http-io-threads", "-1");
    assertThatThrownBy(negative::config).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ioThreads must be 0..1024, was -1");
  }
}
