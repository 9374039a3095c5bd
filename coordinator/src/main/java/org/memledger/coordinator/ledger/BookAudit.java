package org.memledger.coordinator.ledger;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes every running total from the individual records and compares it with the books:
 * node reservations, placement counts and credits, owner totals, the ALL reservation,
 * and placement index membership. The conservation checks that tests run after every apply
 * (STYLE: dense assertions); overcommit (DESIGN §8.1) is checked where admissions happen.
 */
final class BookAudit {
    private final NodeBook nodes;
    private final DeploymentBook deployments;

    BookAudit(NodeBook nodes, DeploymentBook deployments) {
        this.nodes = nodes;
        this.deployments = deployments;
    }

    void run() {
        run(deployments.sortedById());
    }

    /**
     * The audit over {@code live}, which must be every live deployment (a restore has them in id order
     * already and so skips sorting a million ids again). The sums below do not depend on the order.
     * Running sums are kept in arrays ({reserved bytes, placements} per node): boxing a Long per
     * placement (HashMap.merge) was the audit's largest cost when profiling the restore of a million
     * deployments.
     */
    @SuppressForbidden(reason = "compares per-owner totals one by one: order cannot matter")
    void run(List<DeploymentRecord> live) {
        Invariants.check(live.size() == deployments.size(), "audit given a partial list of deployments");
        IdentityHashMap<NodeRecord, long[]> kReserved = new IdentityHashMap<>();
        Map<String, long[]> ownerReserved = new HashMap<>();
        long allReserved = 0;
        for (DeploymentRecord deployment : live) {
            long[] owner = ownerReserved.computeIfAbsent(deployment.owner.owner, o -> new long[1]);
            owner[0] = Math.addExact(owner[0], deployment.quotaChargeBytes);
            if (deployment.isAll()) {
                allReserved += deployment.reservationBytes;
                Invariants.check(deployment.placements.length == 0, "ALL deployment with explicit placements");
                continue;
            }
            Invariants.check(deployment.placements.length <= deployment.replicas, "more placements than replicas");
            Invariants.check(deployment.status == org.memledger.protocol.DeploymentStatus.DISPLACED
                    || deployment.placements.length == deployment.replicas, "placed deployment lacks placements");
            for (int i = 0; i < deployment.placements.length; i++) {
                NodeRecord node = deployment.placements[i];
                Invariants.check(!node.ejected, "deployment placed on an ejected node");
                Invariants.check(deployment.placementIndex(node) == i, "deployment placed twice on one node");
                long[] hosted = kReserved.computeIfAbsent(node, n -> new long[2]);
                hosted[0] = Math.addExact(hosted[0], deployment.reservationBytes);
                hosted[1]++;
            }
        }
        Invariants.check(allReserved == nodes.allReservedBytes(), "ALL reservations out of balance");
        for (OwnerRecord owner : deployments.ownersUnordered()) {
            long[] expected = ownerReserved.get(owner.owner);
            Invariants.check(owner.reservedBytes == (expected == null ? 0 : expected[0]),
                    "owner reserved total out of balance for " + owner.owner);
        }
        int admitting = 0;
        for (NodeRecord node : nodes.all()) {
            long[] expected = kReserved.get(node);
            auditNode(node, expected == null ? 0 : expected[0], expected == null ? 0 : expected[1]);
            admitting += node.admits() ? 1 : 0;
        }
        Invariants.check(admitting == nodes.placement().size(), "placement index size differs from admitting nodes");
        Invariants.check(nodes.placement().isConsistent(), "placement index out of order or out of step with its zones");
    }

    @SuppressForbidden(reason = "sums credits: addition does not depend on order")
    private void auditNode(NodeRecord node, long expectedKReserved, long expectedHosted) {
        Invariants.check(node.kReservedBytes == expectedKReserved, "node reserved out of balance for " + node.nodeId);
        Invariants.check(node.hostedCount == expectedHosted, "hosted count out of balance for " + node.nodeId);
        long credit = 0;
        for (Map.Entry<DeploymentRecord, Long> c : node.credits.entrySet()) {
            DeploymentRecord d = c.getKey();
            Invariants.check(deployments.get(d.deploymentId) == d, "credit for a released deployment on " + node.nodeId);
            Invariants.check(d.isAll() || d.isPlacedOn(node), "credit for a deployment not hosted on " + node.nodeId);
            Invariants.check(c.getValue() > 0 && c.getValue() <= d.reservationBytes, "credit out of range");
            credit += c.getValue();
        }
        Invariants.check(credit == node.creditBytes, "node credit out of balance for " + node.nodeId);
        Invariants.check(nodes.filedCorrectly(node), "node filed under a stale key: " + node.nodeId);
    }
}
