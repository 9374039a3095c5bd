package org.memledger.coordinator.ledger;

import org.memledger.protocol.DeploymentStatus;

/**
 * One live deployment. Kept small on purpose (a cell holds up to a million): placements are node
 * references, and {@link #slots} remembers where this deployment sits in each node's hosted list so
 * that release is O(k), not a search.
 */
final class DeploymentRecord {
    static final NodeRecord[] NO_NODES = new NodeRecord[0];
    static final int[] NO_SLOTS = new int[0];

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

    NodeRecord[] placements;
    int[] slots;
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
        this.slots = NO_SLOTS;
    }

    boolean isAll() {
        return replicas == 0;
    }

    boolean isPlacedOn(NodeRecord node) {
        for (NodeRecord placed : placements) {
            if (placed == node) {
                return true;
            }
        }
        return false;
    }
}
