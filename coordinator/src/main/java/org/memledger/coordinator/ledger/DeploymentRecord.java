package org.memledger.coordinator.ledger;

import org.memledger.protocol.DeploymentStatus;

/**
 * One live deployment. Kept small on purpose (a cell holds up to a million): placements are node
 * references, and {@link #slot} remembers where this deployment sits in each node's hosted list so
 * that release is O(k), not a search.
 *
 * <p>A deployment on one node (most of them) allocates no arrays of its own: its placements are the
 * node's shared {@link NodeRecord#alone} and its slot lives in {@link #soleSlot}, which fits in the
 * record's alignment padding. That saves two 24-byte arrays per such deployment, in the heap and in
 * what every young collection copies while the deployment is new. Placement arrays are therefore
 * never written in place: {@link #place} replaces them whole.
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

    /** The nodes this deployment is placed on, in placement order; shared, never written in place. */
    NodeRecord[] placements;
    /** Hosted-list slots of {@link #placements}, when there are two or more; {@link #NO_SLOTS} otherwise. */
    private int[] slots;
    /** The hosted-list slot of the only placement, when there is exactly one. */
    private int soleSlot;
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

    /**
     * Places the deployment on {@code nodes}, sitting at {@code nodeSlots} in their hosted lists. The
     * arrays are kept, not copied, so callers pass fresh ones; a single node keeps neither.
     */
    void place(NodeRecord[] nodes, int[] nodeSlots) {
        Invariants.check(nodes.length == nodeSlots.length, "one slot per placement");
        if (nodes.length == 1) {
            placeAlone(nodes[0], nodeSlots[0]);
        } else {
            placements = nodes.length == 0 ? NO_NODES : nodes;
            slots = nodes.length == 0 ? NO_SLOTS : nodeSlots;
        }
    }

    /** Places the deployment on {@code node} alone, at {@code slot} in its hosted list: allocates nothing. */
    void placeAlone(NodeRecord node, int slot) {
        placements = node.alone;
        slots = NO_SLOTS;
        soleSlot = slot;
    }

    /** Where this deployment sits in the hosted list of {@code placements[i]}. */
    int slot(int i) {
        return placements.length == 1 ? soleSlot : slots[i];
    }

    /** Records that this deployment moved to {@code slot} in the hosted list of {@code placements[i]}. */
    void moveSlot(int i, int slot) {
        if (placements.length == 1) {
            soleSlot = slot;
        } else {
            slots[i] = slot;
        }
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
