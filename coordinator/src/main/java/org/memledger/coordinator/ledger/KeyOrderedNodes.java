package org.memledger.coordinator.ledger;

import java.util.Arrays;

/**
 * Nodes sorted by (key, node id), held in parallel arrays: the keys as primitive {@code long}s,
 * each node's {@link NodeRecord#idRank} (a number that orders nodes as their ids do, so ties need
 * no string comparison) and the nodes, as {@link NodeRoster} ordinals. One ordering of {@link PlacementIndex} (the global one, or
 * one zone's).
 *
 * <p>Why not a {@code TreeSet}: a node's key changes on every attach and detach, and a tree pays
 * for that with a remove, an insert, about 2 log n comparator calls through {@code NodeRecord}
 * objects and a fresh tree entry every time. Here a key change finds the node by binary search over
 * the two {@code long[]}s (no node or string is touched), finds its new place by galloping out from
 * the old one, and shifts the entries in between by one with {@link System#arraycopy}. Nothing is
 * allocated unless the arrays grow.
 *
 * <p>Finding the node: the caller passes the position where it last saw it (returned by
 * {@link #add} and {@link #move}). Other nodes' moves shift it by one place each time they cross it,
 * so the hint is often exact and otherwise close; the search gallops out from it. Profiling showed
 * the full binary search this replaced at about half the cost of a move.
 *
 * <p>Cost of a move: O(1) to find the node from an exact hint (O(log s) if it shifted s places, never
 * more than O(log n)), O(log d) to find its new place and a copy of the d
 * entries whose keys lie between the old and the new key. An attach or detach moves a key by one
 * reservation (at most the policy's {@code maxFirmBytes}), so d counts only the nodes whose
 * admissibility lies within one deployment size of this node's, copied in one contiguous move.
 * The worst case (a report or policy change that moves a node past every other, or every node
 * sharing one key range) is a copy of the whole arrays: n × 20 bytes, about 200 KB at 10,000
 * nodes, and never a comparison per entry. Adding or removing a node is O(n) for the same reason;
 * nodes join and leave rarely.
 *
 * <p>The caller remembers each node's key (the structure stores a copy, so a caller may change the
 * node first and move it after); the key given to {@link #remove} or {@link #move} must be the key
 * the node was filed under.
 */
final class KeyOrderedNodes {
    private static final int INITIAL_CAPACITY = 16;

    private final NodeRoster roster;
    private long[] keys = new long[INITIAL_CAPACITY];
    private long[] ranks = new long[INITIAL_CAPACITY];
    /** The nodes as {@link NodeRecord#ordinal}s: shifting ints needs no GC write barrier (see {@link NodeRoster}). */
    private int[] ordinals = new int[INITIAL_CAPACITY];
    private int size;

