package org.memledger.protocol;

import java.util.List;

/** The capacity read model at one applied log index. */
public record CapacityView(long ledgerIndex, ClusterCapacity cluster, List<NodeView> nodes) {
    public CapacityView {
        nodes = List.copyOf(nodes);
    }
}
