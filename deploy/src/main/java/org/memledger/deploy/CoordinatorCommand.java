package org.memledger.deploy;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.memledger.coordinator.api.HttpApiConfig;
import org.memledger.coordinator.raft.ClusterIdentity;
import org.memledger.coordinator.raft.PeerList;
import org.memledger.coordinator.raft.RaftTransport;
import org.memledger.coordinator.raft.Replica;
import org.memledger.coordinator.raft.ReplicaConfig;
import org.memledger.coordinator.raft.ReplicaStartException;
import org.memledger.coordinator.raft.SubmitterConfig;
import org.memledger.protocol.ByteSize;
import org.memledger.protocol.Identifiers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memledger coordinator}: runs one replica of the replicated ledger until the process is
 * told to stop (SIGTERM, Ctrl-C), then shuts down gracefully: stops accepting, drains the commands
 * in flight, hands leadership to a peer, closes Raft.
 *
 * <p>Mistakes an operator can fix (a malformed peer list, an id that is not a peer, a data dir of
 * another cluster, a port in use) are one line on stderr, no stack trace, exit code 2 for bad flags
 * and 1 for a replica that cannot start.
 */
@Command(name = "coordinator", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs one replica of the replicated memory ledger (Apache Ratis).",
                "A single-replica group needs only --data-dir."})
public final class CoordinatorCommand implements Callable<Integer> {
    static final int EXIT_BAD_FLAGS = 2;
    static final int EXIT_START_FAILED = 1;
    static final String DEFAULT_ADDRESS = "127.0.0.1:7071";

    @Spec
    CommandSpec spec;

    @Mixin
    HttpApiOptions http;

    @Option(names = "--id", defaultValue = "n1", description = "This replica's id; must be one of --peers (default: ${DEFAULT-VALUE}).")
    String id;

