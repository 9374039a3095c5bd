package org.memledger.coordinator.ledger;

import java.util.HashMap;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.memledger.protocol.NodeState;

/**
 * One node's books. Mutable, owned by {@link NodeBook}, which alone may change the fields that
 * the placement index sorts on ({@link #indexKey}).
 *
 * <p>Why "credit": a node's unused reservations are {@code reserved - Σ min(reservation, measured)},
 * so tracking the credit {@code Σ min(reservation, measured)} lets admissibility be computed in
 * O(1) as {@code min(capacity, available + credit) - kReserved - headroom - allReserved}. Credits
 * are taken when a report arrives and dropped with the deployment, so a deployment admitted after
 * the last report counts as using nothing yet: its whole reservation is held back from
 * {@code available}, which is the safe direction.
 */
final class NodeRecord {
    final String nodeId;
    /** This node's number in its {@link NodeRoster}; -1 until enrolled. */
    int ordinal = -1;
    String operator;
    String zone;
    SortedMap<String, String> labels = new TreeMap<>();

    long declaredBytes;
    long physicalBytes;
    long availableBytes;
    long lastReportSeq = -1;
    long lastReportAtMillis = -1;

    boolean reported;
    boolean draining;
    boolean down;
    boolean ejected;

    /** Capacity and headroom under the current policy, kept by {@link NodeBook} (see its {@code refreshCapacity}). */
    long capacityBytes;
    long headroomBytes;

    /** Σ reservations of k-placed deployments hosted here (ALL deployments are counted cluster-wide). */
    long kReservedBytes;
    /** Σ min(reservation, measured) over hosted deployments, k-placed and ALL, as of the last report. */
    long creditBytes;
    /** Per-deployment credit behind {@link #creditBytes}; looked up only, never iterated for decisions. */
    final HashMap<DeploymentRecord, Long> credits = new HashMap<>();
    /**
     * How many k-placed deployments are placed here. A count, not a list: a list of references would
     * be written on every admission and release (a cold slot, and the deployment that moves into it),
     * and every young collection would scan the old list for the new deployments it points to.
     * Only ejecting a node needs its deployments, and finds them by scanning the book.
     */
    int hostedCount;

    /** The admissibility key and zone this node is filed under in the placement index (valid while indexed). */
    long indexKey;
    String indexedZone;
    /** The slot of {@link #indexedZone} in the placement ordering's zone summaries (valid while indexed). */
    int zoneSlot;
    boolean indexed;
    /**
     * Where this node was last filed in the placement ordering: a hint, not a fact (other nodes'
     * moves shift it a few places), that spares re-filing a search over every node.
     */
    int indexPosition;
    /**
     * A number that orders nodes as their ids do (unique, with gaps), kept by {@link NodeBook}: the
     * placement ordering breaks key ties by it instead of comparing id strings.
     */
    long idRank;
    /** The report time this node is filed under in the heartbeat queue (valid while queued). */
    long queuedReportAtMillis;
    boolean queued;

    /** The placements of every deployment placed on this node alone, shared by all of them (see DeploymentRecord). */
    final NodeRecord[] alone = {this};
    /**
     * This node alone, as the list a best-fit choice of one node returns, and its id alone, as the
     * placements of an {@code Admitted} answer for such a deployment: shared and immutable, so the
     * 85 % of admissions that place one replica allocate neither (about 70 bytes of garbage each).
     */
    final List<NodeRecord> sole;
    final List<String> soleIds;

    NodeRecord(String nodeId) {
        this.nodeId = nodeId;
        this.sole = List.of(this);
        this.soleIds = List.of(nodeId);
    }

    NodeState state() {
        if (ejected) {
            return NodeState.EJECTED;
        }
        if (!reported) {
            return NodeState.PENDING;
        }
        if (down) {
            return NodeState.DOWN;
        }
        if (draining) {
            return NodeState.DRAINING;
        }
        return NodeState.ACTIVE;
    }

    boolean admits() {
        return state().admits();
    }
}
