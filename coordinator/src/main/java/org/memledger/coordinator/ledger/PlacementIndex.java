package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Admitting nodes ordered by admissibility key, then node id, in one {@link KeyOrderedNodes}. Best
 * fit is a ceiling lookup followed by k steps, so a decision costs O(k log n); zone spread walks the
 * same ordering, skipping blocks that hold no zone still wanted, also O(k log n). Never a scan of
 * all nodes.
 *
 * <p>The key ({@link NodeRecord#indexKey}) excludes the reservations of {@code ALL} deployments:
 * those are the same on every node, subtracting a constant preserves the order, and so admitting
 * an ALL deployment reorders nothing. {@link NodeBook} turns keys into admissible bytes.
 *
 * <p>Each zone with admitting nodes has a slot in the ordering's zone summaries: the lowest free one
 * when it gains its first node, freed when it loses its last. Slots only speed up the walks (zones
 * are compared by name before a node is chosen), so which zone got which slot never changes a
 * decision, and a replica restored from a snapshot may number them differently.
 */
final class PlacementIndex {
    /** A zone's slot and how many of its nodes are filed. */
    private static final class ZoneTally {
        final int slot;
        int nodes;

        ZoneTally(int slot) {
            this.slot = slot;
        }
    }

    private final KeyOrderedNodes all;
    private final TreeMap<String, ZoneTally> zones = new TreeMap<>();
    /** Slots owned by one zone each (below {@link KeyOrderedNodes#SHARED_SLOT}). */
    private long ownedSlots;

    PlacementIndex(NodeRoster roster) {
        this.all = new KeyOrderedNodes(roster);
    }

    void add(NodeRecord node, long key) {
        Invariants.check(!node.indexed, "node indexed twice");
        // Ranks start at 2^32 and never reach 0: a 0 means the node skipped NodeBook's ranking, and its ties would misorder.
        Invariants.check(node.idRank != 0, "node filed before NodeBook gave it an id rank");
        ZoneTally zone = zones.get(node.zone);
        if (zone == null) {
            zone = new ZoneTally(freeSlot());
            ownedSlots |= KeyOrderedNodes.ownSlotBit(zone.slot);
            zones.put(node.zone, zone);
        }
        zone.nodes++;
        node.indexKey = key;
        node.indexedZone = node.zone;
        node.zoneSlot = zone.slot;
        node.indexed = true;
        node.indexPosition = all.add(node, key);
    }

    void remove(NodeRecord node) {
        Invariants.check(node.indexed, "removing a node that is not indexed");
        all.remove(node, node.indexKey, node.indexPosition);
        ZoneTally zone = zones.get(node.indexedZone);
        Invariants.check(zone != null && zone.slot == node.zoneSlot && zone.nodes > 0,
                "placement index lost track of a node's zone");
        if (--zone.nodes == 0) {
            zones.remove(node.indexedZone);
            ownedSlots &= ~KeyOrderedNodes.ownSlotBit(zone.slot);
        }
        node.indexed = false;
    }

    /** The lowest slot no zone owns, or the shared slot when every other is taken. */
    private int freeSlot() {
        long free = ~ownedSlots & ~(1L << KeyOrderedNodes.SHARED_SLOT);
        return free == 0 ? KeyOrderedNodes.SHARED_SLOT : Long.numberOfTrailingZeros(free);
    }

    /** Re-files an indexed node under a new key in the same zone: a local shift, no allocation. */
    void move(NodeRecord node, long key) {
        Invariants.check(node.indexed && node.zone.equals(node.indexedZone), "moving a node that is not indexed here");
        node.indexPosition = all.move(node, node.indexKey, key, node.indexPosition);
        node.indexKey = key;
    }

    /** After {@link NodeRecord#idRank}s were renumbered (in the same order): refresh the copies. */
    void refreshRanks() {
        all.refreshRanks();
    }

    /** For audits: the ordering sorted and current, and every node in the slot of its zone, which counts it. O(n). */
    boolean isConsistent() {
        TreeMap<String, Integer> counted = new TreeMap<>();
        for (NodeRecord node : all.inOrder()) {
            ZoneTally zone = zones.get(node.indexedZone);
            if (zone == null || zone.slot != node.zoneSlot || !node.zone.equals(node.indexedZone)) {
                return false;
            }
            counted.merge(node.indexedZone, 1, Integer::sum);
        }
        long owned = 0;
        for (Map.Entry<String, ZoneTally> zone : zones.entrySet()) {
            if (!counted.getOrDefault(zone.getKey(), 0).equals(zone.getValue().nodes)) {
                return false;
            }
            long bit = KeyOrderedNodes.ownSlotBit(zone.getValue().slot);
            if ((owned & bit) != 0) {
                return false;
            }
            owned |= bit;
        }
        return all.isOrdered() && owned == ownedSlots;
    }

    int size() {
        return all.size();
    }

    int zoneCount() {
        return zones.size();
    }

    /** Smallest key, or Long.MIN_VALUE when no node admits. */
    long minKey() {
        return all.isEmpty() ? Long.MIN_VALUE : all.firstKey();
    }

    /** The k smallest-key nodes with key &ge; minKey, skipping {@code exclude}; fewer if there are not enough. */
    List<NodeRecord> bestFit(long minKey, int k, NodeRecord[] exclude) {
        if (k == 1) {
            return bestOne(minKey, exclude);
        }
        List<NodeRecord> chosen = new ArrayList<>(k);
        for (int at = all.ceiling(minKey); chosen.size() < k && at != KeyOrderedNodes.END; at = all.next(at)) {
            NodeRecord node = all.nodeAt(at);
            if (!contains(exclude, node)) {
                chosen.add(node);
            }
        }
        return chosen;
    }

    /** {@link #bestFit} for one node, as the node's shared one-element list: most admissions need no list of their own. */
    private List<NodeRecord> bestOne(long minKey, NodeRecord[] exclude) {
        for (int at = all.ceiling(minKey); at != KeyOrderedNodes.END; at = all.next(at)) {
            NodeRecord node = all.nodeAt(at);
            if (!contains(exclude, node)) {
                return node.sole;
            }
        }
        return List.of();
    }

    /**
     * Best fit in k distinct zones: the best candidate of each zone, then the k best of those.
     * Zones of {@code exclude} are skipped (re-placing a spread deployment keeps its zones distinct).
     */
    List<NodeRecord> bestFitSpread(long minKey, int k, NodeRecord[] exclude) {
        long wanted = -1L;
        for (NodeRecord node : exclude) {
            ZoneTally zone = zones.get(node.zone);
            if (zone != null) {
                wanted &= ~KeyOrderedNodes.ownSlotBit(zone.slot);
            }
        }
        return all.firstOfDistinctZones(minKey, k, exclude, wanted);
    }

    /** The k-th largest key (k &ge; 1), or Long.MIN_VALUE when fewer than k nodes admit. */
    long kthLargestKey(int k) {
        return all.kthLargestKey(k);
    }

    /** Among the zones' largest keys, the k-th largest, or Long.MIN_VALUE when fewer than k zones. */
    long kthLargestZoneKey(int k) {
        return all.kthLargestZoneKey(k);
    }

    private static boolean contains(NodeRecord[] nodes, NodeRecord node) {
        for (NodeRecord n : nodes) {
            if (n == node) {
                return true;
            }
        }
        return false;
    }
}