    @Option(names = "--peers", paramLabel = "ID=HOST:PORT[,...]",
            description = "Every replica of the group with its Raft address, the same list on every replica "
                    + "(default: <id>=" + DEFAULT_ADDRESS + ", a single-replica group).")
    String peers;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "Raft log, snapshots and the replica identity file.")
    Path dataDir;

    @Option(names = "--cluster-name", defaultValue = ClusterIdentity.DEFAULT_CLUSTER_NAME,
            description = "The Raft group id is derived from it (default: ${DEFAULT-VALUE}).")
    String clusterName;

    @Option(names = "--raft-transport", defaultValue = "netty", paramLabel = "netty|grpc",
            description = "Transport between replicas (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--bind-host", paramLabel = "HOST",
            description = "Address the Raft server binds (default: the host of this replica's --peers entry).")
    String bindHost;

    @Option(names = "--election-timeout-min-ms", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}.")
    long electionMinMillis;

    @Option(names = "--election-timeout-max-ms", defaultValue = "2000", description = "Default: ${DEFAULT-VALUE}.")
    long electionMaxMillis;

    @Option(names = "--segment-size", defaultValue = "32MiB", paramLabel = "SIZE",
            description = "Raft log segment size (default: ${DEFAULT-VALUE}).")
    String segmentSize;

    @Option(names = "--snapshot-threshold", defaultValue = "100000", paramLabel = "ENTRIES",
            description = "Take a snapshot every this many log entries; 0 = only on shutdown (default: ${DEFAULT-VALUE}).")
    long snapshotThreshold;

    @Option(names = "--snapshots-retained", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int snapshotsRetained;

    @Option(names = "--max-batch", defaultValue = "1000", description = "Commands per Raft entry (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--batch-linger-micros", defaultValue = "1000",
            description = "How long a batch waits to fill while another is in flight (default: ${DEFAULT-VALUE}).")
    long lingerMicros;

    @Option(names = "--max-in-flight", defaultValue = "20000",
            description = "Commands held at once; beyond it writes are refused as overloaded (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--max-in-flight-batches", defaultValue = "2",
            description = "Raft calls outstanding at once on the leader; a follower sends one at a time "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxInFlightBatches;

    @Option(names = "--drain-timeout-ms", defaultValue = "5000",
            description = "On shutdown, how long to wait for commands in flight (default: ${DEFAULT-VALUE}).")
    long drainMillis;

    /** Released to stop the replica; in production only the shutdown hook releases it. */
    private final StopSignal stop;

    public CoordinatorCommand() {
        this(new CountDownLatch(1));
    }

    CoordinatorCommand(CountDownLatch stop) {
        this.stop = new StopSignal(stop);
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ReplicaConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            err.println("memledger coordinator: " + e.getMessage());
            err.flush();
            return EXIT_BAD_FLAGS;
        }
        HttpApiConfig apiConfig;
        try {
            apiConfig = http.config();
        } catch (IllegalArgumentException | IOException e) {
            err.println("memledger coordinator: " + e.getMessage());
            err.flush();
            return EXIT_BAD_FLAGS;
        }
        ServingReplica replica;
        try {
            replica = ServingReplica.start(config, apiConfig);
        } catch (ReplicaStartException e) {
            err.println("memledger coordinator: " + e.getMessage());
            err.flush();
            return EXIT_START_FAILED;
        } catch (IOException | RuntimeException e) {
            err.println("memledger coordinator: replica " + config.identity().replicaId() + " failed to start: " + e);
            err.flush();
            return EXIT_START_FAILED;
        }
        return runUntilStopped(replica);
    }

    private int runUntilStopped(ServingReplica serving) {
        Replica replica = serving.replica();
        PrintWriter out = spec.commandLine().getOut();
        ReplicaConfig config = replica.config();
        out.println("memledger coordinator: replica " + replica.id() + " of cluster '" + config.identity().clusterName()
                + "' on " + config.bindHost() + ":" + config.identity().self().port() + " (" + config.transport()
                + "), data dir " + config.dataDir() + ", peers " + config.identity().peers());
        out.println("memledger coordinator: HTTP API on " + serving.apiUri());
        out.flush();
        stop.awaitThen(serving::close);
        return 0;
    }

    /** Builds the replica's configuration from the flags; IllegalArgumentException names the bad flag. */
    ReplicaConfig config() {
        if (!Identifiers.isValid(id)) {
            throw new IllegalArgumentException("--id: " + Identifiers.explain("replica id", id));
        }
        PeerList peerList;
        try {
            peerList = PeerList.parse(peers != null ? peers : id + "=" + DEFAULT_ADDRESS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--peers: " + e.getMessage(), e);
        }
        ClusterIdentity identity;
        try {
            identity = ClusterIdentity.of(clusterName, id, peerList);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((peerList.find(id).isEmpty() ? "--id: " : "--cluster-name: ")
                    + e.getMessage(), e);
        }
        RaftTransport raftTransport;
        try {
            raftTransport = RaftTransport.parse(transport);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--raft-transport: " + e.getMessage(), e);
        }
        SubmitterConfig submitter;
        try {
            submitter = new SubmitterConfig(maxBatch, SubmitterConfig.defaults().maxBatchBytes(), lingerMicros,
                    maxInFlight, maxInFlightBatches);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-batch, --batch-linger-micros, --max-in-flight or "
                    + "--max-in-flight-batches: " + e.getMessage(), e);
        }
        if (snapshotThreshold < 0) {
            throw new IllegalArgumentException("--snapshot-threshold must not be negative, was " + snapshotThreshold);
        }
        return ReplicaConfig.builder(identity, dataDir.toAbsolutePath())
                .transport(raftTransport)
                .bindHost(bindHost)
                .electionTimeout(Duration.ofMillis(electionMinMillis), Duration.ofMillis(electionMaxMillis))
                .segmentSizeBytes(ByteSize.parse("--segment-size", segmentSize))
                .snapshotThresholdEntries(snapshotThreshold)
                .snapshotsRetained(snapshotsRetained)
                .submitter(submitter)
                .drainTimeout(Duration.ofMillis(drainMillis))
                .build();
    }
}
