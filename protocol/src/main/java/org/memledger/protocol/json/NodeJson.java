package org.memledger.protocol.json;

import java.util.SortedMap;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.memledger.protocol.NodeView;

/**
 * One node's declared, measured and derived figures, all in bytes. {@code lastReportAt} is null
 * before the first report. {@code ledgerIndex} is present only when the node is the whole answer.
 */
public record NodeJson(String nodeId, String state, String zone, String operator, SortedMap<String, String> labels,
                       long declaredBytes, long physicalBytes, long availableBytes, long capacityBytes,
                       long reservedBytes, long usedBytes, long admissibleBytes, long hostedDeployments,
                       long lastReportSeq, String lastReportAt,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Long ledgerIndex) {

    public static NodeJson from(NodeView view, Long ledgerIndex) {
        return new NodeJson(view.nodeId(), view.state().name(), view.zone(), view.operator(), view.labels(),
                view.declaredBytes(), view.physicalBytes(), view.availableBytes(), view.capacityBytes(),
                view.reservedBytes(), view.usedBytes(), view.admissibleBytes(), view.hostedDeployments(),
                view.lastReportSeq(), Times.formatOrNull(view.lastReportAtMillis()), ledgerIndex);
    }
}
