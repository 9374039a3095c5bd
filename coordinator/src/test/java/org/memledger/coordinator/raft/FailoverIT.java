package org.memledger.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.raft.Commands.GIB;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memledger.protocol.DeploymentView;
import org.memledger.protocol.NodeView;
import org.memledger.protocol.Policy;

/**
 * The leader dies in the middle of 5,000 concurrent admissions. Afterwards, on every replica:
 * every acknowledged admission is present (and nothing else), the books balance, no node is
 * overcommitted, and replicas at the same applied index have the same state hash. Then the dead
 * replica comes back and catches up, or the whole cluster restarts and keeps its state and hash.
 */
class FailoverIT {
    private static final int ADMISSIONS = 5_000;
    private static final int CALLERS = 48;
    private static final int NODES = 12;

    @TempDir
    Path dir;

    @Test
    void killTheLeaderMidStreamThenRestartIt() throws Exception {
        try (TestCluster cluster = TestCluster.create(dir, 3, b -> b.snapshotThresholdEntries(400)).startAll()) {
            AdmissionStream stream = streamWithLeaderKill(cluster);
            int killed = deadReplica(cluster);
            verify(cluster, stream);

            Replica back = cluster.start(killed);
            ReplicaStatus converged = cluster.awaitConverged();
            assertThat(back.status().appliedIndex()).isEqualTo(converged.appliedIndex());
            verify(cluster, stream);
        }
    }

    @Test
    void killTheLeaderMidStreamThenRestartTheWholeCluster() throws Exception {
        // No Ticks: after the restart nothing may change the ledger, so index and hash must be exactly as before.
        try (TestCluster cluster = TestCluster.create(dir, 3, b -> b.ticks(false).snapshotThresholdEntries(400))
                .startAll()) {
            AdmissionStream stream = streamWithLeaderKill(cluster);
            verify(cluster, stream);
            ReplicaStatus before = cluster.awaitConverged();
            for (int i = 0; i < cluster.size(); i++) {
                if (cluster.isUp(i)) {
                    cluster.stop(i);
                }
            }
            cluster.startAll();
            cluster.awaitLeader();
            ReplicaStatus after = cluster.awaitConverged();
            assertThat(after.appliedIndex()).isEqualTo(before.appliedIndex());
            assertThat(after.stateHash()).isEqualTo(before.stateHash());
            verify(cluster, stream);
            int count = cluster.replica(0).readLinearizable(v -> v.deployments(null, null, ADMISSIONS).size(), 10_000)
                    .get(10, TimeUnit.SECONDS).value();
            assertThat(count).isEqualTo(stream.admitted().size());
        }
    }

    /** Registers the nodes, starts the stream, crashes the leader once a third of it is answered. */
    private static AdmissionStream streamWithLeaderKill(TestCluster cluster) throws Exception {
        Replica leader = cluster.awaitLeader();
        List<CompletableFuture<?>> setup = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            setup.add(leader.submit(Commands.register("node" + n, "z" + (n % 3), 4 * GIB), 10_000));
            setup.add(leader.submit(Commands.report("node" + n, 1, 4 * GIB), 10_000));
        }
        for (CompletableFuture<?> future : setup) {
            future.get(10, TimeUnit.SECONDS);
        }
        AdmissionStream stream = new AdmissionStream(cluster, ADMISSIONS, CALLERS);
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try {
                stream.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Poll.until(TestCluster.CONVERGE, "a third of the stream", () -> stream.answered() >= ADMISSIONS / 3);
        Replica victim = cluster.awaitLeader();
        cluster.crash(cluster.indexOf(victim));
        running.get(180, TimeUnit.SECONDS);
        assertThat(stream.answered()).isEqualTo(ADMISSIONS);
        assertThat(stream.admitted()).isNotEmpty();
        assertThat(stream.rejected()).as("the cluster should fill up, so that overcommit is tested").isNotEmpty();
        return stream;
    }

    private static int deadReplica(TestCluster cluster) {
        for (int i = 0; i < cluster.size(); i++) {
            if (!cluster.isUp(i)) {
                return i;
            }
        }
        throw new AssertionError("no replica is down");
    }

    private static void verify(TestCluster cluster, AdmissionStream stream) {
        cluster.awaitConverged();
        for (Replica replica : cluster.live()) {
            replica.stateMachine().verifyBooks();
            List<String> present = replica.read(v -> {
                List<String> ids = new ArrayList<>();
                for (DeploymentView d : v.deployments(null, null, 2 * ADMISSIONS)) {
                    ids.add(d.deploymentId());
                }
                return ids;
            });
            assertThat(present).as("deployments on %s", replica.id())
                    .containsExactlyInAnyOrderElementsOf(stream.admitted().keySet());
            Policy policy = replica.policy().value();
            for (NodeView node : replica.read(v -> v.nodes())) {
                long headroom = node.capacityBytes() * policy.headroomPct() / 100;
                assertThat(node.reservedBytes()).as("reserved on %s at %s", node.nodeId(), replica.id())
                        .isLessThanOrEqualTo(node.capacityBytes() - headroom);
            }
        }
    }
}
