package org.memledger.coordinator.raft;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.ratis.protocol.RaftGroupId;
import org.memledger.protocol.Identifiers;

/**
 * Who a replica belongs to: the cluster name, the Raft group id derived from it, and the static
 * peer list. The group id is a name-based UUID of the cluster name, so every replica started with
 * the same {@code --cluster-name} computes the same id without talking to anyone, and two clusters
 * with different names never accept each other's messages.
 */
public record ClusterIdentity(String clusterName, RaftGroupId groupId, String replicaId, PeerList peers) {

    public static final String DEFAULT_CLUSTER_NAME = "memledger";

    public static ClusterIdentity of(String clusterName, String replicaId, PeerList peers) {
        if (!Identifiers.isValid(clusterName)) {
            throw new IllegalArgumentException(Identifiers.explain("cluster name", clusterName));
        }
        if (peers.find(replicaId).isEmpty()) {
            throw new IllegalArgumentException("replica id '" + replicaId + "' is not in the peer list " + peers
                    + "; --id must name one of the peers");
        }
        return new ClusterIdentity(clusterName, groupIdOf(clusterName), replicaId, peers);
    }

    /** The Raft group id of a cluster name: the same on every machine, forever. */
    public static RaftGroupId groupIdOf(String clusterName) {
        byte[] name = ("memledger-cluster:" + clusterName).getBytes(StandardCharsets.UTF_8);
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(name));
    }

    public Peer self() {
        return peers.find(replicaId).orElseThrow();
    }
}
