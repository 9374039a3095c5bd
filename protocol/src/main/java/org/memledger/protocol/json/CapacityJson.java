package org.memledger.protocol.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.memledger.protocol.CapacityView;
import org.memledger.protocol.ClusterCapacity;
import org.memledger.protocol.NodeView;

/** {@code GET /v1/capacity}: cluster totals and every node's figures at one ledger index. */
public record CapacityJson(long ledgerIndex, Cluster cluster, List<NodeJson> nodes) {

    /**
     * Cluster totals. {@code utilization} is reserved / capacity as a decimal fraction with four
     * places ({@code 0.4321}), rendered from the ledger's integer basis points, which are also given.
     */
    public record Cluster(long capacityBytes, long reservedBytes, long admissibleBytes, long replicatedAdmissibleBytes,
                          BigDecimal utilization, long utilizationBasisPoints, int admittingNodes, int totalNodes) {

        public static Cluster from(ClusterCapacity c) {
            return new Cluster(c.capacityBytes(), c.reservedBytes(), c.admissibleBytes(),
                    c.replicatedAdmissibleBytes(), BigDecimal.valueOf(c.utilizationBasisPoints(), 4),
                    c.utilizationBasisPoints(), c.admittingNodes(), c.totalNodes());
        }
    }

    public static CapacityJson from(CapacityView view) {
        List<NodeJson> nodes = new ArrayList<>(view.nodes().size());
        for (NodeView node : view.nodes()) {
            nodes.add(NodeJson.from(node, null));
        }
        return new CapacityJson(view.ledgerIndex(), Cluster.from(view.cluster()), nodes);
    }
}
