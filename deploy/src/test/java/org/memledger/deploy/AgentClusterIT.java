package org.memledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memledger.coordinator.api.ServedCluster;
import org.memledger.coordinator.api.ServedCluster.Reply;
import org.memledger.coordinator.raft.Poll;
import org.memledger.coordinator.raft.Replica;
import org.memledger.nodeagent.AgentConfig;
import org.memledger.nodeagent.NodeAgent;
import org.memledger.nodeagent.memory.StaticSource;

/**
 * Issue 5 end to end: three real coordinator replicas, each serving the HTTP API, and three real
 * node agents with static memory sources, each given all three API URLs. Capacity shows up, a
 * shrinking node is reported within two intervals, a silent node goes DOWN and comes back, and
 * the agents fail over when the leader dies.
 */
class AgentClusterIT {
    private static final long GIB = 1L << 30;
    private static final long INTERVAL_MILLIS = 500;
    /**
     * Allowed on top of two intervals between changing a node's memory and the agent's report of
     * it: scheduling on a loaded 2-core machine. The agent normally reports within a fifth of an
     * interval (its change detector), so this is slack, not the expected delay.
     */
    private static final long REPORT_TOLERANCE_MILLIS = 1_500;
    /** Deadline of every poll: generous, a slow machine must not fail the test, only a broken system. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final long SHORT_HEARTBEAT_MILLIS = 1_500;
    private static final List<String> NODES = List.of("node-a", "node-b", "node-c");

    @TempDir
    Path dir;

    private ServedCluster cluster;
    private final Map<String, StaticSource> sources = new HashMap<>();
    private final Map<String, NodeAgent> agents = new HashMap<>();
    private final Map<String, List<String>> statusLines = new HashMap<>();

    @AfterEach
    void stopAll() {
        agents.values().forEach(NodeAgent::stop);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void agentsReportCapacityShrinkGoSilentAndFailOver() throws Exception {
        startCluster();
        awaitLeader(List.of(0, 1, 2));
        for (int n = 0; n < NODES.size(); n++) {
            String node = NODES.get(n);
            sources.put(node, new StaticSource(16 * GIB, 12 * GIB));
            // Each agent gets all three URLs, starting with a different replica.
            startAgent(node, List.of(cluster.api(n), cluster.api((n + 1) % 3), cluster.api((n + 2) % 3)));
        }

        // (a) Every node's figures appear in /v1/capacity, on every replica.
        for (int i = 0; i < 3; i++) {
            int replica = i;
            JsonNode capacity = poll("three ACTIVE nodes in /v1/capacity of replica " + i, () -> {
                JsonNode c = get(replica, "/v1/capacity").json();
                for (String node : NODES) {
                    JsonNode view = nodeIn(c, node);
                    if (view == null || !view.path("state").asText().equals("ACTIVE")
                            || view.path("physicalBytes").asLong() != 16 * GIB) {
                        return null;
                    }
                }
                return c;
            });
            for (String node : NODES) {
                JsonNode view = nodeIn(capacity, node);
                assertThat(view.path("declaredBytes").asLong()).isEqualTo(8 * GIB);
                assertThat(view.path("availableBytes").asLong()).isEqualTo(12 * GIB);
                // min(declared 8 GiB, 16 GiB physical minus a reserve of at most 4 GiB) = 8 GiB.
                assertThat(view.path("capacityBytes").asLong()).isEqualTo(8 * GIB);
                assertThat(view.path("admissibleBytes").asLong()).isPositive();
                assertThat(view.path("lastReportSeq").asLong()).isPositive();
            }
            assertThat(capacity.path("cluster").path("capacityBytes").asLong()).isEqualTo(24 * GIB);
            assertThat(capacity.path("cluster").path("totalNodes").asInt()).isEqualTo(3);
        }

        // (b) node-b shrinks to 8 GiB physical, 4 GiB available: reported within two intervals.
        long changedAt = System.currentTimeMillis();
        sources.get("node-b").set(8 * GIB, 4 * GIB);
        JsonNode shrunk = poll("node-b's new figures in /v1/capacity", () -> {
            JsonNode view = nodeIn(get(0, "/v1/capacity").json(), "node-b");
            return view != null && view.path("physicalBytes").asLong() == 8 * GIB ? view : null;
        });
        // seq is the agent's wall clock when it measured (max(lastSeq + 1, now)), so this is how
        // long after the change the agent sent it, whatever the coordinator's and this poll's delays.
        long reportedAfter = shrunk.path("lastReportSeq").asLong() - changedAt;
        assertThat(reportedAfter).as("ms between the change and the report carrying it")
                .isLessThanOrEqualTo(2 * INTERVAL_MILLIS + REPORT_TOLERANCE_MILLIS);
        assertThat(shrunk.path("availableBytes").asLong()).isEqualTo(4 * GIB);
        // 8 GiB physical less the 20 % system reserve: about 6.4 GiB, below the 8 GiB declared.
        assertThat(shrunk.path("capacityBytes").asLong()).isBetween(8 * GIB * 80 / 100 - 1, 8 * GIB * 80 / 100 + 1);
        for (int i = 0; i < 3; i++) {
            int replica = i;
            poll("the shrunk cluster capacity on replica " + i, () -> {
                long total = get(replica, "/v1/capacity").json().path("cluster").path("capacityBytes").asLong();
                return total == 16 * GIB + shrunk.path("capacityBytes").asLong() ? Boolean.TRUE : null;
            });
        }

        // (c) With a short heartbeat timeout, a node whose agent stops goes DOWN; a new agent brings it back.
        setHeartbeatTimeout(SHORT_HEARTBEAT_MILLIS);
        long seqBeforeSilence = nodeIn(get(1, "/v1/capacity?consistency=linearizable").json(), "node-c")
                .path("lastReportSeq").asLong();
        agents.remove("node-c").stop();
        for (int i = 0; i < 3; i++) {
            int replica = i;
            JsonNode down = poll("node-c DOWN on replica " + i, () -> {
                JsonNode c = get(replica, "/v1/capacity").json();
                return "DOWN".equals(nodeIn(c, "node-c").path("state").asText()) ? c : null;
            });
            assertThat(down.path("cluster").path("admittingNodes").asInt()).isLessThanOrEqualTo(2);
            assertThat(nodeIn(down, "node-c").path("admissibleBytes").asLong()).isZero();
        }
        startAgent("node-c", List.of(cluster.api(2), cluster.api(0), cluster.api(1)));
        JsonNode back = poll("node-c ACTIVE again", () -> {
            JsonNode view = nodeIn(get(2, "/v1/capacity").json(), "node-c");
            return "ACTIVE".equals(view.path("state").asText()) ? view : null;
        });
        assertThat(back.path("lastReportSeq").asLong()).isGreaterThan(seqBeforeSilence);
        assertThat(back.path("capacityBytes").asLong()).isEqualTo(8 * GIB);
        setHeartbeatTimeout(30_000); // the default again: the failover below must not be judged by it

        // (d) The leader dies abruptly (API gone, Raft server stopped with no drain and no hand-over).
        int leader = awaitLeader(List.of(0, 1, 2));
        List<Integer> survivors = List.of((leader + 1) % 3, (leader + 2) % 3);
        String deadApi = stripSlash(cluster.api(leader));
        List<String> onDeadReplica = new ArrayList<>();
        Map<String, Integer> linesAtKill = new HashMap<>();
        for (String node : NODES) {
            List<String> lines = statusLines.get(node);
            linesAtKill.put(node, lines.size());
            if (deadApi.equals(currentCoordinator(lines))) {
                onDeadReplica.add(node);
            }
        }
        long killedAt = System.currentTimeMillis();
        kill(leader);

        int newLeader = awaitLeader(survivors);
        assertThat(newLeader).isNotEqualTo(leader);
        // Every node keeps reporting through the survivors: reports measured after the kill arrive,
        // and then newer ones again. No node is lost or left DOWN.
        Map<String, Long> afterKill = awaitReportsNewerThan(survivors.get(0), killedAt);
        awaitReportsNewerThan(survivors.get(1), afterKill.values().stream().max(Long::compare).orElseThrow());
        for (int i : survivors) {
            JsonNode nodes = get(i, "/v1/nodes?consistency=linearizable").json().path("nodes");
            List<String> ids = new ArrayList<>();
            nodes.forEach(n -> ids.add(n.path("nodeId").asText()));
            assertThat(ids).as("nodes on replica %d", i).containsExactlyElementsOf(NODES);
        }
        // The agents that were talking to the dead replica said they failed over.
        System.out.println("AgentClusterIT: node-b's shrink reported " + reportedAfter + " ms after the change;"
                + " agents talking to the killed leader n" + (leader + 1) + ": " + onDeadReplica);
        for (String node : onDeadReplica) {
            List<String> lines = statusLines.get(node);
            List<String> since = new ArrayList<>(lines.subList(linesAtKill.get(node), lines.size()));
            assertThat(since).as("status lines of the agent for %s after the kill", node)
                    .anyMatch(line -> line.startsWith("failed over to coordinator ")
                            || line.startsWith("recovered: coordinator "));
            assertThat(currentCoordinator(lines)).isNotEqualTo(deadApi);
        }
        // And the survivors agree on the ledger.
        awaitConverged(survivors);
    }

    // ---- agents --------------------------------------------------------------------------------

    private void startAgent(String node, List<URI> coordinators) {
        List<String> lines = statusLines.computeIfAbsent(node, n -> new CopyOnWriteArrayList<>());
        NodeAgent agent = new NodeAgent(AgentConfig.builder(node, 8 * GIB).zone("z-" + node)
                .coordinators(coordinators).intervalMillis(INTERVAL_MILLIS).build(), sources.get(node), lines::add);
        agents.put(node, agent);
        agent.start();
    }

    /** The coordinator an agent last said it talks to, from its status lines; null if none. */
    private static String currentCoordinator(List<String> lines) {
        String current = null;
        for (String line : lines) {
            for (String prefix : List.of("connected to coordinator ", "failed over to coordinator ",
                    "recovered: coordinator ")) {
                if (line.startsWith(prefix)) {
                    String rest = line.substring(prefix.length());
                    int space = rest.indexOf(' ');
                    current = space < 0 ? rest : rest.substring(0, space);
                }
            }
        }
        return current;
    }

