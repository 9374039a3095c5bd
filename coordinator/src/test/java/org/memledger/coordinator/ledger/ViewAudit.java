package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.TreeMap;

import org.memledger.protocol.ClusterCapacity;
import org.memledger.protocol.DeploymentView;
import org.memledger.protocol.NodeState;
import org.memledger.protocol.NodeView;
import org.memledger.protocol.Policy;

/**
 * Recomputes the read models from their definitions (DESIGN §3.2) in plain, independent arithmetic
 * and compares: each node's capacity from declared, physical and the system reserve; each node's
 * reserved from the deployment list; the bounds on admissible; the cluster totals from the nodes.
 * Independent of {@link BookAudit}, which checks the books from the inside.
 */
final class ViewAudit {
    private ViewAudit() {
    }

    static void run(Ledger ledger) {
        Policy policy = ledger.policy();
        List<NodeView> nodes = ledger.views().nodes();
        TreeMap<String, Long> reservedByNode = reservationsByNode(ledger);
        long allReserved = reservedByNode.getOrDefault("", 0L);
        for (NodeView node : nodes) {
            checkNode(node, policy, reservedByNode.getOrDefault(node.nodeId(), 0L), allReserved);
        }
        checkCluster(ledger, nodes);
    }

    /** Σ reservations per node id from the deployment views; key "" holds the ALL deployments' sum. */
    private static TreeMap<String, Long> reservationsByNode(Ledger ledger) {
        TreeMap<String, Long> reserved = new TreeMap<>();
        for (DeploymentView d : ledger.views().deployments(null, null, Integer.MAX_VALUE)) {
            if (d.replicas().isAll()) {
                reserved.merge("", d.reservationBytes(), Math::addExact);
            }
            for (String nodeId : d.placements()) {
                reserved.merge(nodeId, d.reservationBytes(), Math::addExact);
            }
        }
        return reserved;
    }

    private static void checkNode(NodeView node, Policy policy, long kReserved, long allReserved) {
        long capacity = expectedCapacity(node, policy);
        assertThat(node.capacityBytes()).as("capacity of %s", node).isEqualTo(capacity);
        long reserved = node.state() == NodeState.EJECTED ? 0 : Math.addExact(kReserved, allReserved);
        assertThat(node.reservedBytes()).as("reserved of %s", node.nodeId()).isEqualTo(reserved);
        if (!node.state().admits()) {
            assertThat(node.admissibleBytes()).as("admissible of non-admitting %s", node.nodeId()).isZero();
            return;
        }
        long headroom = headroomBytes(capacity, policy.headroomPct());
        assertThat(node.admissibleBytes()).as("admissible of %s", node.nodeId())
                .isBetween(0L, Math.max(0, capacity - reserved - headroom))
                .isLessThanOrEqualTo(Math.max(0, node.availableBytes() - headroom));
    }

    /** capacity = min(declared, physical − min(ceil(physical × reservePct / 100), reserveMax)), 0 when unknown. */
    static long expectedCapacity(NodeView node, Policy policy) {
        if (node.state() == NodeState.PENDING || node.state() == NodeState.EJECTED) {
            return 0;
        }
        BigInteger physical = BigInteger.valueOf(node.physicalBytes());
        BigInteger reserve = ceilPercent(physical, policy.systemReservePct())
                .min(BigInteger.valueOf(policy.systemReserveMaxBytes()));
        BigInteger capacity = BigInteger.valueOf(node.declaredBytes()).min(physical.subtract(reserve));
        return capacity.max(BigInteger.ZERO).longValueExact();
    }

    /** headroom = ceil(capacity × pct / 100), exactly. */
    static long headroomBytes(long capacityBytes, int pct) {
        return ceilPercent(BigInteger.valueOf(capacityBytes), pct).longValueExact();
    }

    private static BigInteger ceilPercent(BigInteger value, int pct) {
        BigInteger[] qr = value.multiply(BigInteger.valueOf(pct)).divideAndRemainder(BigInteger.valueOf(100));
        return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    }

    private static void checkCluster(Ledger ledger, List<NodeView> nodes) {
        BigInteger capacity = BigInteger.ZERO;
        BigInteger reserved = BigInteger.ZERO;
        BigInteger admissible = BigInteger.ZERO;
        long replicated = Long.MAX_VALUE;
        int admitting = 0;
        int total = 0;
        for (NodeView node : nodes) {
            if (node.state() == NodeState.PENDING || node.state() == NodeState.EJECTED) {
                continue;
            }
            total++;
            capacity = capacity.add(BigInteger.valueOf(node.capacityBytes()));
            reserved = reserved.add(BigInteger.valueOf(node.reservedBytes()));
            if (node.state().admits()) {
                admitting++;
                admissible = admissible.add(BigInteger.valueOf(node.admissibleBytes()));
                replicated = Math.min(replicated, node.admissibleBytes());
            }
        }
        ClusterCapacity cluster = ledger.views().cluster();
        assertThat(cluster.totalNodes()).as("cluster total nodes").isEqualTo(total);
        assertThat(cluster.admittingNodes()).as("cluster admitting nodes").isEqualTo(admitting);
        // Totals saturate at Long.MAX_VALUE (nodes near the top of the long range): never throw, never wrap.
        assertThat(BigInteger.valueOf(cluster.capacityBytes())).as("cluster capacity").isEqualTo(saturated(capacity));
        assertThat(BigInteger.valueOf(cluster.reservedBytes())).as("cluster reserved").isEqualTo(saturated(reserved));
        assertThat(BigInteger.valueOf(cluster.admissibleBytes())).as("cluster admissible")
                .isEqualTo(saturated(admissible));
        assertThat(cluster.replicatedAdmissibleBytes()).as("cluster replicated admissible")
                .isEqualTo(admitting == 0 ? 0 : replicated);
    }

    private static BigInteger saturated(BigInteger exact) {
        return exact.min(BigInteger.valueOf(Long.MAX_VALUE));
    }
}
