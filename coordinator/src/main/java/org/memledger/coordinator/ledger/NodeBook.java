package org.memledger.coordinator.ledger;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.memledger.protocol.Policy;

/**
 * All nodes, their derived capacity figures, and the two orderings over them: the placement
 * index (admitting nodes by admissibility) and the heartbeat queue (reporting nodes by last
 * report time). Every change to a field either ordering depends on goes through
 * {@link #update} (or is followed at once by {@link #changed}), which takes the node out of both orderings, applies the change and files it
 * again where its key changed, so the orderings can never hold a stale key. Both orderings compare
 * copies of the key taken when the node was filed, never live fields, which is what makes it safe
 * to change a node first and re-file it after.
 *
 * <p>Node figures (DESIGN §3.2), all bytes:
 * <pre>
 *   capacity   = min(declared, physical - systemReserve), 0 before the first report
 *   reserved   = kReserved + allReserved
 *   admissible = max(0, min(capacity, available + credit) - kReserved - allReserved - headroom)
 * </pre>
 * which is the design's {@code min(capacity - reserved, available - unusedReservations) - headroom}
 * with {@code unusedReservations = reserved - credit}.
 */
final class NodeBook {
    private static final Comparator<NodeRecord> BY_REPORT_TIME = (a, b) -> {
        int byTime = Long.compare(a.queuedReportAtMillis, b.queuedReportAtMillis);
        return byTime != 0 ? byTime : a.nodeId.compareTo(b.nodeId);
    };

    private final TreeMap<String, NodeRecord> nodes = new TreeMap<>();
    private final NodeRoster roster = new NodeRoster();
    private final PlacementIndex placement = new PlacementIndex(roster);
    private final TreeSet<NodeRecord> heartbeatQueue = new TreeSet<>(BY_REPORT_TIME);
    private Policy policy;
    /** Room between consecutive node ranks: 2^32 leaves 2^31 renumber-free appends and 32 halvings per gap. */
    private static final long RANK_GAP = 1L << 32;
    /** How many nodes had ranks when a rank was last assigned; differs only if a node got in without one. */
    private int rankedNodes;
    /** Σ reservations of ALL deployments: held on every node that is not ejected. */
    private long allReservedBytes;

    NodeBook(Policy policy) {
        this.policy = policy;
    }

    NodeRecord get(String nodeId) {
        return nodes.get(nodeId);
    }

    /** Every node ever registered, ejected ones included, in node-id order. */
    Collection<NodeRecord> all() {
        return nodes.values();
    }

    /**
     * Every node ever registered, ejected ones included, in registration order: an array walk, for
     * the O(n) passes on the apply path (releasing an ALL deployment), where walking the id-ordered
     * map would chase a tree entry per node.
     */
    NodeRoster byOrdinal() {
        return roster;
    }

    NodeRecord register(String nodeId) {
        NodeRecord node = new NodeRecord(nodeId);
        roster.enroll(node);
        nodes.put(nodeId, node);
        rank(node);
        return node;
    }

    PlacementIndex placement() {
        return placement;
    }

    long allReservedBytes() {
        return allReservedBytes;
    }

    /** Applies {@code change} to a node and re-files it in whichever ordering its key changed. */
    void update(NodeRecord node, Runnable change) {
        change.run();
        refreshCapacity(node);
        refile(node);
    }

    /**
     * Re-files a node whose fields the caller has just changed in place: {@link #update} without the
     * {@code Runnable}, for attach and detach, which run on every decision and should not allocate a
     * capturing lambda each time. Safe for the same reason as {@code update}: the orderings hold
     * copies of the keys the node was filed under, so they are never read from the changed fields.
     * The caller must change only what a placement changes (reservations, credits, counts), never
     * what capacity depends on: the node's capacity and headroom are not recomputed here.
     */
    void changed(NodeRecord node) {
        refile(node);
    }

    /** New policy: capacities and headroom change for every node, so every key is recomputed. */
    void setPolicy(Policy newPolicy) {
        policy = newPolicy;
        for (NodeRecord node : nodes.values()) {
            refreshCapacity(node);
            refile(node);
        }
    }

    /**
     * Files every node into both orderings once, after a snapshot restore set their fields directly.
     * Filing 10,000 nodes once instead of re-filing a node on each of its placements is what makes
     * restoring a million deployments cheap. Safe only because none of them was filed before: an
     * unfiled node holds no stale key, whatever its fields were set to.
     */
    void fileRestored() {
        for (NodeRecord node : nodes.values()) {
            Invariants.check(!node.indexed && !node.queued, "restored node was filed before the restore finished");
            refreshCapacity(node);
            refile(node);
        }
    }

    void addAllReserved(long bytes) {
        allReservedBytes = Math.addExact(allReservedBytes, bytes);
        Invariants.check(allReservedBytes >= 0, "ALL reservations went negative");
    }

    /** Marks DOWN every node silent for the heartbeat timeout as of {@code nowMillis}. O(expired · log n). */
    void expireSilent(long nowMillis) {
        while (!heartbeatQueue.isEmpty()) {
            NodeRecord oldest = heartbeatQueue.first();
            if (nowMillis - oldest.queuedReportAtMillis < policy.heartbeatTimeoutMillis()) {
                return;
            }
            update(oldest, () -> oldest.down = true);
        }
    }

    long capacityBytes(NodeRecord node) {
        return node.capacityBytes;
    }

