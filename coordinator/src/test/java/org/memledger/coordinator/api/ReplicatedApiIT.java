package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memledger.coordinator.api.ServedCluster.Reply;
import org.memledger.coordinator.raft.Poll;
import org.memledger.coordinator.raft.ReplicaCrash;

/**
 * Issue 4 end to end: three real Raft replicas on loopback, each with its own HTTP API server,
 * driven over real HTTP exactly as a client would. Writes go through followers, reads are checked
 * on every replica, bad input changes nothing anywhere, and admissions keep working after the
 * leader dies.
 *
 * <p>The replicas propose no Ticks: a Tick is a log entry, so with Ticks the applied index moves
 * every second and "this request wrote nothing" could not be asserted exactly. Nothing here is
 * time-driven (the heartbeat timeout is the default 30 s and no node is expected to go DOWN).
 */
class ReplicatedApiIT {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    /** Generous: a slow 2-core CI machine must not fail this test, only a broken cluster. */
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final String WRITE_TIMEOUT = "30s";

    @TempDir
    Path dir;

    private ServedCluster cluster;

    @AfterEach
    void stopAll() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theApiOfEveryReplicaServesOneReplicatedLedger() throws Exception {
        startCluster();
        awaitLeader(List.of(0, 1, 2));

        // Three nodes, registered and reported through three different replicas. A registration
        // through a follower answers the node as that follower applied it: it must have applied it.
        for (int n = 1; n <= 3; n++) {
            int via = n - 1;
            Reply registered = send(via, "PUT", "/v1/nodes/node-" + n,
                    "{\"operator\":\"op-a\",\"zone\":\"z" + n + "\",\"labels\":{},\"declaredBytes\":" + 8 * GIB + "}");
            assertThat(registered.status()).as("%s", registered).isEqualTo(200);
            assertThat(registered.json().path("state").asText()).isEqualTo("PENDING");
            Reply reported = send(via, "POST", "/v1/nodes/node-" + n + "/reports", "{\"seq\":1,\"declaredBytes\":"
                    + 8 * GIB + ",\"physicalBytes\":" + 16 * GIB + ",\"availableBytes\":" + 12 * GIB
                    + ",\"deploymentUsage\":{}}");
            assertThat(reported.status()).as("%s", reported).isEqualTo(200);
            assertThat(reported.json().path("status").asText()).isEqualTo("ACCEPTED");
        }

        int leader = awaitLeader(List.of(0, 1, 2));
        int followerA = (leader + 1) % 3;
        int followerB = (leader + 2) % 3;

        // Admitted through a follower: 201 with two placements in distinct zones.
        String web1 = admitBody("web-1", 1 * GIB, 2);
        Reply admitted = send(followerA, "POST", "/v1/deployments", web1);
        assertThat(admitted.status()).as("%s", admitted).isEqualTo(201);
        assertThat(admitted.json().path("status").asText()).isEqualTo("ADMITTED");
        assertThat(admitted.json().path("duplicate").asBoolean()).isFalse();
        List<String> placements = texts(admitted.json().path("placements"));
        assertThat(placements).hasSize(2).doesNotHaveDuplicates().allMatch(p -> p.startsWith("node-"));
        long admittedIndex = admitted.json().path("ledgerIndex").asLong();
        assertThat(admittedIndex).isPositive();
        assertThat(admitted.index()).isGreaterThanOrEqualTo(admittedIndex);

        // A linearizable read on the other follower, right after the write, must see it at once.
        Reply linearizable = send(followerB, "GET", "/v1/deployments/web-1?consistency=linearizable", null);
        assertThat(linearizable.status()).as("%s", linearizable).isEqualTo(200);
        assertThat(texts(linearizable.json().path("placements"))).isEqualTo(placements);
        assertThat(linearizable.index()).isGreaterThanOrEqualTo(admittedIndex);

        // The same admission again (through the other follower): 200, the first answer, marked duplicate.
        Reply repeat = send(followerB, "POST", "/v1/deployments", web1);
        assertThat(repeat.status()).as("%s", repeat).isEqualTo(200);
        assertThat(repeat.json().path("status").asText()).isEqualTo("ADMITTED");
        assertThat(repeat.json().path("duplicate").asBoolean()).isTrue();
        assertThat(texts(repeat.json().path("placements"))).isEqualTo(placements);
        assertThat(repeat.json().path("remainingBytes").asLong())
                .isEqualTo(admitted.json().path("remainingBytes").asLong());
        assertThat(repeat.json().path("ledgerIndex").asLong()).isEqualTo(admittedIndex);

        // The same id with another spec: 409 DUPLICATE_ID.
        Reply conflict = send(followerA, "POST", "/v1/deployments", admitBody("web-1", 2 * GIB, 2));
        assertThat(conflict.status()).as("%s", conflict).isEqualTo(409);
        assertThat(conflict.json().path("status").asText()).isEqualTo("REJECTED");
        assertThat(conflict.json().path("reason").asText()).isEqualTo("DUPLICATE_ID");

        // Every replica serves the deployment from its own applied state, once it has applied it.
        for (int i = 0; i < 3; i++) {
            int replica = i;
            Reply read = poll("web-1 to appear on replica " + i, () -> {
                Reply r = send(replica, "GET", "/v1/deployments/web-1", null);
                return r.status() == 200 ? r : null;
            });
            assertThat(read.json().path("owner").asText()).isEqualTo("alice");
            assertThat(read.json().path("firmBytes").asLong()).isEqualTo(1 * GIB);
            assertThat(read.json().path("minBytes").asLong()).isEqualTo(512 * MIB);
            assertThat(read.json().path("status").asText()).isEqualTo("PLACED");
            assertThat(read.json().path("admittedIndex").asLong()).isEqualTo(admittedIndex);
            assertThat(texts(read.json().path("placements"))).isEqualTo(placements);
        }

        // A dry run answers with a decision and writes nothing: no replica's index or hash moves.
        List<Status> beforeCheck = awaitConverged(List.of(0, 1, 2));
        // The refusal above was the last write, so the converged index is its own index; the answer
        // must carry at least that (api.md: "for a write, at least the index of that write").
        assertThat(conflict.index()).as("X-Memledger-Index of a 409 answered by a follower")
                .isGreaterThanOrEqualTo(beforeCheck.get(0).appliedIndex());
        assertThat(conflict.json().path("ledgerIndex").asLong()).isEqualTo(conflict.index());
        Reply wouldAdmit = send(followerA, "POST", "/v1/deployments:check", admitBody("web-2", 1 * GIB, 1));
        assertThat(wouldAdmit.status()).as("%s", wouldAdmit).isEqualTo(200);
        assertThat(wouldAdmit.json().path("status").asText()).isEqualTo("ADMITTED");
        assertThat(wouldAdmit.json().path("placements")).hasSize(1);
        Reply wouldReject = send(followerB, "POST", "/v1/deployments:check?consistency=linearizable",
                admitBody("web-3", 60 * GIB, 1));
        assertThat(wouldReject.status()).as("%s", wouldReject).isEqualTo(200);
        assertThat(wouldReject.json().path("status").asText()).isEqualTo("REJECTED");
        assertThat(wouldReject.json().path("reason").asText()).isEqualTo("INSUFFICIENT_MEMORY");
        assertThat(wouldReject.json().path("maxAdmissibleBytes").asLong()).isBetween(1L, 8 * GIB);
        assertThat(ledgerStates(statuses(List.of(0, 1, 2)))).isEqualTo(ledgerStates(beforeCheck));
        assertThat(send(leader, "GET", "/v1/deployments/web-2?consistency=linearizable", null).status()).isEqualTo(404);

        // Released through the other follower; gone at once for a linearizable read, then everywhere.
        Reply released = send(followerB, "DELETE", "/v1/deployments/web-1", null);
        assertThat(released.status()).as("%s", released).isEqualTo(200);
        assertThat(released.json().path("status").asText()).isEqualTo("RELEASED");
        assertThat(released.json().path("releasedAt").asText()).endsWith("Z");
        assertThat(send(followerA, "GET", "/v1/deployments/web-1?consistency=linearizable", null).status())
                .isEqualTo(404);
        for (int i = 0; i < 3; i++) {
            int replica = i;
            poll("web-1 to be gone on replica " + i,
                    () -> send(replica, "GET", "/v1/deployments/web-1", null).status() == 404 ? Boolean.TRUE : null);
        }
        long releaseIndex = awaitConverged(List.of(0, 1, 2)).get(0).appliedIndex(); // the release was the last write
        assertThat(released.index()).as("X-Memledger-Index of a release answered by a follower")
                .isGreaterThanOrEqualTo(releaseIndex);
        assertThat(released.json().path("ledgerIndex").asLong()).isEqualTo(released.index());
        Reply releasedAgain = send(followerA, "DELETE", "/v1/deployments/web-1", null);
        assertThat(releasedAgain.status()).as("%s", releasedAgain).isEqualTo(404);
        assertThat(releasedAgain.errorCode()).isEqualTo("NOT_FOUND");

        // One that must survive the leader's death below.
        Reply keep = send(followerA, "POST", "/v1/deployments", admitBody("keep-1", 2 * GIB, 3));
        assertThat(keep.status()).as("%s", keep).isEqualTo(201);
        assertThat(texts(keep.json().path("placements"))).containsExactlyInAnyOrder("node-1", "node-2", "node-3");

        // Every replica: the same index and hash, three peers, one leader that all of them name.
        List<Status> converged = awaitConverged(List.of(0, 1, 2));
        assertThat(converged).allMatch(s -> s.peers() == 3);
        leader = awaitLeader(List.of(0, 1, 2)); // re-read: a slow machine may have held an election meanwhile
        List<Status> roles = statuses(List.of(0, 1, 2));
        assertThat(roles).extracting(Status::role).containsExactlyInAnyOrder("LEADER", "FOLLOWER", "FOLLOWER");
        assertThat(roles).extracting(Status::leaderId).containsOnly("n" + (leader + 1));

        // Bad requests, to followers and leader alike: 400 naming the problem, and nothing changes.
        Reply malformed = send(followerA, "POST", "/v1/deployments", "{\"deploymentId\":\"bad-1\",");
        assertThat(malformed.status()).as("%s", malformed).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("MALFORMED_JSON");
        Reply unknownField = send(followerB, "POST", "/v1/deployments",
                "{\"deploymentId\":\"bad-2\",\"owner\":\"alice\",\"firmBytes\":" + GIB + ",\"colour\":\"red\"}");
        assertThat(unknownField.status()).as("%s", unknownField).isEqualTo(400);
        assertThat(unknownField.errorCode()).isEqualTo("UNKNOWN_FIELD");
        assertThat(unknownField.errorField()).isEqualTo("colour");
        Reply wrongType = send(leader, "POST", "/v1/nodes/node-1/reports", "{\"seq\":\"12\",\"declaredBytes\":"
                + 8 * GIB + ",\"physicalBytes\":" + GIB + ",\"availableBytes\":" + GIB + ",\"deploymentUsage\":{}}");
        assertThat(wrongType.status()).as("%s", wrongType).isEqualTo(400);
        assertThat(wrongType.errorCode()).isEqualTo("INVALID_ARGUMENT");
        assertThat(wrongType.errorField()).isEqualTo("seq");
        Reply unknownNodeField = send(followerA, "PUT", "/v1/nodes/node-9",
                "{\"operator\":\"op-a\",\"zone\":\"z1\",\"labels\":{},\"declaredBytes\":" + GIB + ",\"size\":1}");
        assertThat(unknownNodeField.status()).as("%s", unknownNodeField).isEqualTo(400);
        assertThat(unknownNodeField.errorCode()).isEqualTo("UNKNOWN_FIELD");
        assertThat(ledgerStates(statuses(List.of(0, 1, 2)))).isEqualTo(ledgerStates(converged));
        assertThat(send(leader, "GET", "/v1/deployments/bad-2?consistency=linearizable", null).status()).isEqualTo(404);
        assertThat(send(leader, "GET", "/v1/nodes/node-9?consistency=linearizable", null).status()).isEqualTo(404);
        Reply node1 = send(followerB, "GET", "/v1/nodes/node-1?consistency=linearizable", null);
        assertThat(node1.json().path("physicalBytes").asLong()).isEqualTo(16 * GIB);

        // The leader dies (its Raft server stops at once, its API is gone). The two survivors elect a
        // new leader and an admission through a surviving follower is admitted.
        leader = awaitLeader(List.of(0, 1, 2));
        long oldTerm = status(leader).term();
        kill(leader);
        List<Integer> survivors = List.of((leader + 1) % 3, (leader + 2) % 3);
        int newLeader = awaitLeader(survivors);
        assertThat(newLeader).isNotEqualTo(leader);
        assertThat(status(newLeader).term()).isGreaterThan(oldTerm);
        int survivingFollower = newLeader == survivors.get(0) ? survivors.get(1) : survivors.get(0);
        Reply afterFailover = send(survivingFollower, "POST", "/v1/deployments", admitBody("after-failover", 1 * GIB, 2));
        assertThat(afterFailover.status()).as("%s", afterFailover).isEqualTo(201);
        assertThat(afterFailover.json().path("duplicate").asBoolean()).isFalse();
        assertThat(afterFailover.json().path("placements")).hasSize(2);

        // Nothing acknowledged was lost, and the survivors agree.
        List<Status> afterKill = awaitConverged(survivors);
        assertThat(afterKill.get(0).appliedIndex()).isGreaterThan(converged.get(0).appliedIndex());
        for (int i : survivors) {
            Reply list = send(i, "GET", "/v1/deployments?consistency=linearizable", null);
            assertThat(list.status()).as("%s", list).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            list.json().path("deployments").forEach(d -> ids.add(d.path("deploymentId").asText()));
            assertThat(ids).as("live deployments on replica %d", i).containsExactly("after-failover", "keep-1");
        }
    }

