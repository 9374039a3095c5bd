package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Admitting nodes ordered by admissibility key, then node id: globally and per zone. Best fit is
 * a ceiling lookup followed by k steps, so a decision costs O(k log n) (O(z log n) with zone
 * spread, z = zones), never a scan of all nodes.
 *
 * <p>The key ({@link NodeRecord#indexKey}) excludes the reservations of {@code ALL} deployments:
 * those are the same on every node, subtracting a constant preserves the order, and so admitting
 * an ALL deployment reorders nothing. {@link NodeBook} turns keys into admissible bytes.
 */
final class PlacementIndex {
    static final Comparator<NodeRecord> ORDER = (a, b) -> {
        int byKey = Long.compare(a.indexKey, b.indexKey);
        return byKey != 0 ? byKey : a.nodeId.compareTo(b.nodeId);
    };

    private final TreeSet<NodeRecord> all = new TreeSet<>(ORDER);
    private final TreeMap<String, TreeSet<NodeRecord>> byZone = new TreeMap<>();
    /** Reused search bound: the ledger is single-threaded and this avoids an allocation per lookup. */
    private final NodeRecord probe = new NodeRecord("");

    void add(NodeRecord node, long key) {
        Invariants.check(!node.indexed, "node indexed twice");
        node.indexKey = key;
        node.indexedZone = node.zone;
        node.indexed = true;
        all.add(node);
        byZone.computeIfAbsent(node.zone, z -> new TreeSet<>(ORDER)).add(node);
    }

    void remove(NodeRecord node) {
        Invariants.check(node.indexed, "removing a node that is not indexed");
        boolean removed = all.remove(node);
        TreeSet<NodeRecord> zone = byZone.get(node.indexedZone);
        removed &= zone != null && zone.remove(node);
        Invariants.check(removed, "placement index lost track of a node");
        if (zone.isEmpty()) {
            byZone.remove(node.indexedZone);
        }
        node.indexed = false;
    }

    int size() {
        return all.size();
    }

    int zoneCount() {
        return byZone.size();
    }

    /** Smallest key, or Long.MIN_VALUE when no node admits. */
    long minKey() {
        return all.isEmpty() ? Long.MIN_VALUE : all.first().indexKey;
    }

    /** The k smallest-key nodes with key &ge; minKey, skipping {@code exclude}; fewer if there are not enough. */
    List<NodeRecord> bestFit(long minKey, int k, NodeRecord[] exclude) {
        List<NodeRecord> chosen = new ArrayList<>(k);
        Iterator<NodeRecord> it = all.tailSet(probe(minKey), true).iterator();
        while (chosen.size() < k && it.hasNext()) {
            NodeRecord node = it.next();
            if (!contains(exclude, node)) {
                chosen.add(node);
            }
        }
        return chosen;
    }

    /**
     * Best fit in k distinct zones: the best candidate of each zone, then the k best of those.
     * Zones of {@code exclude} are skipped (re-placing a spread deployment keeps its zones distinct).
     */
    List<NodeRecord> bestFitSpread(long minKey, int k, NodeRecord[] exclude) {
        List<NodeRecord> candidates = new ArrayList<>();
        for (Map.Entry<String, TreeSet<NodeRecord>> zone : byZone.entrySet()) {
            if (!zoneOf(exclude, zone.getKey())) {
                NodeRecord best = zone.getValue().ceiling(probe(minKey));
                if (best != null) {
                    candidates.add(best);
                }
            }
        }
        candidates.sort(ORDER);
        return candidates.size() > k ? new ArrayList<>(candidates.subList(0, k)) : candidates;
    }

    /** The k-th largest key (k &ge; 1), or Long.MIN_VALUE when fewer than k nodes admit. */
    long kthLargestKey(int k) {
        if (all.size() < k) {
            return Long.MIN_VALUE;
        }
        Iterator<NodeRecord> it = all.descendingIterator();
        NodeRecord node = null;
        for (int i = 0; i < k; i++) {
            node = it.next();
        }
        return node.indexKey;
    }

    /** Among the zones' largest keys, the k-th largest, or Long.MIN_VALUE when fewer than k zones. */
    long kthLargestZoneKey(int k) {
        if (byZone.size() < k) {
            return Long.MIN_VALUE;
        }
        long[] maxima = new long[byZone.size()];
        int i = 0;
        for (TreeSet<NodeRecord> zone : byZone.values()) {
            maxima[i++] = zone.last().indexKey;
        }
        java.util.Arrays.sort(maxima);
        return maxima[maxima.length - k];
    }

    private NodeRecord probe(long key) {
        probe.indexKey = key;
        return probe;
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
