package org.memledger.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.raft.Commands.GIB;
import static org.memledger.coordinator.raft.Commands.MIB;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower is down while the others snapshot and purge their logs past what it has; when it comes
 * back the leader must install a snapshot on it, after which it has the same state hash.
 */
class SnapshotInstallIT {
    @TempDir
    Path dir;

    @Test
    void aFollowerBehindThePurgedLogCatchesUpBySnapshot() throws Exception {
        try (TestCluster cluster = TestCluster.create(dir, 3, b -> b.ticks(false)
                .snapshotThresholdEntries(64).purgeUpToSnapshot(true).purgeGapEntries(8)
                .segmentSizeBytes(16 << 10)).startAll()) {
            Replica leader = cluster.awaitLeader();
            leader.submit(Commands.register("a", "z1", 64 * GIB), 10_000).get(10, TimeUnit.SECONDS);
            leader.submit(Commands.report("a", 1, 64 * GIB), 10_000).get(10, TimeUnit.SECONDS);
            int follower = (cluster.indexOf(leader) + 1) % 3;
            cluster.awaitConverged();
            cluster.crash(follower);

            // One entry per command (each waits for the previous), so the log grows past many snapshots.
            for (int i = 0; i < 1_200; i++) {
                leader.submit(Commands.admit("d" + i, MIB), 10_000).get(10, TimeUnit.SECONDS);
            }
            assertThat(leader.stateMachine().snapshotsTaken()).isGreaterThan(5);
            long firstKept = leader.division().getRaftLog().getStartIndex();
            assertThat(firstKept).as("the leader purged its log").isGreaterThan(100);

            Replica back = cluster.start(follower);
            ReplicaStatus converged = cluster.awaitConverged();
            assertThat(back.status().appliedIndex()).isEqualTo(converged.appliedIndex());
            assertThat(back.stateMachine().reloads()).as("snapshot installs on the returning follower").isPositive();
            back.stateMachine().verifyBooks();
            int count = back.read(v -> v.deployments(null, null, 2_000).size());
            assertThat(count).isEqualTo(1_200);
        }
    }
}
