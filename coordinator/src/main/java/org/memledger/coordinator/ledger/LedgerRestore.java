package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.List;

import org.memledger.protocol.Policy;
import org.memledger.protocol.codec.CodecException;

/**
 * Builds a ledger from a snapshot's records in one pass, for every snapshot version's reader.
 *
 * <p>Why not replay the live paths (register, update, attach): those re-file a node in the ordered
 * indexes on every change, so restoring a million placements re-filed 10,000 nodes a million times
 * and grew every placement array one element at a time. Here records are filled in directly, each
 * deployment's placements are set at once, and every node is filed once at {@link #finish}. The
 * derived totals (node reservations, credits, owner and ALL totals) are summed as records arrive
 * and then audited like after any apply, so a restore that disagreed with the live paths would
 * fail loudly rather than diverge.
 *
 * <p>Canonical order is enforced: nodes and deployments must arrive in strictly increasing id order,
 * which also rules out duplicates.
 */
final class LedgerRestore {
    private final Ledger ledger;
    private final NodeBook nodes;
    private final DeploymentBook deployments;
    private final List<DeploymentRecord> inIdOrder;
    private String lastNodeId;
    private String lastDeploymentId;

    LedgerRestore(Policy policy, long appliedIndex, long nowMillis, byte[] stateHash, int expectedDeployments) {
        this.deployments = new DeploymentBook(expectedDeployments);
        this.ledger = new Ledger(policy, appliedIndex, nowMillis, new StateDigest(stateHash), deployments);
        this.nodes = ledger.nodeBook();
        this.inIdOrder = new ArrayList<>(expectedDeployments);
    }

    /** A new, unfiled node: the reader sets its fields directly ({@link NodeBook#fileRestored} files it later). */
    NodeRecord addNode(String nodeId) {
        if (lastNodeId != null && lastNodeId.compareTo(nodeId) >= 0) {
            throw new CodecException("node " + nodeId + (lastNodeId.equals(nodeId) ? " appears twice"
                    : " is out of order after " + lastNodeId) + " in the snapshot");
        }
        lastNodeId = nodeId;
        return nodes.register(nodeId);
    }

    NodeRecord node(String nodeId) {
        return nodes.get(nodeId);
    }

    OwnerRecord owner(String owner) {
        return deployments.owner(owner);
    }

    DeploymentRecord deployment(String deploymentId) {
        return deployments.get(deploymentId);
    }

    /** Adds a live deployment placed on {@code placements} (in its placement order; empty for ALL). */
    void addDeployment(DeploymentRecord deployment, NodeRecord[] placements) {
        String id = deployment.deploymentId;
        if (lastDeploymentId != null && lastDeploymentId.compareTo(id) >= 0) {
            throw new CodecException("deployment " + id + (lastDeploymentId.equals(id) ? " appears twice"
                    : " is out of order after " + lastDeploymentId) + " in the snapshot");
        }
        lastDeploymentId = id;
        deployments.add(deployment);
        inIdOrder.add(deployment);
        if (deployment.isAll()) {
            if (placements.length > 0) {
                throw new CodecException("ALL deployment " + id + " has explicit placements");
            }
            nodes.addAllReserved(deployment.reservationBytes);
            return;
        }
        for (int i = 0; i < placements.length; i++) {
            NodeRecord node = placements[i];
            for (int j = 0; j < i; j++) {
                if (placements[j] == node) {
                    throw new CodecException("deployment " + id + " is placed twice on node " + node.nodeId);
                }
            }
            node.hostedCount++;
            node.kReservedBytes = Math.addExact(node.kReservedBytes, deployment.reservationBytes);
        }
        deployment.place(placements);
    }

    /** A node's credit for a deployment it hosts (the audit checks that it does and that the amount is in range). */
    void addCredit(NodeRecord node, DeploymentRecord deployment, long creditBytes) {
        if (node.credits.put(deployment, creditBytes) != null) {
            throw new CodecException("node " + node.nodeId + " has two credits for deployment " + deployment.deploymentId);
        }
        node.creditBytes = Math.addExact(node.creditBytes, creditBytes);
    }

    /** Files every node once, audits the books, and hands over the ledger. */
    Ledger finish() {
        nodes.fileRestored();
        new BookAudit(nodes, deployments).run(inIdOrder);
        return ledger;
    }
}
