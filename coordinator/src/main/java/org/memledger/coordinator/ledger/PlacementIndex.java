package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Admitting nodes ordered by admissibility key, then node id: globally and per zone. Best fit is
 * a ceiling lookup followed by k steps, so a decision costs O(k log n) (O(z log n) with zone
 * spread, z = zones), never a scan of all nodes.
 *
 * <p>The key ({@link NodeRecord#indexKey}) excludes the reservations of {@code ALL} deployments:
 * those are the same on every node, subtracting a constant preserves the order, and so admitting
 * an ALL deployment reorders nothing. {@link NodeBook} turns keys into admissible bytes.
 *
 * <p>Each ordering is a {@link KeyOrderedNodes} (short sorted blocks of primitive arrays), not a
 * tree: an attach or detach moves a node's key, which there is a shift inside one or two blocks
 * instead of a tree remove and insert with a fresh entry (see that class for the bound).
 */
final class PlacementIndex {
    static final Comparator<NodeRecord> ORDER = (a, b) -> {
        int byKey = Long.compare(a.indexKey, b.indexKey);
        return byKey != 0 ? byKey : a.nodeId.compareTo(b.nodeId);
    };

    private final NodeRoster roster;
    private final KeyOrderedNodes all;
    private final TreeMap<String, KeyOrderedNodes> byZone = new TreeMap<>();

    PlacementIndex(NodeRoster roster) {
        this.roster = roster;
        this.all = new KeyOrderedNodes(roster);
    }

    void add(NodeRecord node, long key) {
        Invariants.check(!node.indexed, "node indexed twice");
        // Ranks start at 2^32 and never reach 0: a 0 means the node skipped NodeBook's ranking, and its ties would misorder.
        Invariants.check(node.idRank != 0, "node filed before NodeBook gave it an id rank");
        node.indexKey = key;
        node.indexedZone = node.zone;
        node.indexedZoneNodes = byZone.computeIfAbsent(node.zone, z -> new KeyOrderedNodes(roster));
        node.indexed = true;
        node.indexPosition = all.add(node, key);
        node.zoneIndexPosition = node.indexedZoneNodes.add(node, key);
    }

    void remove(NodeRecord node) {
        Invariants.check(node.indexed, "removing a node that is not indexed");
        all.remove(node, node.indexKey, node.indexPosition);
        KeyOrderedNodes zone = node.indexedZoneNodes;
        Invariants.check(zone == byZone.get(node.indexedZone), "placement index lost track of a node's zone");
        zone.remove(node, node.indexKey, node.zoneIndexPosition);
        if (zone.isEmpty()) {
            byZone.remove(node.indexedZone);
        }
        node.indexed = false;
        node.indexedZoneNodes = null;
    }

    /** Re-files an indexed node under a new key in the same zone: a local shift, no allocation. */
    void move(NodeRecord node, long key) {
        Invariants.check(node.indexed && node.zone.equals(node.indexedZone), "moving a node that is not indexed here");
        node.indexPosition = all.move(node, node.indexKey, key, node.indexPosition);
        node.zoneIndexPosition = node.indexedZoneNodes.move(node, node.indexKey, key, node.zoneIndexPosition);
        node.indexKey = key;
    }

    /** After {@link NodeRecord#idRank}s were renumbered (in the same order): refresh the copies. */
    void refreshRanks() {
        all.refreshRanks();
        for (KeyOrderedNodes zone : byZone.values()) {
            zone.refreshRanks();
        }
    }

    /** For audits: every ordering sorted and current, and the zones together hold exactly the global set. O(n). */
    boolean isConsistent() {
        int inZones = 0;
        for (Map.Entry<String, KeyOrderedNodes> zone : byZone.entrySet()) {
            KeyOrderedNodes nodes = zone.getValue();
            if (nodes.isEmpty() || !nodes.isOrdered()) {
                return false;
            }
            for (NodeRecord node : nodes.inOrder()) {
                if (!node.indexedZone.equals(zone.getKey()) || node.indexedZoneNodes != nodes) {
                    return false;
                }
            }
            inZones += nodes.size();
        }
        return all.isOrdered() && inZones == all.size();
    }

    int size() {
        return all.size();
    }

    int zoneCount() {
        return byZone.size();
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
        List<NodeRecord> candidates = new ArrayList<>();
        for (Map.Entry<String, KeyOrderedNodes> zone : byZone.entrySet()) {
            if (!zoneOf(exclude, zone.getKey())) {
                KeyOrderedNodes nodes = zone.getValue();
                int best = nodes.ceiling(minKey);
                if (best != KeyOrderedNodes.END) {
                    candidates.add(nodes.nodeAt(best));
                }
            }
        }
        candidates.sort(ORDER);
        return candidates.size() > k ? new ArrayList<>(candidates.subList(0, k)) : candidates;
    }

    /** The k-th largest key (k &ge; 1), or Long.MIN_VALUE when fewer than k nodes admit. */
    long kthLargestKey(int k) {
        return all.kthLargestKey(k);
    }

    /** Among the zones' largest keys, the k-th largest, or Long.MIN_VALUE when fewer than k zones. */
    long kthLargestZoneKey(int k) {
        if (byZone.size() < k) {
            return Long.MIN_VALUE;
        }
        long[] maxima = new long[byZone.size()];
        int i = 0;
        for (KeyOrderedNodes zone : byZone.values()) {
            maxima[i++] = zone.kthLargestKey(1);
        }
        java.util.Arrays.sort(maxima);
        return maxima[maxima.length - k];
    }

    private static boolean contains(NodeRecord[] nodes, NodeRecord node) {
        for (NodeRecord n : nodes) {
            if (n == node) {
                return true;
            }
        }
        return false;
    }

    private static boolean zoneOf(NodeRecord[] nodes, String zone) {
        for (NodeRecord n : nodes) {
            if (n.zone.equals(zone)) {
                return true;
            }
        }
        return false;
    }
}