    KeyOrderedNodes(NodeRoster roster) {
        this.roster = roster;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long keyAt(int position) {
        Invariants.check(position >= 0 && position < size, "position out of range");
        return keys[position];
    }

    NodeRecord nodeAt(int position) {
        Invariants.check(position >= 0 && position < size, "position out of range");
        return roster.get(ordinals[position]);
    }

    /** The first position whose key is &ge; {@code key}, or {@link #size()} when there is none. */
    int ceiling(long key) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (keys[mid] < key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Files {@code node} under {@code key}; returns its position, a hint for the next {@link #move} or {@link #remove}. */
    int add(NodeRecord node, long key) {
        Invariants.check(roster.holds(node), "node filed before it was enrolled in the roster");
        if (size == keys.length) {
            int capacity = Math.max(INITIAL_CAPACITY, size + (size >> 1));
            keys = Arrays.copyOf(keys, capacity);
            ranks = Arrays.copyOf(ranks, capacity);
            ordinals = Arrays.copyOf(ordinals, capacity);
        }
        int position = insertionPoint(key, node.idRank, 0, size);
        System.arraycopy(keys, position, keys, position + 1, size - position);
        System.arraycopy(ranks, position, ranks, position + 1, size - position);
        System.arraycopy(ordinals, position, ordinals, position + 1, size - position);
        keys[position] = key;
        ranks[position] = node.idRank;
        ordinals[position] = node.ordinal;
        size++;
        return position;
    }

    /** Removes {@code node}, filed under {@code key}, last seen at {@code hint}. */
    void remove(NodeRecord node, long key, int hint) {
        int position = positionOf(node, key, hint);
        int tail = size - position - 1;
        System.arraycopy(keys, position + 1, keys, position, tail);
        System.arraycopy(ranks, position + 1, ranks, position, tail);
        System.arraycopy(ordinals, position + 1, ordinals, position, tail);
        size--;
    }

    /**
     * Re-files {@code node} from {@code oldKey} to {@code newKey}, shifting only the entries in
     * between; {@code hint} is where the node was last seen. Returns its new position (the next hint).
     */
    int move(NodeRecord node, long oldKey, long newKey, int hint) {
        long rank = node.idRank;
        int from = positionOf(node, oldKey, hint);
        int to;
        if (compare(newKey, rank, oldKey, rank) > 0) {
            // Moving right: the target is the last position whose entry orders before (newKey, rank).
            to = gallopRight(newKey, rank, from) - 1;
            System.arraycopy(keys, from + 1, keys, from, to - from);
            System.arraycopy(ranks, from + 1, ranks, from, to - from);
            System.arraycopy(ordinals, from + 1, ordinals, from, to - from);
            keys[to] = newKey;
            ranks[to] = rank;
            ordinals[to] = node.ordinal;
        } else {
            to = gallopLeft(newKey, rank, from);
            System.arraycopy(keys, to, keys, to + 1, from - to);
            System.arraycopy(ranks, to, ranks, to + 1, from - to);
            System.arraycopy(ordinals, to, ordinals, to + 1, from - to);
            keys[to] = newKey;
            ranks[to] = rank;
            ordinals[to] = node.ordinal;
        }
        return to;
    }

    /** Node ids were re-ranked (a node registered): copy the new ranks in. Order is unchanged. O(n). */
    void refreshRanks() {
        for (int i = 0; i < size; i++) {
            ranks[i] = roster.get(ordinals[i]).idRank;
        }
    }

    /** For audits: strictly ordered, and every node filed under the key it remembers. O(n). */
    boolean isOrdered() {
        for (int i = 0; i < size; i++) {
            NodeRecord node = roster.get(ordinals[i]);
            if (node == null || node.indexKey != keys[i] || node.idRank != ranks[i]
                    || (i > 0 && (compare(keys[i - 1], ranks[i - 1], keys[i], ranks[i]) >= 0
                            || (keys[i - 1] == keys[i] && nodeAt(i - 1).nodeId.compareTo(node.nodeId) >= 0)))) {
                return false;
            }
        }
        return true;
    }

    /** The number of entries in [from, to) that order before (key, rank); the range must be sorted. */
    private int insertionPoint(long key, long rank, int from, int to) {
        int low = from;
        int high = to;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (compare(keys[mid], ranks[mid], key, rank) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * The insertion point of (key, rank) right of {@code from}: probes 1, 2, 4, ... entries away
     * first, so a short move costs O(log distance) comparisons on nearby memory, not O(log n).
     */
    private int gallopRight(long key, long rank, int from) {
        int low = from + 1;
        int step = 1;
        while (low + step - 1 < size && compare(keys[low + step - 1], ranks[low + step - 1], key, rank) < 0) {
            low += step;
            step <<= 1;
        }
        return insertionPoint(key, rank, low, Math.min(size, low + step - 1));
    }

    /** The insertion point of (key, rank) left of {@code from}, galloping like {@link #gallopRight}. */
    private int gallopLeft(long key, long rank, int from) {
        int high = from;
        int step = 1;
        while (high - step >= 0 && compare(keys[high - step], ranks[high - step], key, rank) >= 0) {
            high -= step;
            step <<= 1;
        }
        return insertionPoint(key, rank, Math.max(0, high - step + 1), high);
    }

    /**
     * Where {@code node}, filed under {@code key}, is now. {@code hint} is where it was last seen:
     * exact unless other nodes' moves shifted it since, and then usually only a few places off, so
     * the search gallops out from the hint instead of bisecting all n entries. Any hint is safe: a
     * stale or out-of-range one costs at most O(log n) comparisons, like no hint.
     */
    private int positionOf(NodeRecord node, long key, int hint) {
        int position;
        if (hint >= 0 && hint < size && ordinals[hint] == node.ordinal) {
            position = hint;
        } else if (size == 0) {
            position = 0;
        } else {
            long rank = node.idRank;
            int from = Math.min(Math.max(hint, 0), size - 1);
            position = compare(keys[from], ranks[from], key, rank) < 0
                    ? gallopRight(key, rank, from)
                    : gallopLeft(key, rank, from);
        }
        Invariants.check(position < size && ordinals[position] == node.ordinal && keys[position] == key,
                "node is not filed under the given key");
        return position;
    }

    /** The placement order: key, then node id, by rank (ranks are unique and follow node-id order). */
    private static int compare(long keyA, long rankA, long keyB, long rankB) {
        if (keyA != keyB) {
            return keyA < keyB ? -1 : 1;
        }
        return Long.compare(rankA, rankB);
    }
}
