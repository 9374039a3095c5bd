package org.memledger.protocol;

import java.util.SortedMap;

/**
 * What the ledger knows and derives about one node. All sizes in bytes, times in ledger ms
 * ({@code lastReportAtMillis} is -1 before the first report).
 */
public record NodeView(String nodeId, NodeState state, String zone, String operator, SortedMap<String, String> labels,
                       long declaredBytes, long physicalBytes, long availableBytes, long capacityBytes,
                       long reservedBytes, long usedBytes, long admissibleBytes, long hostedDeployments,
                       long lastReportSeq, long lastReportAtMillis) {
}
