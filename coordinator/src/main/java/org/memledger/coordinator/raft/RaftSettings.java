package org.memledger.coordinator.raft;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * Translates a {@link ReplicaConfig} into Ratis properties, in one place, so every Ratis knob this
 * project depends on is visible here. Notes on the less obvious ones:
 *
 * <ul>
 * <li>The transport is set on server and client properties alike (Ratis defaults to gRPC).</li>
 * <li>The storage dir is always set (Ratis' default is a shared temp path).</li>
 * <li>Reads are {@code LINEARIZABLE}: the leader answers a read-only request only after confirming
 *     its leadership with a heartbeat quorum (ReadIndex). {@link ReadIndexBatcher} sends these to the
 *     leader: a Netty follower cannot forward them.</li>
 * <li>No log metadata entries. By default Ratis appends an entry recording the commit index each time
 *     it advances, so that a restarted replica can apply its log before hearing from a leader. That
 *     doubled the entries every replica writes, sends and syncs (two index steps per command batch),
 *     and Raft's cost here is per entry: turning it off measured 20 to 30 % more decisions per second
 *     at windows 1 and 1,024 (docs/benchmarks.md). Safety does not depend on it: Raft treats the commit
 *     index as volatile, and a restarted replica applies past its snapshot once a leader (itself, in a
 *     single-replica group) commits an entry of its term.</li>
 * <li>Snapshots trigger on log growth (Ratis' default is never); Ratis counts its own configuration
 *     entries too. The creation gap is the threshold, so snapshots are not retaken for a
 *     handful of new entries.</li>
 * <li>Each client's outstanding-call limit is set where the client is built ({@link Replica}): past it
 *     Ratis' async {@code send} blocks the calling thread, so our own limits must stay below it.</li>
 * </ul>
 */
final class RaftSettings {
    private RaftSettings() {
    }

    static RaftProperties server(ReplicaConfig config) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, config.transport().rpcType());
        RaftServerConfigKeys.setStorageDir(properties, List.of(
                DataDirIdentity.raftDir(config.dataDir()).toAbsolutePath().toFile()));
        int port = config.identity().self().port();
        if (config.transport() == RaftTransport.NETTY) {
            NettyConfigKeys.Server.setHost(properties, config.bindHost());
            NettyConfigKeys.Server.setPort(properties, port);
        } else {
            GrpcConfigKeys.Server.setHost(properties, config.bindHost());
            GrpcConfigKeys.Server.setPort(properties, port);
        }
        TimeDuration min = millis(config.electionTimeoutMin().toMillis());
        TimeDuration max = millis(config.electionTimeoutMax().toMillis());
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, min);
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, max);
        RaftServerConfigKeys.Rpc.setRequestTimeout(properties, millis(Math.max(3_000, 2 * max.toLong(TimeUnit.MILLISECONDS))));
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);

        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(config.segmentSizeBytes()));
        RaftServerConfigKeys.Log.setPreallocatedSize(properties,
                SizeInBytes.valueOf(Math.min(4L << 20, config.segmentSizeBytes())));
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, config.purgeUpToSnapshot());
        RaftServerConfigKeys.Log.setPurgeGap(properties, config.purgeGapEntries());
        RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, false);

        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, config.snapshotAutoTrigger());
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, config.snapshotThresholdEntries());
        RaftServerConfigKeys.Snapshot.setCreationGap(properties, config.snapshotThresholdEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, config.snapshotsRetained());
        return properties;
    }

    static RaftProperties client(ReplicaConfig config) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, config.transport().rpcType());
        long max = config.electionTimeoutMax().toMillis();
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, millis(Math.max(3_000, 2 * max)));
        return properties;
    }

    private static TimeDuration millis(long value) {
        return TimeDuration.valueOf(value, TimeUnit.MILLISECONDS);
    }
}
