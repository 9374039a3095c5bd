package org.memledger.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.raft.Commands.GIB;
import static org.memledger.coordinator.raft.Commands.MIB;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.DeploymentView;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.Result;

/** Three replicas on loopback: writes through any replica, identical state everywhere, time that never goes back. */
class ClusterIT {
    @TempDir
    Path dir;

    @Test
    void admissionsThroughAnyReplicaReachTheSameIndexAndHashEverywhere() throws Exception {
        try (TestCluster cluster = TestCluster.create(dir, 3, b -> b).startAll()) {
            Replica leader = cluster.awaitLeader();
            for (int n = 0; n < 6; n++) {
                Replica via = cluster.replica(n % 3);
                assertThat(via.submit(Commands.register("node" + n, "z" + (n % 3), 4 * GIB), 10_000).get(10, TimeUnit.SECONDS))
                        .isNotNull();
                assertThat(via.submit(Commands.report("node" + n, 1, 4 * GIB), 10_000).get(10, TimeUnit.SECONDS))
                        .isNotNull();
            }
            List<CompletableFuture<Result>> results = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                results.add(cluster.replica(i % 3).submit(Commands.admit("d" + i, (8 + i % 32) * MIB), 20_000));
            }
            List<String> admitted = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                Result result = results.get(i).get(30, TimeUnit.SECONDS);
                if (result instanceof Admitted) {
                    assertThat(((Admitted) result).deploymentId()).isEqualTo("d" + i);
                    admitted.add("d" + i);
                } else {
                    assertThat(result).isInstanceOf(Rejected.class);
                }
            }
            assertThat(admitted).isNotEmpty();

            ReplicaStatus converged = cluster.awaitConverged();
            for (Replica replica : cluster.live()) {
                replica.stateMachine().verifyBooks();
                List<String> present = replica.read(v -> {
                    List<String> ids = new ArrayList<>();
                    for (DeploymentView d : v.deployments(null, null, 10_000)) {
                        ids.add(d.deploymentId());
                    }
                    return ids;
                });
                assertThat(present).containsExactlyInAnyOrderElementsOf(admitted);
                ReplicaStatus status = replica.status();
                assertThat(status.peers()).hasSize(3);
                assertThat(status.leaderId()).isEqualTo(leader.id());
                assertThat(status.role()).isEqualTo(replica == leader ? ReplicaRole.LEADER : ReplicaRole.FOLLOWER);
                assertThat(status.appliedIndex()).isGreaterThanOrEqualTo(converged.appliedIndex());
            }

