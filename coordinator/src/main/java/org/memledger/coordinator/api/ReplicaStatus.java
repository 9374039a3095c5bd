package org.memledger.coordinator.api;

import java.util.List;

/** {@code GET /v1/status}: who this replica is and how far it has applied the log. */
public record ReplicaStatus(String replicaId, String role, String leaderId, long term, long appliedIndex,
                            String stateHash, List<String> peers) {
    public ReplicaStatus {
        peers = List.copyOf(peers);
    }
}