    long headroomBytes(NodeRecord node) {
        return node.headroomBytes;
    }

    /**
     * Capacity and headroom depend only on the node's declared and physical bytes, its state and the
     * policy, which change through {@link #update} and {@link #setPolicy}; attaching and detaching,
     * on every decision, change none of them, so the two figures are kept on the node instead of
     * being worked out again (three percentages) each time a key is computed.
     */
    private void refreshCapacity(NodeRecord node) {
        node.capacityBytes = computeCapacity(node);
        node.headroomBytes = headroomFor(node.capacityBytes);
    }

    private long headroomFor(long capacityBytes) {
        return Percent.ceil(capacityBytes, policy.headroomPct());
    }

    private long computeCapacity(NodeRecord node) {
        if (!node.reported || node.ejected) {
            return 0;
        }
        long systemReserve = Math.min(Percent.ceil(node.physicalBytes, policy.systemReservePct()),
                policy.systemReserveMaxBytes());
        return Math.max(0, Math.min(node.declaredBytes, node.physicalBytes - systemReserve));
    }

    long reservedBytes(NodeRecord node) {
        return node.ejected ? 0 : node.kReservedBytes + allReservedBytes;
    }

    long admissibleBytes(NodeRecord node) {
        return node.admits() ? admissibleForKey(admissibilityKey(node)) : 0;
    }

    /** Admissible bytes of a node filed under {@code key}. */
    long admissibleForKey(long key) {
        return key == Long.MIN_VALUE ? 0 : Math.max(0, key - allReservedBytes);
    }

    /** The smallest index key a node needs to fit {@code firmBytes}. */
    long keyToFit(long firmBytes) {
        return saturatedAdd(firmBytes, allReservedBytes);
    }

    /** min(capacity, available + credit) - kReserved - headroom: admissibility before ALL reservations. */
    private long admissibilityKey(NodeRecord node) {
        long capacity = node.capacityBytes;
        long measuredRoom = Math.min(capacity, saturatedAdd(node.availableBytes, node.creditBytes));
        return measuredRoom - node.kReservedBytes - node.headroomBytes;
    }

    /**
     * Files the node where it now belongs. Most updates move only one key (an attach changes
     * admissibility, not report time), so an ordering whose key is unchanged is left alone.
     */
    private void refile(NodeRecord node) {
        if (rankedNodes != nodes.size()) {
            rerank();
        }
        boolean admits = node.admits();
        long key = admits ? admissibilityKey(node) : 0;
        boolean sameZone = node.indexed && admits && node.zone.equals(node.indexedZone);
        if (sameZone) {
            if (key != node.indexKey) {
                placement.move(node, key);
            }
        } else {
            if (node.indexed) {
                placement.remove(node);
            }
            if (admits) {
                placement.add(node, key);
            }
        }
        boolean watched = node.reported && !node.down && !node.ejected;
        boolean queueCurrent = node.queued && watched && node.queuedReportAtMillis == node.lastReportAtMillis;
        if (!queueCurrent) {
            if (node.queued) {
                Invariants.check(heartbeatQueue.remove(node), "heartbeat queue lost track of a node");
                node.queued = false;
            }
            if (watched) {
                node.queuedReportAtMillis = node.lastReportAtMillis;
                node.queued = true;
                heartbeatQueue.add(node);
            }
        }
    }

    /**
     * Gives a new node an {@link NodeRecord#idRank} between its id-order neighbours'. Ranks start
     * {@link #RANK_GAP} apart, so appending (ids usually grow) never renumbers and an insert between
     * two nodes halves their gap; only when a gap is used up does every node get renumbered, O(n),
     * keeping the relative order of the nodes already filed, so the orderings stay sorted.
     */
    private void rank(NodeRecord node) {
        Map.Entry<String, NodeRecord> lower = nodes.lowerEntry(node.nodeId);
        Map.Entry<String, NodeRecord> higher = nodes.higherEntry(node.nodeId);
        long low = lower == null ? 0 : lower.getValue().idRank;
        long high = higher == null ? low + 2 * RANK_GAP : higher.getValue().idRank;
        if (lower != null && higher == null && low > Long.MAX_VALUE - 2 * RANK_GAP) {
            rerank();
        } else if (high - low < 2) {
            rerank();
        } else {
            node.idRank = higher == null ? low + RANK_GAP : low + (high - low) / 2;
            rankedNodes = nodes.size();
        }
    }

    /** Renumbers every node {@link #RANK_GAP} apart in node-id order (also a fallback if a node got in unranked). */
    private void rerank() {
        long rank = 0;
        for (NodeRecord each : nodes.values()) {
            rank += RANK_GAP;
            each.idRank = rank;
        }
        placement.refreshRanks();
        rankedNodes = nodes.size();
    }

    /** For audits: is the node filed exactly where its current fields say it belongs? */
    boolean filedCorrectly(NodeRecord node) {
        boolean capacityRight = node.capacityBytes == computeCapacity(node)
                && node.headroomBytes == headroomFor(node.capacityBytes);
        boolean placementRight = capacityRight && node.indexed == node.admits() && (!node.indexed
                || (node.indexKey == admissibilityKey(node) && node.zone.equals(node.indexedZone)));
        boolean watched = node.reported && !node.down && !node.ejected;
        boolean queueRight = node.queued == watched && (!node.queued || node.queuedReportAtMillis == node.lastReportAtMillis);
        return placementRight && queueRight;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
