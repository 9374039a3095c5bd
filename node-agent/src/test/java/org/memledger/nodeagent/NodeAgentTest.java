package org.memledger.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.memledger.nodeagent.FakeCoordinator.Request;
import org.memledger.nodeagent.memory.Fixtures;
import org.memledger.nodeagent.memory.MemoryReading;
import org.memledger.nodeagent.memory.MemorySource;
import org.memledger.nodeagent.memory.ProcMeminfoSource;
import org.memledger.nodeagent.memory.StaticSource;
import org.memledger.protocol.ReportNode;

/**
 * The report loop against a stand-in coordinator on loopback. Time is manual: {@link #runUntil}
 * plays the loop's passes at the times it asks for, so schedules are exact and runs repeatable.
 */
class NodeAgentTest {
    private static final long WALL = 1_700_000_000_000L;
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    private final ManualTime time = new ManualTime(WALL);
    private final List<String> status = new CopyOnWriteArrayList<>();
    private final StaticSource source = new StaticSource(new MemoryReading(16 * GIB, 10 * GIB,
            new TreeMap<>(Map.of("d1", 100 * MIB))));
    private FakeCoordinator fake;

    @BeforeEach
    void startCoordinator() throws IOException {
        fake = FakeCoordinator.start();
    }

    @AfterEach
    void stopCoordinator() {
        fake.close();
    }

    private AgentConfig.Builder config(List<URI> coordinators) {
        return AgentConfig.builder("n1", 8 * GIB).operator("op-a").zone("z1").labels(Map.of("rack", "r1"))
                .coordinators(coordinators).token("secret-token").intervalMillis(5_000);
    }

    private NodeAgent agent(AgentConfig config, MemorySource memory) {
        return new NodeAgent(config, memory, status::add, time, new SplittableRandom(42));
    }

    private NodeAgent agent(List<URI> coordinators) {
        return agent(config(coordinators).build(), source);
    }

    private NodeAgent agent() {
        return agent(List.of(fake.uri()));
    }

    /** Plays the loop: each pass at the monotonic time the previous one asked for, up to {@code untilMillis}. */
    private void runUntil(NodeAgent agent, long untilMillis) throws InterruptedException {
        while (true) {
            long wakeAt = agent.step();
            if (wakeAt > untilMillis) {
                time.advanceTo(untilMillis);
                return;
            }
            time.advanceTo(wakeAt);
        }
    }

    private String registeredLine() {
        return "registered node n1 with coordinator " + fake.uri() + " (declared 8Gi, zone z1, operator op-a)";
    }

    @Test
    void registersThenReportsWithTheContractBodiesAndToken() throws InterruptedException {
        agent().step();

        List<Request> requests = fake.requests();
        assertThat(requests).extracting(Request::method, Request::path).containsExactly(
                tuple("GET", "/v1/policy"), tuple("PUT", "/v1/nodes/n1"), tuple("POST", "/v1/nodes/n1/reports"));
        assertThat(requests.get(1).body())
                .isEqualTo("{\"operator\":\"op-a\",\"zone\":\"z1\",\"labels\":{\"rack\":\"r1\"},\"declaredBytes\":8589934592}");
        assertThat(requests.get(2).body()).isEqualTo("{\"seq\":1700000000000,\"declaredBytes\":8589934592,"
                + "\"physicalBytes\":17179869184,\"availableBytes\":10737418240,\"deploymentUsage\":{\"d1\":104857600}}");
        assertThat(requests).extracting(Request::authorization).containsOnly("Bearer secret-token");
        assertThat(status).containsExactly("connected to coordinator " + fake.uri(), registeredLine());
    }

