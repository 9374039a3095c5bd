package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.memledger.protocol.CapacityView;
import org.memledger.protocol.ClusterCapacity;
import org.memledger.protocol.DeploymentView;
import org.memledger.protocol.NodeState;
import org.memledger.protocol.NodeView;
import org.memledger.protocol.Policy;
import org.memledger.protocol.Replicas;

/**
 * Read models built from the books at one applied index. Reads may scan (they are not on the
 * decision path) but always in a defined order: nodes by id, deployments by id.
 */
public final class LedgerViews {
    private final NodeBook nodes;
    private final DeploymentBook deployments;
    private final Policy policy;
    private final long ledgerIndex;

    LedgerViews(NodeBook nodes, DeploymentBook deployments, Policy policy, long ledgerIndex) {
        this.nodes = nodes;
        this.deployments = deployments;
        this.policy = policy;
        this.ledgerIndex = ledgerIndex;
    }

    /** The policy in force at this index (GET /v1/policy, and defaults the API must know). */
    public Policy policy() {
        return policy;
    }

    public Optional<NodeView> node(String nodeId) {
        NodeRecord node = nodes.get(nodeId);
        return node == null ? Optional.empty() : Optional.of(view(node));
    }

    public List<NodeView> nodes() {
        List<NodeView> views = new ArrayList<>();
        for (NodeRecord node : nodes.all()) {
            views.add(view(node));
        }
        return views;
    }

    public CapacityView capacity() {
        List<NodeView> views = nodes();
        return new CapacityView(ledgerIndex, cluster(views), views);
    }

    public ClusterCapacity cluster() {
        return cluster(nodes());
    }

    private ClusterCapacity cluster(List<NodeView> views) {
        long capacity = 0;
        long reserved = 0;
        long admissible = 0;
        int admitting = 0;
        int total = 0;
        for (NodeView node : views) {
            if (node.state() == NodeState.EJECTED || node.state() == NodeState.PENDING) {
                continue;
            }
            total++;
            capacity = saturatedAdd(capacity, node.capacityBytes());
            reserved = saturatedAdd(reserved, node.reservedBytes());
            if (node.state().admits()) {
                admitting++;
                admissible = saturatedAdd(admissible, node.admissibleBytes());
            }
        }
        PlacementIndex index = nodes.placement();
        long replicated = index.size() == 0 ? 0 : nodes.admissibleForKey(index.minKey());
        return new ClusterCapacity(capacity, reserved, admissible, replicated,
                Percent.basisPoints(reserved, capacity), admitting, total);
    }

    public Optional<DeploymentView> deployment(String deploymentId) {
        DeploymentRecord deployment = deployments.get(deploymentId);
        return deployment == null ? Optional.empty() : Optional.of(view(deployment));
    }

    /** Live deployments by id, optionally of one owner; at most {@code limit}, starting after {@code afterId}. */
    public List<DeploymentView> deployments(String owner, String afterId, int limit) {
        List<DeploymentView> views = new ArrayList<>();
        for (DeploymentRecord deployment : deployments.sortedById()) {
            if (views.size() >= limit) {
                break;
            }
            boolean ownerMatches = owner == null || deployment.owner.owner.equals(owner);
            boolean afterCursor = afterId == null || deployment.deploymentId.compareTo(afterId) > 0;
            if (ownerMatches && afterCursor) {
                views.add(view(deployment));
            }
        }
        return views;
    }

    private NodeView view(NodeRecord node) {
        return new NodeView(node.nodeId, node.state(), node.zone, node.operator, node.labels, node.declaredBytes,
                node.physicalBytes, node.availableBytes, nodes.capacityBytes(node), nodes.reservedBytes(node),
                node.reported ? node.physicalBytes - node.availableBytes : 0, nodes.admissibleBytes(node),
                node.hostedCount, node.lastReportSeq, node.lastReportAtMillis);
    }

    private static DeploymentView view(DeploymentRecord deployment) {
        return new DeploymentView(deployment.deploymentId, deployment.owner.owner, deployment.minBytes,
                deployment.firmBytes, deployment.reservationBytes, Replicas.of(deployment.replicas),
                deployment.zoneSpread, deployment.priority, deployment.status, Admission.placementIds(deployment),
                deployment.admittedAtMillis, deployment.admittedIndex);
    }

    /** Cluster totals saturate: a view must never throw, even for nodes near the top of the long range. */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
