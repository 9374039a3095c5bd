package org.memledger.protocol.json;

import java.util.Map;
import java.util.TreeMap;

import org.memledger.protocol.ReportNode;

/**
 * {@code POST /v1/nodes/{id}/reports}: an agent's measurement. Every figure is required;
 * {@code deploymentUsage} may be left out when the node hosts nothing measurable.
 */
public record ReportRequest(Long seq, Long declaredBytes, Long physicalBytes, Long availableBytes,
                            Map<String, Long> deploymentUsage) {

    /** @throws InvalidFieldException naming the first missing field */
    public ReportNode toCommand(String nodeId) {
        require("seq", seq);
        require("declaredBytes", declaredBytes);
        require("physicalBytes", physicalBytes);
        require("availableBytes", availableBytes);
        return new ReportNode(nodeId, seq, declaredBytes, physicalBytes, availableBytes,
                deploymentUsage == null ? new TreeMap<>() : new TreeMap<>(deploymentUsage));
    }

    private static void require(String field, Long value) {
        if (value == null) {
            throw InvalidFieldException.required(field);
        }
    }
}