    // ---- the cluster ---------------------------------------------------------------------------

    private void startCluster() throws Exception {
        cluster = ServedCluster.start("api-it", dir, WRITE_TIMEOUT, b -> b.ticks(false));
    }

    /** As if the process died: no drain, no hand-over of leadership. */
    private void kill(int i) {
        cluster.stop(i, ReplicaCrash::crash);
    }

    /** The index of the replica that every one of {@code among} names as leader and that says it leads. */
    private int awaitLeader(List<Integer> among) {
        return poll("a leader among replicas " + among, () -> {
            String leaderId = null;
            for (int i : among) {
                Status status = status(i);
                if (status.leaderId() == null || leaderId != null && !leaderId.equals(status.leaderId())) {
                    return null;
                }
                leaderId = status.leaderId();
            }
            for (int i : among) {
                if (("n" + (i + 1)).equals(leaderId) && status(i).role().equals("LEADER")
                        && send(i, "GET", "/readyz", null).status() == 200) {
                    return i;
                }
            }
            return null;
        });
    }

    /** Waits until the replicas show the same applied index, and asserts they then show the same hash. */
    private List<Status> awaitConverged(List<Integer> among) {
        return poll("replicas " + among + " to reach the same applied index", () -> {
            List<Status> statuses = statuses(among);
            for (Status status : statuses) {
                if (status.appliedIndex() != statuses.get(0).appliedIndex()) {
                    return null;
                }
            }
            for (Status status : statuses) {
                assertThat(status.stateHash()).as("state hash of %s at index %d", status.replicaId(),
                        status.appliedIndex()).isEqualTo(statuses.get(0).stateHash());
            }
            return statuses;
        });
    }