    /** Polls until every node's last applied report on {@code replica} was measured after {@code wallMillis}. */
    private Map<String, Long> awaitReportsNewerThan(int replica, long wallMillis) {
        return poll("reports newer than " + wallMillis + " from every node on replica " + replica, () -> {
            Map<String, Long> seqs = new TreeMap<>();
            JsonNode capacity = get(replica, "/v1/capacity").json();
            for (String node : NODES) {
                JsonNode view = nodeIn(capacity, node);
                if (view == null || !"ACTIVE".equals(view.path("state").asText())
                        || view.path("lastReportSeq").asLong() <= wallMillis) {
                    return null;
                }
                seqs.put(node, view.path("lastReportSeq").asLong());
            }
            return seqs;
        });
    }

    private void setHeartbeatTimeout(long millis) {
        ObjectNode policy = (ObjectNode) get(0, "/v1/policy").json();
        policy.put("heartbeatTimeoutMillis", millis);
        Reply put = send(1, "PUT", "/v1/policy", policy.toString());
        assertThat(put.status()).as("%s", put).isEqualTo(200);
        assertThat(put.json().path("heartbeatTimeoutMillis").asLong()).as("the policy answered by %s", put)
                .isEqualTo(millis);
        assertThat(get(2, "/v1/policy?consistency=linearizable").json().path("heartbeatTimeoutMillis").asLong())
                .isEqualTo(millis);
    }

