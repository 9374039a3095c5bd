package org.memledger.coordinator.raft;

import java.util.List;

/**
 * Who a replica is and how far it has applied the log ({@code GET /v1/status}).
 *
 * @param replicaId        this replica's id
 * @param role             its Raft role now
 * @param leaderId         the leader it knows of, or null
 * @param term             its current Raft term
 * @param appliedIndex     the index of the last ledger entry applied here (the index {@code stateHash} is at)
 * @param stateHash        the ledger's rolling state hash, hex
 * @param ledgerNowMillis  ledger time (the largest entry time applied)
 * @param raftAppliedIndex the last Raft index applied, counting Raft's own entries
 * @param snapshotIndex    the Raft index of the newest snapshot on disk, or -1
 * @param peers            the group's members
 */
public record ReplicaStatus(String replicaId, ReplicaRole role, String leaderId, long term, long appliedIndex,
                            String stateHash, long ledgerNowMillis, long raftAppliedIndex, long snapshotIndex,
                            List<Peer> peers) {
    public ReplicaStatus {
        peers = List.copyOf(peers);
    }
}