    /** What a replica's ledger is at: its id, applied index and state hash (Raft role and term may change freely). */
    private static List<String> ledgerStates(List<Status> statuses) {
        return statuses.stream().map(s -> s.replicaId() + "@" + s.appliedIndex() + ":" + s.stateHash()).toList();
    }

    private List<Status> statuses(List<Integer> among) {
        List<Status> statuses = new ArrayList<>();
        for (int i : among) {
            statuses.add(status(i));
        }
        return statuses;
    }

    record Status(String replicaId, String role, String leaderId, long term, long appliedIndex, String stateHash,
                  int peers) {
    }

    private Status status(int i) {
        Reply reply = send(i, "GET", "/v1/status", null);
        if (reply.status() != 200) { // not an assertion: polls retry on exceptions, not on assertion errors
            throw new IllegalStateException("GET /v1/status on replica " + i + ": " + reply);
        }
        JsonNode json = reply.json();
        return new Status(json.path("replicaId").asText(), json.path("role").asText(),
                json.path("leaderId").isNull() ? null : json.path("leaderId").asText(null), json.path("term").asLong(),
                json.path("appliedIndex").asLong(), json.path("stateHash").asText(), json.path("peers").size());
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    private static String admitBody(String id, long firmBytes, int replicas) {
        return "{\"deploymentId\":\"" + id + "\",\"owner\":\"alice\",\"minBytes\":" + Math.min(firmBytes, 512 * MIB)
                + ",\"firmBytes\":" + firmBytes + ",\"replicas\":" + replicas + ",\"zoneSpread\":true,\"priority\":0}";
    }

    private Reply send(int replica, String method, String path, String body) {
        return cluster.send(replica, method, path, body);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    /** The first non-null value of {@code probe}; fails with {@code what} at the deadline. Not a sleep: a poll. */
    private static <T> T poll(String what, Supplier<T> probe) {
        return Poll.value(CONVERGE, what, probe);
    }
}
