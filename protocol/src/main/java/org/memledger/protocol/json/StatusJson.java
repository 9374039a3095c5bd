package org.memledger.protocol.json;

import java.util.List;

/** {@code GET /v1/status}: which replica answered, its Raft role and term, and how far it has applied the log. */
public record StatusJson(String replicaId, String role, String leaderId, long term, long appliedIndex,
                         String stateHash, List<String> peers) {
}
