package org.memledger.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memledger.coordinator.raft.Commands.GIB;
import static org.memledger.coordinator.raft.Commands.MIB;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memledger.protocol.Ack;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.Invalid;
import org.memledger.protocol.Result;

class SingleReplicaIT {
    @TempDir
    Path dir;

    @Test
    void writesReadsAndSurvivesARestart() throws Exception {
        try (TestCluster cluster = TestCluster.create(dir, 1, b -> b).startAll()) {
            Replica replica = cluster.awaitLeader();
            assertThat(replica.submit(Commands.register("a", "z1", 8 * GIB), 10_000).get(10, TimeUnit.SECONDS))
                    .isEqualTo(new Ack());
            assertThat(replica.submit(Commands.report("a", 1, 8 * GIB), 10_000).get(10, TimeUnit.SECONDS))
                    .isEqualTo(new Ack());
            List<CompletableFuture<Result>> admissions = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                admissions.add(replica.submit(Commands.admit("d" + i, 16 * MIB), 10_000));
            }
            for (int i = 0; i < admissions.size(); i++) {
                Result result = admissions.get(i).get(10, TimeUnit.SECONDS);
                assertThat(result).isInstanceOf(Admitted.class);
                assertThat(((Admitted) result).deploymentId()).isEqualTo("d" + i);
            }
            Indexed<Integer> count = replica.readLinearizable(v -> v.deployments(null, null, 1_000).size(), 10_000)
                    .get(10, TimeUnit.SECONDS);
            assertThat(count.value()).isEqualTo(200);
            ReplicaStatus before = replica.status();
            assertThat(before.role()).isEqualTo(ReplicaRole.LEADER);
            assertThat(before.appliedIndex()).isEqualTo(count.ledgerIndex());

            cluster.stop(0);
            Replica restarted = cluster.start(0);
            cluster.awaitLeader();
            Poll.until(TestCluster.CONVERGE, "the log replayed", () -> restarted.status().appliedIndex() >= before.appliedIndex());
            int restoredCount = restarted.read(v -> v.deployments(null, null, 1_000).size());
            assertThat(restoredCount).isEqualTo(200);
            restarted.stateMachine().verifyBooks();
        }
    }

    @Test
    void malformedCommandsNeverReachTheLog() throws Exception {
        try (TestCluster cluster = TestCluster.create(dir, 1, b -> b.ticks(false)).startAll()) {
            Replica replica = cluster.awaitLeader();
            long index = replica.status().appliedIndex();
            Result result = replica.submit(Commands.admit("bad id!", MIB), 5_000).get(5, TimeUnit.SECONDS);
            assertThat(result).isInstanceOf(Invalid.class);
            assertThat(replica.status().appliedIndex()).isEqualTo(index);
        }
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            PeerList peers = PeerList.of(List.of(new Peer("n1", "127.0.0.1", taken.getLocalPort())));
            ReplicaConfig config = ReplicaConfig.builder(ClusterIdentity.of("memledger", "n1", peers), dir.resolve("n1"))
                    .build();
            assertThatThrownBy(() -> Replica.start(config)).isInstanceOf(ReplicaStartException.class)
                    .hasMessageContaining("port " + taken.getLocalPort()).hasMessageContaining("already in use");
        }
    }

    @Test
    void aDataDirOfAnotherClusterIsRefused() throws Exception {
        try (TestCluster cluster = TestCluster.create(dir, 1, b -> b.ticks(false)).startAll()) {
            cluster.awaitLeader();
            ReplicaConfig original = cluster.configFor(0);
            cluster.stop(0);
            ClusterIdentity other = ClusterIdentity.of("other", "n1", original.identity().peers());
            ReplicaConfig foreign = ReplicaConfig.builder(other, original.dataDir()).build();
            assertThatThrownBy(() -> Replica.start(foreign)).isInstanceOf(ReplicaStartException.class)
                    .hasMessageContaining("belongs to cluster 'test'");
        }
    }

    @Test
    void aSnapshotWhoseBytesDoNotMatchItsMd5StopsTheStart() throws Exception {
        try (TestCluster cluster = TestCluster.create(dir, 1, b -> b.ticks(false)).startAll()) {
            Replica replica = cluster.awaitLeader();
            assertThat(replica.submit(Commands.register("a", "z1", 8 * GIB), 10_000).get(10, TimeUnit.SECONDS))
                    .isEqualTo(new Ack());
            long index = replica.takeSnapshot(30_000);
            String hash = replica.status().stateHash();
            cluster.stop(0);
            Path snapshot;
            try (Stream<Path> files = Files.walk(cluster.dataDir(0))) {
                snapshot = files.filter(p -> p.getFileName().toString().startsWith("snapshot.")
                        && !p.getFileName().toString().endsWith(".md5")).findFirst().orElseThrow();
            }

            Replica intact = cluster.start(0);
            assertThat(intact.status().snapshotIndex()).isGreaterThanOrEqualTo(index);
            assertThat(intact.status().stateHash()).isEqualTo(hash);
            cluster.stop(0);

            byte[] bytes = Files.readAllBytes(snapshot);
            bytes[bytes.length - 1] ^= 1; // the content is checked against the MD5 before it is decoded
            Files.write(snapshot, bytes);
            assertThatThrownBy(() -> cluster.start(0)).hasStackTraceContaining("does not match its MD5 file");
        }
    }
}
