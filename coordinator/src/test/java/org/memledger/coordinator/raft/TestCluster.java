package org.memledger.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Real replicas in this JVM on loopback: free ports, one data dir each under a temp dir, wide
 * election timeouts for slow machines. Replicas can crash (server closed at once), stop gracefully
 * and restart on the same data dir and port. Thread-safe: callers pick live replicas while a test
 * thread crashes one.
 */
final class TestCluster implements AutoCloseable {
    static final Duration ELECTION_MIN = Duration.ofMillis(1_000);
    static final Duration ELECTION_MAX = Duration.ofMillis(2_000);
    static final Duration CONVERGE = Duration.ofSeconds(60);

    private final Path root;
    private final PeerList peers;
    private final String clusterName;
    private final UnaryOperator<ReplicaConfig.Builder> tuning;
    private final List<UnaryOperator<ReplicaConfig.Builder>> perReplica = new ArrayList<>();
    private final Replica[] replicas;

    private TestCluster(Path root, String clusterName, int size, UnaryOperator<ReplicaConfig.Builder> tuning) {
        this.root = root;
        this.clusterName = clusterName;
        this.tuning = tuning;
        List<Peer> list = new ArrayList<>();
        int[] ports = freePorts(size);
        for (int i = 0; i < size; i++) {
            list.add(new Peer("n" + (i + 1), "127.0.0.1", ports[i]));
            perReplica.add(UnaryOperator.identity());
        }
        this.peers = PeerList.of(list);
        this.replicas = new Replica[size];
    }

    static TestCluster create(Path root, int size, UnaryOperator<ReplicaConfig.Builder> tuning) {
        return new TestCluster(root, "test", size, tuning);
    }

    /** Per-replica tuning on top of the cluster's (for example its own clock). */
    TestCluster tune(int i, UnaryOperator<ReplicaConfig.Builder> extra) {
        perReplica.set(i, extra);
        return this;
    }

    TestCluster startAll() {
        for (int i = 0; i < replicas.length; i++) {
            start(i);
        }
        return this;
    }

    synchronized Replica start(int i) {
        ReplicaConfig config = configFor(i);
        try {
            replicas[i] = Replica.start(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return replicas[i];
    }

    ReplicaConfig configFor(int i) {
        ClusterIdentity identity = ClusterIdentity.of(clusterName, "n" + (i + 1), peers);
        ReplicaConfig.Builder builder = ReplicaConfig.builder(identity, dataDir(i))
                .electionTimeout(ELECTION_MIN, ELECTION_MAX)
                .drainTimeout(Duration.ofSeconds(5));
        return perReplica.get(i).apply(tuning.apply(builder)).build();
    }

    Path dataDir(int i) {
        return root.resolve("n" + (i + 1));
    }

    int size() {
        return replicas.length;
    }

    synchronized Replica replica(int i) {
        return replicas[i];
    }

    synchronized boolean isUp(int i) {
        return replicas[i] != null;
    }

    synchronized List<Replica> live() {
        List<Replica> live = new ArrayList<>();
        for (Replica replica : replicas) {
            if (replica != null) {
                live.add(replica);
            }
        }
        return live;
    }

    void crash(int i) {
        Replica replica;
        synchronized (this) {
            replica = replicas[i];
            replicas[i] = null;
        }
        replica.crash();
    }

    void stop(int i) {
        Replica replica;
        synchronized (this) {
            replica = replicas[i];
            replicas[i] = null;
        }
        replica.close();
    }

    synchronized int indexOf(Replica replica) {
        for (int i = 0; i < replicas.length; i++) {
            if (replicas[i] == replica) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a live replica of this cluster");
    }

    /** The live leader, once the live replicas agree on one that is ready. */
    Replica awaitLeader() {
        return Poll.value(CONVERGE, "a leader", () -> {
            Replica leader = null;
            for (Replica replica : live()) {
                if (replica.isLeader()) {
                    leader = replica;
                }
            }
            if (leader == null) {
                return null;
            }
            for (Replica replica : live()) {
                if (!leader.id().equals(replica.status().leaderId())) {
                    return null;
                }
            }
            return leader;
        });
    }

    /**
     * Waits until every live replica shows the same applied index and asserts that they then show
     * the same state hash. Returns that status.
     */
    ReplicaStatus awaitConverged() {
        return Poll.value(CONVERGE, "live replicas to reach the same applied index", () -> {
            List<ReplicaStatus> statuses = new ArrayList<>();
            for (Replica replica : live()) {
                statuses.add(replica.status());
            }
            long index = statuses.get(0).appliedIndex();
            for (ReplicaStatus status : statuses) {
                if (status.appliedIndex() != index) {
                    return null;
                }
            }
            for (ReplicaStatus status : statuses) {
                assertThat(status.stateHash()).as("state hash of %s at index %d", status.replicaId(), index)
                        .isEqualTo(statuses.get(0).stateHash());
            }
            return statuses.get(0);
        });
    }

    @Override
    public synchronized void close() {
        for (int i = 0; i < replicas.length; i++) {
            if (replicas[i] != null) {
                replicas[i].crash();
                replicas[i] = null;
            }
        }
    }

    static int[] freePorts(int count) {
        return LoopbackPorts.free(count);
    }
}
