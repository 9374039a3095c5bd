package org.memledger.protocol.json;

import java.util.List;

/** {@code GET /v1/nodes}: every node the ledger knows, by id. */
public record NodeList(long ledgerIndex, List<NodeJson> nodes) {
}