            // A linearizable read on a follower sees a write acknowledged through another replica.
            Replica follower = cluster.replica((cluster.indexOf(leader) + 1) % 3);
            Replica other = cluster.replica((cluster.indexOf(leader) + 2) % 3);
            assertThat(other.submit(Commands.register("late", "z9", GIB), 10_000).get(10, TimeUnit.SECONDS)).isNotNull();
            Indexed<Boolean> seen = follower.readLinearizable(v -> v.node("late").isPresent(), 10_000)
                    .get(10, TimeUnit.SECONDS);
            assertThat(seen.value()).isTrue();
        }
    }

    @Test
    void theGrpcTransportIsASetting() throws Exception {
        try (TestCluster cluster = TestCluster.create(dir, 3, b -> b.transport(RaftTransport.GRPC)).startAll()) {
            Replica leader = cluster.awaitLeader();
            Replica follower = cluster.replica((cluster.indexOf(leader) + 1) % 3);
            assertThat(follower.submit(Commands.register("a", "z1", 4 * GIB), 10_000).get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(follower.submit(Commands.report("a", 1, 4 * GIB), 10_000).get(10, TimeUnit.SECONDS)).isNotNull();
            List<CompletableFuture<Result>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                results.add(cluster.replica(i % 3).submit(Commands.admit("d" + i, 8 * MIB), 20_000));
            }
            for (CompletableFuture<Result> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isInstanceOf(Admitted.class);
            }
            int count = follower.readLinearizable(v -> v.deployments(null, null, 1_000).size(), 10_000)
                    .get(10, TimeUnit.SECONDS).value();
            assertThat(count).isEqualTo(100);
            cluster.awaitConverged();
        }
    }

    @Test
    void closingTheLeaderDrainsItsCommandsAndHandsOverLeadership() throws Exception {
        try (TestCluster cluster = TestCluster.create(dir, 3, b -> b).startAll()) {
            Replica leader = cluster.awaitLeader();
            long term = leader.status().term();
            leader.submit(Commands.register("a", "z1", 64 * GIB), 10_000).get(10, TimeUnit.SECONDS);
            leader.submit(Commands.report("a", 1, 64 * GIB), 10_000).get(10, TimeUnit.SECONDS);
            List<CompletableFuture<Result>> burst = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                burst.add(leader.submit(Commands.admit("d" + i, MIB), 20_000));
            }
            cluster.stop(cluster.indexOf(leader));
            for (CompletableFuture<Result> result : burst) {
                assertThat(result).isCompleted();
                assertThat(result.get()).isInstanceOf(Admitted.class);
            }
            assertThat(leader.submit(Commands.admit("late", MIB), 1_000)).isCompletedExceptionally();

            Replica successor = cluster.awaitLeader();
            assertThat(successor.status().term()).isGreaterThan(term);
            int count = successor.readLinearizable(v -> v.deployments(null, null, 1_000).size(), 10_000)
                    .get(10, TimeUnit.SECONDS).value();
            assertThat(count).isEqualTo(300);
        }
    }

    @Test
    void withoutAQuorumWritesFailAtTheirDeadlineAndTheReplicaRecovers() throws Exception {
        try (TestCluster cluster = TestCluster.create(dir, 3, b -> b.ticks(false)).startAll()) {
            Replica leader = cluster.awaitLeader();
            assertThat(leader.submit(Commands.register("a", "z1", GIB), 10_000).get(10, TimeUnit.SECONDS)).isNotNull();
            int survivor = cluster.indexOf(leader);
            int first = (survivor + 1) % 3;
            int second = (survivor + 2) % 3;
            cluster.crash(first);
            cluster.crash(second);

            long start = MonotonicClock.millis();
            CompletableFuture<Result> lost = leader.submit(Commands.register("b", "z1", GIB), 1_500);
            Throwable failure = lost.handle((r, e) -> e).get(30, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(DeadlineExceededException.class);
            assertThat(((SubmitException) failure).mayHaveBeenApplied()).isTrue();
            assertThat(MonotonicClock.millis() - start).isBetween(1_400L, 20_000L);
            Throwable readFailure = leader.readLinearizable(v -> v.nodes().size(), 1_000).handle((r, e) -> e)
                    .get(30, TimeUnit.SECONDS);
            assertThat(readFailure).isInstanceOf(DeadlineExceededException.class);
            boolean stillReadable = leader.read(v -> v.node("a").isPresent());
            assertThat(stillReadable).isTrue();

            // The Raft client gave up on a call; the replica must still write once a quorum is back.
            cluster.start(first);
            Replica current = cluster.awaitLeader();
            Poll.until(TestCluster.CONVERGE, "a write through the survivor", () -> {
                try {
                    return cluster.replica(survivor).submit(Commands.register("c", "z1", GIB), 5_000)
                            .get(10, TimeUnit.SECONDS) != null;
                } catch (Exception e) {
                    return false;
                }
            });
            int nodes = current.readLinearizable(v -> v.node("c").isPresent() ? 1 : 0, 10_000)
                    .get(10, TimeUnit.SECONDS).value();
            assertThat(nodes).isEqualTo(1);
        }
    }

    @Test
    void ledgerTimeNeverGoesBackWhenTheNewLeadersClockIsBehind() throws Exception {
        MutableClock[] clocks = {new MutableClock(), new MutableClock(), new MutableClock()};
        TestCluster cluster = TestCluster.create(dir, 3, b -> b.ticks(false));
        for (int i = 0; i < 3; i++) {
            MutableClock clock = clocks[i];
            cluster.tune(i, b -> b.clock(clock));
        }
        try (cluster) {
            cluster.startAll();
            Replica leader = cluster.awaitLeader();
            int leaderIndex = cluster.indexOf(leader);
            long hourAhead = 3_600_000;
            clocks[leaderIndex].setOffsetMillis(hourAhead);
            leader.submit(Commands.register("a", "z1", 4 * GIB), 10_000).get(10, TimeUnit.SECONDS);
            leader.submit(Commands.report("a", 1, 4 * GIB), 10_000).get(10, TimeUnit.SECONDS);
            leader.submit(Commands.admit("before", 16 * MIB), 10_000).get(10, TimeUnit.SECONDS);
            cluster.awaitConverged();
            long aheadTime = leader.status().ledgerNowMillis();
            assertThat(aheadTime).isGreaterThanOrEqualTo(System.currentTimeMillis() + hourAhead - 60_000);

            cluster.crash(leaderIndex);
            Replica successor = cluster.awaitLeader();
            long successorClock = clocks[cluster.indexOf(successor)].millis();
            assertThat(successorClock).isLessThan(aheadTime);
            Result after = successor.submit(Commands.admit("after", 16 * MIB), 20_000).get(20, TimeUnit.SECONDS);
            assertThat(after).isInstanceOf(Admitted.class);
            cluster.awaitConverged();
            for (Replica replica : cluster.live()) {
                assertThat(replica.status().ledgerNowMillis()).isGreaterThanOrEqualTo(aheadTime);
                long beforeAt = replica.read(v -> v.deployment("before").orElseThrow().admittedAtMillis());
                long afterAt = replica.read(v -> v.deployment("after").orElseThrow().admittedAtMillis());
                assertThat(afterAt).isGreaterThanOrEqualTo(beforeAt);
            }
        }
    }
}
