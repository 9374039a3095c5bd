package org.memledger.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

import org.memledger.nodeagent.memory.Fixtures;
import org.memledger.nodeagent.memory.SystemPaths;

class AgentCommandTest {
    private static final String NL = System.lineSeparator();
    /** A machine whose /proc/meminfo is the "typical" fixture, on cgroup v1 (so auto picks meminfo). */
    private static final SystemPaths MACHINE = new SystemPaths(Fixtures.path("meminfo/typical"),
            Fixtures.path("hierarchy/proc/self-cgroup-v1"), Fixtures.path("hierarchy/mount"));

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = AgentCommand.commandLine(
                new AgentCommand(MACHINE, new ManualTime(1_700_000_000_000L), () -> "host-7"));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void printsTheMeasurementAsJsonWithReportFieldNames() {
        int exit = run("--once", "--print", "--json", "--memory-source", "static:16GiB,10GiB", "--node-id", "n1");

        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo("{\"nodeId\":\"n1\",\"source\":\"static\",\"physicalBytes\":17179869184,"
                + "\"availableBytes\":10737418240,\"deploymentUsage\":{}}" + NL);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void jsonCarriesDeclaredAndDeploymentUsageWhenGiven() {
        String root = Fixtures.path("deployments/root").toString();
        int exit = run("--once", "--print", "--json", "--memory-source", "static:16GiB,10GiB", "--declare", "8GiB",
                "--cgroup-root", root);

        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo("{\"nodeId\":\"host-7\",\"source\":\"static, deployments under " + root
                + "\",\"declaredBytes\":8589934592,\"physicalBytes\":17179869184,\"availableBytes\":10737418240,"
                + "\"deploymentUsage\":{\"d-2\":1073741824,\"d1\":104857600,\"d3\":5}}" + NL);
    }

    @Test
    void onceWithoutDeclarePrintsAHumanTableOfThisMachine() {
        int exit = run("--once");

        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo(String.join(NL,
                "node           host-7",
                "source         " + Fixtures.path("meminfo/typical"),
                "physical       15.56 GiB (16710053888 bytes)",
                "available      9.42 GiB (10109972480 bytes)",
                "deployments    none") + NL);
    }

    @Test
    void printWarnsWhenDeclaredExceedsWhatTheMachineCanGive() {
        int exit = run("--once", "--print", "--memory-source", "static:16GiB,10GiB", "--declare", "15GiB");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("declared       15.00 GiB (16106127360 bytes)" + NL
                + "capacity       12.80 GiB (13743895347 bytes) under the default policy" + NL);
        assertThat(err.toString()).isEqualTo("memledger agent: warning: --declare 15Gi exceeds physical memory 16.00 GiB "
                + "minus the system reserve 3.20 GiB (20 %, at most 4Gi): the ledger will count at most 12.80 GiB "
                + "(default policy)" + NL);
    }

    @Test
    void errorsAreOneLineAndExitOne() {
        List<String[]> mistakes = List.of(
                new String[] {"--once", "--memory-source", "bogus"},
                new String[] {"--print"},
                new String[] {"--json", "--declare", "1GiB"},
                new String[] {},
                new String[] {"--declare", "lots"},
                new String[] {"--declare", "1GiB", "--interval", "5"},
                new String[] {"--declare", "1GiB", "--coordinators", "10.0.0.1:7070"},
                new String[] {"--once", "--node-id", "bad id"},
                new String[] {"--once", "--memory-source", "cgroup"},
                new String[] {"--once", "--cgroup-root", "/no/such/root"});
        for (String[] args : mistakes) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);

            int exit = run(args);

            assertThat(exit).as(String.join(" ", args)).isEqualTo(1);
            assertThat(err.toString()).as(String.join(" ", args)).startsWith("memledger agent: ").endsWith(NL)
                    .hasLineCount(1);
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void errorMessagesSayWhatIsWrong() {
        run("--once", "--memory-source", "bogus");
        assertThat(err.toString()).isEqualTo("memledger agent: Invalid value for option '--memory-source': 'bogus' is not "
                + "a memory source (auto|cgroup|meminfo|static:PHYSICAL,AVAILABLE)" + NL);
        err.getBuffer().setLength(0);

        run();
        assertThat(err.toString()).isEqualTo("memledger agent: --declare SIZE is required, e.g. --declare 48GiB" + NL);
    }

    @Test
    void helpShowsAnExample() {
        int exit = run("--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Examples:", "memledger agent --node-id n1 --declare 48GiB",
                "memledger agent --once --print", "--memory-source", "--cgroup-root", "--token");
    }

    @Test
    void onceWithDeclareRegistersAndReportsOnce() throws Exception {
        try (FakeCoordinator fake = FakeCoordinator.start()) {
            int exit = run("--once", "--declare", "8GiB", "--node-id", "n1", "--memory-source", "static:16GiB,10GiB",
                    "--coordinators", FakeCoordinator.deadUri() + "," + fake.uri(), "--token", "T0k3n");

            assertThat(exit).isZero();
            assertThat(out.toString()).isEqualTo("reported node n1: seq 1700000000000, physical 16.00 GiB, "
                    + "available 10.00 GiB, 0 deployments" + NL);
            assertThat(fake.acceptedReports()).hasSize(1);
            assertThat(fake.requests()).extracting(FakeCoordinator.Request::authorization).containsOnly("Bearer T0k3n");
            assertThat(err.toString().lines()).hasSize(3).allSatisfy(line ->
                    assertThat(line).startsWith("2023-11-14T22:13:20.000Z memledger agent: "));
            assertThat(err.toString()).contains("failed over to coordinator " + fake.uri());
        }
    }

    @Test
    void onceWithoutAnyCoordinatorFails() throws Exception {
        int exit = run("--once", "--declare", "8GiB", "--memory-source", "static:16GiB,10GiB", "--coordinators",
                FakeCoordinator.deadUri().toString());

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("failed (");
    }
}