    // ---- the cluster ---------------------------------------------------------------------------

    private void startCluster() throws Exception {
        cluster = ServedCluster.start("agents-it", dir, "30s", b -> b
                // Stopping a replica is then a kill as far as its peers can tell: no drain, no hand-over.
                .drainTimeout(Duration.ZERO)
                .transferLeadershipOnClose(false));
    }

    private void kill(int i) {
        cluster.stop(i, Replica::close);
    }

    /** The index of the replica that each of {@code among} names as leader and that says it leads. */
    private int awaitLeader(List<Integer> among) {
        return poll("a leader among replicas " + among, () -> {
            String leaderId = null;
            for (int i : among) {
                JsonNode status = get(i, "/v1/status").json();
                String named = status.path("leaderId").asText(null);
                if (named == null || leaderId != null && !leaderId.equals(named)) {
                    return null;
                }
                leaderId = named;
            }
            for (int i : among) {
                if (("n" + (i + 1)).equals(leaderId) && cluster.replica(i).isLeader()
                        && get(i, "/readyz").status() == 200) {
                    return i;
                }
            }
            return null;
        });
    }

    /** Until the replicas show the same applied index; they must then show the same state hash. */
    private void awaitConverged(List<Integer> among) {
        poll("replicas " + among + " at the same applied index", () -> {
            List<JsonNode> statuses = new ArrayList<>();
            for (int i : among) {
                statuses.add(get(i, "/v1/status").json());
            }
            long index = statuses.get(0).path("appliedIndex").asLong();
            if (statuses.stream().anyMatch(s -> s.path("appliedIndex").asLong() != index)) {
                return null;
            }
            for (JsonNode status : statuses) {
                assertThat(status.path("stateHash").asText()).as("state hash at index %d", index)
                        .isEqualTo(statuses.get(0).path("stateHash").asText());
            }
            return Boolean.TRUE;
        });
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    private Reply get(int replica, String path) {
        Reply reply = send(replica, "GET", path, null);
        if (reply.status() != 200 && !path.equals("/readyz")) {
            throw new IllegalStateException("GET " + path + " on replica " + replica + ": " + reply);
        }
        return reply;
    }

    private Reply send(int replica, String method, String path, String body) {
        return cluster.send(replica, method, path, body);
    }

    private static JsonNode nodeIn(JsonNode capacity, String nodeId) {
        for (JsonNode node : capacity.path("nodes")) {
            if (node.path("nodeId").asText().equals(nodeId)) {
                return node;
            }
        }
        return null;
    }

    private static String stripSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** The first non-null value of {@code probe}, polled; fails with {@code what} at the deadline. */
    private static <T> T poll(String what, Supplier<T> probe) {
        return Poll.value(DEADLINE, what, probe);
    }
}
