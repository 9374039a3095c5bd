package org.memledger.deploy;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.memledger.coordinator.api.HttpApiConfig;
import org.memledger.coordinator.raft.ClusterIdentity;
import org.memledger.coordinator.raft.PeerList;
import org.memledger.coordinator.raft.ReplicaConfig;
import org.memledger.coordinator.raft.ReplicaStartException;
import org.memledger.nodeagent.AgentConfig;
import org.memledger.nodeagent.NodeAgent;
import org.memledger.nodeagent.SystemReserve;
import org.memledger.nodeagent.memory.MemoryReadException;
import org.memledger.nodeagent.memory.MemoryReading;
import org.memledger.nodeagent.memory.MemorySource;
import org.memledger.nodeagent.memory.MemorySourceOption;
import org.memledger.nodeagent.memory.MemorySources;
import org.memledger.nodeagent.memory.SystemPaths;
import org.memledger.protocol.ByteSize;
import org.memledger.protocol.ClusterCapacity;
import org.memledger.protocol.Identifiers;
import org.memledger.protocol.NodeState;
import org.memledger.protocol.Policy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memledger up}: the embedded default. One process runs a single-replica coordinator (Raft
 * log and snapshots under {@code --data-dir}, so a second {@code up} finds its deployments again),
 * its HTTP API on loopback, and a node agent for this machine, then prints where to look and a
 * one-line capacity summary. Ctrl-C stops the agent first, then the API and the replica.
 */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs an embedded single-replica coordinator, its HTTP API on loopback and a node agent",
                "for this machine, until Ctrl-C. Data is kept in --data-dir and reused by the next 'up'."},
        footerHeading = "%nExample:%n",
        footer = {"  bin/memledger up",
                "  bin/memledger admit web-1 --owner alice --firm 512Mi     # in another terminal"})
public final class UpCommand implements Callable<Integer> {
    private static final String PREFIX = "memledger up: ";
    private static final long SUMMARY_WAIT_MILLIS = 15_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "memledger-data", paramLabel = "DIR",
            description = "Raft log and snapshots (default: ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--http-port", defaultValue = "" + HttpApiConfig.DEFAULT_PORT, paramLabel = "PORT",
            description = "HTTP API port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--raft-port", defaultValue = "7071", paramLabel = "PORT",
            description = "Raft port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int raftPort;

    @Option(names = "--node-id", paramLabel = "ID", description = "This machine's node id (default: its host name).")
    String nodeId;

    @Option(names = "--declare", paramLabel = "SIZE",
            description = "Memory this node offers (default: physical memory minus the default system reserve).")
    String declare;

    @Option(names = "--memory-source", defaultValue = "auto", paramLabel = MemorySourceOption.SYNTAX,
            description = "Where the agent measures memory (default: ${DEFAULT-VALUE}).")
    String memorySource;

    @Option(names = "--interval", defaultValue = "5000", paramLabel = "MILLIS",
            description = "Agent report interval in ms (default: ${DEFAULT-VALUE}).")
    long intervalMillis;

    private final StopSignal stop;

    public UpCommand() {
        this(new CountDownLatch(1));
    }

    UpCommand(CountDownLatch stop) {
        this.stop = new StopSignal(stop);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String node = nodeId != null ? nodeId : hostNodeId();
            if (!Identifiers.isValid(node)) {
                throw new IllegalArgumentException("--node-id: " + Identifiers.explain("node id", node));
            }
            MemorySource source = MemorySources.open(MemorySourceOption.parse(memorySource), SystemPaths.defaults(),
                    Optional.empty());
            MemoryReading reading = source.read();
            long declared = declare != null ? ByteSize.parse("--declare", declare) : defaultDeclaration(reading);
            ServingReplica serving = ServingReplica.start(replicaConfig(), HttpApiConfig.builder()
                    .host(HttpApiConfig.DEFAULT_HOST).port(httpPort).build());
            NodeAgent agent;
            try {
                agent = new NodeAgent(AgentConfig.builder(node, declared)
                        .coordinators(List.of(serving.apiUri())).intervalMillis(intervalMillis).build(),
                        source, line -> {
                            err.println(PREFIX + "agent: " + line);
                            err.flush();
                        });
                agent.start();
            } catch (RuntimeException e) {
                serving.close();
                throw e;
            }
            announce(out, serving, node, source, declared);
            stop.awaitThen(() -> {
                err.println(PREFIX + "stopping");
                err.flush();
                agent.stop();
                serving.close();
            });
            return 0;
        } catch (ReplicaStartException | MemoryReadException | IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println(PREFIX + "could not start: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private ReplicaConfig replicaConfig() {
        PeerList peers = PeerList.parse("n1=127.0.0.1:" + raftPort);
        return ReplicaConfig.builder(ClusterIdentity.of(ClusterIdentity.DEFAULT_CLUSTER_NAME, "n1", peers),
                dataDir.toAbsolutePath()).build();
    }

    /** Prints the URLs and, once the agent's first report is applied, a one-line capacity summary. */
    private void announce(PrintWriter out, ServingReplica serving, String node, MemorySource source, long declared) {
        URI api = serving.apiUri();
        out.println(PREFIX + "coordinator n1 (single replica), data in " + dataDir.toAbsolutePath());
        out.println(PREFIX + "API        " + api + "   (status: " + api.resolve("/v1/status") + ")");
        out.println(PREFIX + "agent      node " + node + ", " + source.describe() + ", declaring "
                + ByteSize.formatApprox(declared));
        out.println(PREFIX + "try        bin/memledger admit web-1 --owner alice --firm 512Mi --api " + api);
        out.flush();
        Optional<ClusterCapacity> capacity = awaitNode(serving, node);
        out.println(PREFIX + capacity.map(UpCommand::summary)
                .orElse("node " + node + " has not reported yet; see the agent lines above"));
        out.println(PREFIX + "Ctrl-C to stop");
        out.flush();
    }

    private static Optional<ClusterCapacity> awaitNode(ServingReplica serving, String node) {
        long deadline = System.nanoTime() + SUMMARY_WAIT_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            boolean reported = serving.replica().read(views -> views.node(node)
                    .map(v -> v.state() != NodeState.PENDING).orElse(false));
            if (reported) {
                return Optional.of(serving.replica().read(views -> views.cluster()));
            }
            try {
                Thread.sleep(100); // waiting for a human-facing summary, not synchronising a test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static String summary(ClusterCapacity cluster) {
        return "capacity " + ByteSize.formatApprox(cluster.capacityBytes()) + " on " + cluster.admittingNodes()
                + " node(s), " + ByteSize.formatApprox(cluster.reservedBytes()) + " reserved ("
                + cluster.utilizationBasisPoints() / 100 + "." + String.format("%02d", cluster.utilizationBasisPoints() % 100)
                + " %), " + ByteSize.formatApprox(cluster.admissibleBytes()) + " admissible";
    }

    /** Physical memory minus the default policy's system reserve: what this machine can honestly offer. */
    static long defaultDeclaration(MemoryReading reading) {
        long physical = reading.physicalBytes();
        return physical - SystemReserve.of(Policy.defaults()).bytesFor(physical);
    }

    private static String hostNodeId() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            String id = host.replaceAll("[^A-Za-z0-9._-]", "-");
            return Identifiers.isValid(id) ? id : "local";
        } catch (IOException e) {
            return "local";
        }
    }
}
