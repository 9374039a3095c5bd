package org.memledger.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.memledger.coordinator.api.HttpApiConfig;
import org.memledger.coordinator.api.HttpApiServer;
import org.memledger.coordinator.raft.ClusterIdentity;
import org.memledger.coordinator.raft.LoopbackPorts;
import org.memledger.coordinator.raft.Peer;
import org.memledger.coordinator.raft.PeerList;
import org.memledger.coordinator.raft.Replica;
import org.memledger.coordinator.raft.ReplicaConfig;
import org.memledger.coordinator.raft.ReplicaGateway;
import org.memledger.protocol.Batch;
import org.memledger.protocol.BatchResult;
import org.memledger.protocol.Command;
import org.memledger.protocol.Policy;
import org.memledger.protocol.Result;
import org.memledger.protocol.ResultKind;
import org.memledger.protocol.SetPolicy;

/**
 * Real coordinator replicas in this JVM on loopback (as the coordinator's TestCluster does): free
 * ports, one data dir each under a temp dir, the default {@link ReplicaConfig} (Netty, 1-2 s election
 * timeout, group commit defaults) and optionally an {@link HttpApiServer} in front of each replica,
 * as {@code memledger coordinator} runs them (ServingReplica).
 */
final class BenchCluster implements AutoCloseable {
    final Path root;
    private final PeerList peers;
    final Replica[] replicas;
    final HttpApiServer[] apis;
    private final UnaryOperator<ReplicaConfig.Builder> tuning;

    private BenchCluster(Path root, int size, UnaryOperator<ReplicaConfig.Builder> tuning) {
        this.root = root;
        this.tuning = tuning;
        List<Peer> list = new ArrayList<>();
        int[] ports = freePorts(size);
        for (int i = 0; i < size; i++) {
            list.add(new Peer("n" + (i + 1), "127.0.0.1", ports[i]));
        }
        this.peers = PeerList.of(list);
        this.replicas = new Replica[size];
        this.apis = new HttpApiServer[size];
    }

    static BenchCluster start(String prefix, int size, boolean http) throws IOException, InterruptedException {
        return start(prefix, size, http, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /**
     * As {@link #start(String, int, boolean)}, with {@code tuning} applied to every replica's config and
     * {@code httpTuning} to every API server's.
     */
    static BenchCluster start(String prefix, int size, boolean http, UnaryOperator<ReplicaConfig.Builder> tuning,
                              UnaryOperator<HttpApiConfig.Builder> httpTuning)
            throws IOException, InterruptedException {
        BenchCluster cluster = new BenchCluster(Files.createTempDirectory(prefix), size, tuning);
        for (int i = 0; i < size; i++) {
            cluster.startReplica(i);
            if (http) {
                cluster.apis[i] = new HttpApiServer(new ReplicaGateway(cluster.replicas[i]),
                        httpTuning.apply(HttpApiConfig.builder().host("127.0.0.1").port(0)).build());
                cluster.apis[i].start();
            }
        }
        return cluster;
    }

    ReplicaConfig config(int i) {
        ClusterIdentity identity = ClusterIdentity.of("bench", "n" + (i + 1), peers);
        return tuning.apply(ReplicaConfig.builder(identity, root.resolve("n" + (i + 1)))
                        .electionTimeout(Duration.ofMillis(1_000), Duration.ofMillis(2_000)))
                .build();
    }

    Replica startReplica(int i) throws IOException {
        replicas[i] = Replica.start(config(i));
        return replicas[i];
    }

    URI api(int i) {
        return apis[i].uri();
    }

    /** The leader once every replica agrees on it (bounded wait). */
    Replica awaitLeader(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Replica leader = null;
            for (Replica r : replicas) {
                if (r != null && r.isLeader()) {
                    leader = r;
                }
            }
            if (leader != null) {
                boolean agreed = true;
                for (Replica r : replicas) {
                    if (r != null && !leader.id().equals(r.status().leaderId())) {
                        agreed = false;
                    }
                }
                if (agreed) {
                    return leader;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no leader within " + timeout);
    }

    /** Submits one Batch and checks every result is of the expected kind. */
    static void submitBatch(Replica replica, List<Command> commands, ResultKind expected) throws Exception {
        Result result = replica.submit(new Batch(commands), 60_000).get(90, TimeUnit.SECONDS);
        if (result.kind() != ResultKind.BATCH) {
            throw new IllegalStateException("setup batch answered " + result);
        }
        for (Result r : ((BatchResult) result).results()) {
            if (r.kind() != expected) {
                throw new IllegalStateException("setup expected " + expected + " but got " + r);
            }
        }
    }

    /** Registers {@code nodes} nodes of {@link Workload} and sends each its first report, in 1,000-command batches. */
    static void registerAndReport(Replica leader, int nodes) throws Exception {
        List<Command> batch = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            batch.add(Workload.register(n));
            if (batch.size() == 1_000 || n == nodes - 1) {
                submitBatch(leader, batch, ResultKind.ACK);
                batch.clear();
            }
        }
        for (int n = 0; n < nodes; n++) {
            batch.add(Workload.report(n));
            if (batch.size() == 1_000 || n == nodes - 1) {
                submitBatch(leader, batch, ResultKind.ACK);
                batch.clear();
            }
        }
    }

    /** A heartbeat timeout of an hour, so nodes registered in setup stay UP for the whole run without reports. */
    static void longHeartbeat(Replica leader) throws Exception {
        Policy policy = leader.policy().value().toBuilder().heartbeatTimeoutMillis(3_600_000).build();
        Result r = leader.submit(new SetPolicy(policy), 30_000).get(60, TimeUnit.SECONDS);
        if (r.kind() != ResultKind.ACK) {
            throw new IllegalStateException("SetPolicy answered " + r);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < replicas.length; i++) {
            if (apis[i] != null) {
                apis[i].close();
            }
        }
        for (Replica r : replicas) {
            if (r != null) {
                r.close();
            }
        }
        deleteTree(root);
    }

    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }

    static long sizeOfTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static int[] freePorts(int count) {
        return LoopbackPorts.free(count);
    }

    /** 1-minute load average of the machine. */
    static String load() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
