package org.memledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.memledger.coordinator.raft.RaftTransport;

/**
 * The raw Ratis baseline: three Netty {@link RaftServer}s in this JVM on loopback with on-disk logs
 * under a temp dir, the same Raft settings as the coordinator's RaftSettings (election timeout 1-2 s,
 * 32 MiB segments, 4 MiB preallocation, no log metadata entries, no snapshots), and a state machine
 * that does nothing but answer each entry with its own bytes.
 */
final class NoopRatisCluster implements AutoCloseable {

    /** Applies nothing: answers with the entry's data and advances the applied index. */
    static final class NoopStateMachine extends BaseStateMachine {
        /** Entries applied here, counted by this state machine itself (written by Ratis' one apply thread). */
        private final AtomicLong applied = new AtomicLong();

        @Override
        public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
            LogEntryProto entry = trx.getLogEntry();
            applied.incrementAndGet();
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            return CompletableFuture.completedFuture(Message.valueOf(entry.getStateMachineLogEntry().getLogData()));
        }
    }

    private final Path root;
    private final RaftGroup group;
    private final List<RaftServer> servers = new ArrayList<>();
    private final List<NoopStateMachine> machines = new ArrayList<>();

    private final SupportedRpcType rpcType;

    NoopRatisCluster(int size, RaftTransport transport) throws IOException {
        rpcType = transport == RaftTransport.GRPC ? SupportedRpcType.GRPC : SupportedRpcType.NETTY;
        root = Files.createTempDirectory("noop-ratis");
        int[] ports = BenchCluster.freePorts(size);
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            peers.add(RaftPeer.newBuilder().setId("r" + i).setAddress("127.0.0.1:" + ports[i]).build());
        }
        group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.nameUUIDFromBytes("noop-bench".getBytes())), peers);
        for (int i = 0; i < size; i++) {
            RaftProperties p = new RaftProperties();
            RaftConfigKeys.Rpc.setType(p, rpcType);
            RaftServerConfigKeys.setStorageDir(p, List.of(root.resolve("r" + i).toFile()));
            NettyConfigKeys.Server.setHost(p, "127.0.0.1");
            NettyConfigKeys.Server.setPort(p, ports[i]);
            GrpcConfigKeys.Server.setHost(p, "127.0.0.1");
            GrpcConfigKeys.Server.setPort(p, ports[i]);
            RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(1_000, TimeUnit.MILLISECONDS));
            RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2_000, TimeUnit.MILLISECONDS));
            RaftServerConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(4_000, TimeUnit.MILLISECONDS));
            RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(32L << 20));
            RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(4L << 20));
            RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, false);
            RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
            NoopStateMachine machine = new NoopStateMachine();
            machines.add(machine);
            RaftServer server = RaftServer.newBuilder()
                    .setServerId(RaftPeerId.valueOf("r" + i))
                    .setGroup(group)
                    .setStateMachine(machine)
                    .setProperties(p)
                    .setOption(RaftStorage.StartupOption.FORMAT)
                    .build();
            server.start();
            servers.add(server);
        }
    }

    /** A Netty client into the group allowing {@code window} outstanding async calls (plus slack). */
    RaftClient client(int window) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, rpcType);
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, window + 16);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(4_000, TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder().setProperties(p).setRaftGroup(group).build();
    }

    /**
     * The most state-machine entries any server has applied: client entries only, since Ratis' own
     * configuration and no-op entries never reach the state machine, and monotonic whichever server
     * leads at the moment of asking.
     */
    long highestAppliedEntries() {
        long highest = 0;
        for (NoopStateMachine machine : machines) {
            highest = Math.max(highest, machine.applied.get());
        }
        return highest;
    }

    @Override
    public void close() {
        for (RaftServer s : servers) {
            try {
                s.close();
            } catch (IOException e) {
                System.err.println("closing: " + e);
            }
        }
        BenchCluster.deleteTree(root);
    }
}
