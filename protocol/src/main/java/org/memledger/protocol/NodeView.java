package org.memledger.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the ledger knows and derives about one node. All sizes in bytes, times in ledger ms
 * ({@code lastReportAtMillis} is -1 before the first report).
 */
public record NodeView(String nodeId, NodeState state, String zone, String operator, SortedMap<String, String> labels,
                       long declaredBytes, long physicalBytes, long availableBytes, long capacityBytes,
                       long reservedBytes, long usedBytes, long admissibleBytes, long hostedDeployments,
                       long lastReportSeq, long lastReportAtMillis) {
    public NodeView {
        // A copy: a view must not be a handle on the ledger's own map.
        labels = Collections.unmodifiableSortedMap(labels == null ? new TreeMap<>()
                : new TreeMap<>((Map<String, String>) labels));
    }
}
