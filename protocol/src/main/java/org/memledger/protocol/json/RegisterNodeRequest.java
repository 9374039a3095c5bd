package org.memledger.protocol.json;

import java.util.Map;
import java.util.TreeMap;

import org.memledger.protocol.RegisterNode;

/** {@code PUT /v1/nodes/{id}}: registers a node or re-declares it. Labels are optional. */
public record RegisterNodeRequest(String operator, String zone, Map<String, String> labels, Long declaredBytes) {

    /** @throws InvalidFieldException when {@code declaredBytes} is missing */
    public RegisterNode toCommand(String nodeId) {
        if (declaredBytes == null) {
            throw InvalidFieldException.required("declaredBytes");
        }
        return new RegisterNode(nodeId, operator, zone, labels == null ? new TreeMap<>() : new TreeMap<>(labels),
                declaredBytes);
    }
}