    @Test
    void reportsEveryJitteredIntervalAndNotBetween() throws InterruptedException {
        NodeAgent agent = agent();
        agent.step();

        runUntil(agent, 4_499);
        assertThat(fake.reports()).hasSize(1);
        runUntil(agent, 60_000);

        List<Long> seqs = fake.reports().stream().map(r -> r.json().get("seq").asLong()).toList();
        assertThat(seqs).hasSizeBetween(11, 14);
        List<Long> gaps = new java.util.ArrayList<>();
        for (int i = 1; i < seqs.size(); i++) {
            gaps.add(seqs.get(i) - seqs.get(i - 1)); // the wall clock moves with monotonic time here
        }
        assertThat(gaps).allSatisfy(gap -> assertThat(gap).isBetween(4_500L, 5_500L));
        assertThat(gaps.stream().distinct().count()).as("jittered").isGreaterThan(1);
        assertThat(status).hasSize(2);
    }

    @Test
    void seqIsWallClockMillisAndStrictlyIncreasingWhateverTheClockDoes() throws InterruptedException {
        NodeAgent agent = agent();
        agent.step();
        time.stepWall(-3_600_000); // NTP steps back an hour: scheduling is monotonic, seq keeps rising
        runUntil(agent, 20_000);

        List<Long> seqs = fake.reports().stream().map(r -> r.json().get("seq").asLong()).toList();
        assertThat(seqs).hasSizeGreaterThan(3).startsWith(WALL, WALL + 1, WALL + 2).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void seqKeepsIncreasingAcrossRestarts() throws InterruptedException {
        NodeAgent first = agent();
        runUntil(first, 20_000);
        long lastSeq = fake.reports().get(fake.reports().size() - 1).json().get("seq").asLong();

        time.advance(1); // a restart takes at least a millisecond
        agent().step();

        long restartedSeq = fake.reports().get(fake.reports().size() - 1).json().get("seq").asLong();
        assertThat(restartedSeq).isGreaterThan(lastSeq);
    }

    @Test
    void reportsAtOnceWhenMemoryMovesBeyondTheThreshold() throws InterruptedException {
        NodeAgent agent = agent();
        agent.step();
        long onePercent = 16 * GIB / 100;

        time.advanceTo(1_000);
        source.set(16 * GIB, 10 * GIB - onePercent);
        agent.step();
        assertThat(fake.reports()).hasSize(1);

        time.advanceTo(2_000);
        source.set(16 * GIB, 10 * GIB - 3 * onePercent);
        agent.step();
        assertThat(fake.reports()).hasSize(2);
        assertThat(fake.reports().get(1).json().get("availableBytes").asLong()).isEqualTo(10 * GIB - 3 * onePercent);

        time.advanceTo(3_000);
        source.setDeploymentUsage(new TreeMap<>(Map.of("d1", 100 * MIB, "d2", MIB)));
        agent.step();
        assertThat(fake.reports()).hasSize(3);
        assertThat(fake.reports().get(2).json().get("deploymentUsage").get("d2").asLong()).isEqualTo(MIB);
    }

    @Test
    void failsOverToTheNextCoordinatorAndSaysSoOnce() throws Exception {
        URI dead = FakeCoordinator.deadUri();
        NodeAgent agent = agent(List.of(dead, fake.uri()));

        runUntil(agent, 30_000);

        assertThat(fake.acceptedReports()).hasSizeGreaterThan(5);
        assertThat(status).hasSize(3);
        assertThat(status.get(0)).startsWith("coordinator " + dead + " failed (")
                .endsWith("); failing over to " + fake.uri());
        assertThat(status.get(1)).isEqualTo("failed over to coordinator " + fake.uri());
        assertThat(status.get(2)).isEqualTo(registeredLine());
    }

    @Test
    void backsOffWhileAllFailThenRecoversWithOneFreshReport() throws InterruptedException {
        NodeAgent agent = agent();
        agent.step();
        status.clear();

        fake.failWith(503);
        runUntil(agent, 30_000);
        source.set(16 * GIB, 7 * GIB); // measured during the outage: the only figure that must arrive
        runUntil(agent, 60_000);

        List<Request> failed = fake.reports().stream().filter(r -> r.status() == 503).toList();
        List<Long> seqs = failed.stream().map(r -> r.json().get("seq").asLong()).toList();
        for (int i = 1; i < seqs.size(); i++) {
            long expected = Math.min(200L << (i - 1), 10_000);
            assertThat(seqs.get(i) - seqs.get(i - 1)).as("delay before retry %d", i)
                    .isBetween(expected - expected / 10, expected + expected / 10);
        }
        assertThat(status).containsExactly("coordinator " + fake.uri() + " failed (503 UNAVAILABLE: no leader); "
                + "retrying with backoff");

        fake.failWith(0);
        time.advanceTo(agent.step());
        agent.step();

        List<Request> accepted = fake.acceptedReports();
        assertThat(accepted).hasSize(2);
        Request fresh = accepted.get(1);
        assertThat(fresh.json().get("availableBytes").asLong()).isEqualTo(7 * GIB);
        assertThat(fresh.json().get("seq").asLong()).isGreaterThan(seqs.get(seqs.size() - 1));
        assertThat(fake.reports().get(fake.reports().size() - 1)).isEqualTo(fresh);
        assertThat(status).hasSize(2);
        assertThat(status.get(1)).startsWith("recovered: coordinator " + fake.uri() + " answered after " + failed.size()
                + " failed attempts in ");
    }

    @Test
    void registersAgainWhenTheLedgerForgotTheNode() throws InterruptedException {
        NodeAgent agent = agent();
        agent.step();
        status.clear();
        int before = fake.requests().size();

        fake.wipe();
        runUntil(agent, 5_500);

        List<Request> after = fake.requests().subList(before, fake.requests().size());
        assertThat(after).extracting(Request::method, Request::path, Request::status).containsExactly(
                tuple("POST", "/v1/nodes/n1/reports", 404), tuple("PUT", "/v1/nodes/n1", 200),
                tuple("POST", "/v1/nodes/n1/reports", 200));
        assertThat(after.get(2).json().get("seq").asLong()).isGreaterThan(after.get(0).json().get("seq").asLong());
        assertThat(status).containsExactly("node n1 is unknown to coordinator " + fake.uri()
                + " (404 NOT_FOUND: node n1 is not registered); registering again", registeredLine());
    }

    @Test
    void refusalIsSaidOnceWithCodeAndMessageUntilResolved() throws InterruptedException {
        NodeAgent agent = agent();
        agent.step();
        status.clear();

        fake.refuseReports(400, "INVALID_ARGUMENT", "declaredBytes exceeds the policy maximum");
        runUntil(agent, 30_000);
        assertThat(fake.reports().stream().filter(r -> r.status() == 400).count()).isGreaterThan(3);
        assertThat(status).containsExactly("coordinator " + fake.uri()
                + " refused the report: 400 INVALID_ARGUMENT: declaredBytes exceeds the policy maximum");

        fake.refuseReports(0, null, null);
        runUntil(agent, 45_000);
        assertThat(status).hasSize(2).endsWith("coordinator " + fake.uri() + " accepts the node again");
    }

    @Test
    void warnsAtStartWhenDeclaredExceedsPhysicalMinusTheReserve() throws InterruptedException {
        agent(declaring(15 * GIB), source).step();

        assertThat(status).containsExactly("connected to coordinator " + fake.uri(),
                "warning: --declare 15Gi exceeds physical memory 16.00 GiB minus the system reserve 3.20 GiB "
                        + "(20 %, at most 4Gi): the ledger will count at most 12.80 GiB",
                "registered node n1 with coordinator " + fake.uri() + " (declared 15Gi, zone z1, operator op-a)");
    }

    @Test
    void usesTheDefaultReserveWhenThePolicyCannotBeRead() throws InterruptedException {
        fake.policy(null);
        agent(declaring(15 * GIB), source).step();

        assertThat(status).contains("warning: --declare 15Gi exceeds physical memory 16.00 GiB minus the system reserve "
                + "3.20 GiB (20 %, at most 4Gi): the ledger will count at most 12.80 GiB (default policy: the "
                + "coordinator's was not readable)");
    }

    @Test
    void usesTheCoordinatorsReserveAndIsQuietWhenDeclaredFits() throws InterruptedException {
        fake.policy("{\"systemReservePct\":5,\"systemReserveMaxBytes\":1073741824}");
        agent(declaring(15 * GIB), source).step();

        assertThat(status).noneMatch(line -> line.startsWith("warning"));
        assertThat(fake.acceptedReports()).hasSize(1);
    }

    private AgentConfig declaring(long declaredBytes) {
        return new AgentConfig("n1", "op-a", "z1", null, declaredBytes, List.of(fake.uri()), null, 5_000, 2, 200,
                10_000, 2_000, 5_000);
    }

    @Test
    void showsEachLedgerWarningOnceWhileItStaysOpen() throws InterruptedException {
        String pressure = "[{\"id\":\"w1\",\"kind\":\"NODE_MEMORY_PRESSURE\",\"severity\":\"WARNING\","
                + "\"audience\":\"OPERATOR\",\"subject\":\"n1\",\"message\":\"available below unused reservations\"}]";
        String line = "ledger warning for node n1: WARNING NODE_MEMORY_PRESSURE n1: available below unused reservations";
        fake.warnings(pressure);
        NodeAgent agent = agent();

        runUntil(agent, 20_000);
        assertThat(status).filteredOn(s -> s.startsWith("ledger warning")).containsExactly(line);

        fake.warnings("[]");
        runUntil(agent, 30_000);
        fake.warnings(pressure);
        runUntil(agent, 40_000);
        assertThat(status).filteredOn(s -> s.startsWith("ledger warning")).containsExactly(line, line);
    }

    @Test
    void unreadableMemorySendsNothingAndIsSaidOnce(@TempDir Path dir) throws Exception {
        Path meminfo = dir.resolve("meminfo");
        Files.copy(Fixtures.path("meminfo/garbled-number"), meminfo);
        NodeAgent agent = agent(config(List.of(fake.uri())).build(), new ProcMeminfoSource(meminfo));

        runUntil(agent, 10_000);
        assertThat(fake.requests()).isEmpty();
        assertThat(status).containsExactly("memory source failed, not reporting: " + meminfo
                + " line 3: 'MemAvailable:    98x3020 kB' is not 'Key: number [kB]'");

        Files.copy(Fixtures.path("meminfo/typical"), meminfo, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        runUntil(agent, 11_000);
        assertThat(status.get(1)).isEqualTo("memory source " + meminfo + " readable again");
        assertThat(fake.acceptedReports()).hasSize(1);
        assertThat(fake.acceptedReports().get(0).json().get("physicalBytes").asLong()).isEqualTo(16_318_412L * 1024);
    }

    @Test
    void reportOnceRegistersAndReportsWithoutRetrying() throws Exception {
        Optional<ReportNode> report = agent().reportOnce();

        assertThat(report).isPresent();
        assertThat(report.get().seq()).isEqualTo(WALL);
        assertThat(fake.acceptedReports()).hasSize(1);

        Optional<ReportNode> failed = agent(List.of(FakeCoordinator.deadUri())).reportOnce();
        assertThat(failed).isEmpty();
    }

    @Test
    void startedAgentReportsOnItsOwnThreadUntilStopped() throws Exception {
        AgentConfig config = config(List.of(fake.uri())).intervalMillis(AgentConfig.MIN_INTERVAL_MILLIS).build();
        try (NodeAgent agent = new NodeAgent(config, source, status::add)) {
            agent.start();
            assertThat(fake.await(r -> r.isReport() && r.accepted(), 3, Duration.ofSeconds(10))).isTrue();
            agent.stop();
            agent.awaitStopped();
        }
        List<Long> seqs = fake.reports().stream().map(r -> r.json().get("seq").asLong()).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void requestedReportWakesTheLoopBeforeTheInterval() throws Exception {
        AgentConfig config = config(List.of(fake.uri())).intervalMillis(AgentConfig.MAX_INTERVAL_MILLIS).build();
        try (NodeAgent agent = new NodeAgent(config, source, status::add)) {
            agent.start();
            assertThat(fake.await(Request::isReport, 1, Duration.ofSeconds(10))).isTrue();
            agent.requestReport();
            assertThat(fake.await(Request::isReport, 2, Duration.ofSeconds(10))).isTrue();
        }
    }
}
