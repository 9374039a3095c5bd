package org.memledger.coordinator.ledger;

import org.memledger.protocol.DeploymentStatus;

/**
 * One live deployment. Kept small on purpose (a cell holds up to a million): placements are node
 * references, and nothing points back from the nodes (see {@link NodeRecord#hostedCount}), so
 * admitting or releasing writes no reference into an old object but the book's own.
 *
 * <p>A deployment on one node (most of them) allocates no array of its own: its placements are the
 * node's shared {@link NodeRecord#alone}. That saves a 24-byte array per such deployment, in the
 * heap and in what every young collection copies while the deployment is new. Placement arrays are
 * therefore never written in place: {@link #place} replaces them whole.
 */
final class DeploymentRecord {
    static final NodeRecord[] NO_NODES = new NodeRecord[0];

    final String deploymentId;
    final OwnerRecord owner;
    final long minBytes;
    final long firmBytes;
    /** What each placement holds in the books (firm or min, fixed at admission by the policy then). */
    final long reservationBytes;
    /** Requested replica count; 0 means ALL. */
    final int replicas;
    final boolean zoneSpread;
    final int priority;
    final long admittedAtMillis;
    final long admittedIndex;
    final long remainingBytesAtAdmission;
    /** Reserved bytes charged to the owner's quota: reservation × placements at admission. */
    final long quotaChargeBytes;

    /** The nodes this deployment is placed on, in placement order; shared, never written in place. */
    NodeRecord[] placements;
    DeploymentStatus status = DeploymentStatus.PLACED;

    DeploymentRecord(String deploymentId, OwnerRecord owner, long minBytes, long firmBytes, long reservationBytes,
                     int replicas, boolean zoneSpread, int priority, long admittedAtMillis, long admittedIndex,
                     long remainingBytesAtAdmission, long quotaChargeBytes) {
        this.deploymentId = deploymentId;
        this.owner = owner;
        this.minBytes = minBytes;
        this.firmBytes = firmBytes;
        this.reservationBytes = reservationBytes;
        this.replicas = replicas;
        this.zoneSpread = zoneSpread;
        this.priority = priority;
        this.admittedAtMillis = admittedAtMillis;
        this.admittedIndex = admittedIndex;
        this.remainingBytesAtAdmission = remainingBytesAtAdmission;
        this.quotaChargeBytes = quotaChargeBytes;
        this.placements = NO_NODES;
    }

    /** Places the deployment on {@code nodes}, which is kept, not copied (callers pass a fresh array); one node keeps none. */
    void place(NodeRecord[] nodes) {
        if (nodes.length == 1) {
            placeAlone(nodes[0]);
        } else {
            placements = nodes.length == 0 ? NO_NODES : nodes;
        }
    }

    /** Places the deployment on {@code node} alone: allocates nothing. */
    void placeAlone(NodeRecord node) {
        placements = node.alone;
    }

    boolean isAll() {
        return replicas == 0;
    }

    boolean isPlacedOn(NodeRecord node) {
        return placementIndex(node) >= 0;
    }

    /** The position of {@code node} among the placements (its first, if the books are broken), or -1. */
    int placementIndex(NodeRecord node) {
        for (int i = 0; i < placements.length; i++) {
            if (placements[i] == node) {
                return i;
            }
        }
        return -1;
    }
}
