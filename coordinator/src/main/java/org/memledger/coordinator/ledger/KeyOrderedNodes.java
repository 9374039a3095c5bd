package org.memledger.coordinator.ledger;

import java.util.Arrays;

/**
 * Nodes sorted by (key, node id), held in two parallel arrays: the keys as primitive {@code long}s
 * and the nodes. One ordering of {@link PlacementIndex} (the global one, or one zone's).
 *
 * <p>Why not a {@code TreeSet}: a node's key changes on every attach and detach, and a tree pays
 * for that with a remove, an insert, about 2 log n comparator calls through {@code NodeRecord}
 * objects and a fresh tree entry every time. Here a key change finds the node by binary search over
 * the {@code long[]} (comparing node ids only between equal keys), finds its new place the same
 * way and shifts the entries in between by one with {@link System#arraycopy}. Nothing is allocated
 * unless the arrays grow.
 *
 * <p>Cost of a move: O(log n) to search plus a shift of every entry whose key lies between the old
 * and the new key. An attach or detach moves a key by one reservation (at most the policy's
 * {@code maxFirmBytes}), so in practice the shift covers only the nodes whose admissibility lies
 * within one deployment size of this node's: a few to a few hundred entries, one contiguous copy.
 * The worst case (a report or policy change that moves a node past every other, or every node
 * sharing one key range) is a copy of the whole array: n × 12 bytes, about 120 KB at 10,000 nodes,
 * a few microseconds, and never a comparator call per entry.
 *
 * <p>The caller remembers each node's key (the structure stores a copy, so a caller may change the
 * node first and move it after); the key given to {@link #remove} or {@link #move} must be the key
 * the node was filed under.
 */
final class KeyOrderedNodes {
    private static final int INITIAL_CAPACITY = 16;

    private long[] keys = new long[INITIAL_CAPACITY];
    private NodeRecord[] nodes = new NodeRecord[INITIAL_CAPACITY];
    private int size;

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
        return nodes[position];
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

    void add(NodeRecord node, long key) {
        if (size == keys.length) {
            int capacity = Math.max(INITIAL_CAPACITY, size + (size >> 1));
            keys = Arrays.copyOf(keys, capacity);
            nodes = Arrays.copyOf(nodes, capacity);
        }
        int position = insertionPoint(node, key);
        System.arraycopy(keys, position, keys, position + 1, size - position);
        System.arraycopy(nodes, position, nodes, position + 1, size - position);
        keys[position] = key;
        nodes[position] = node;
        size++;
    }

    /** Removes {@code node}, filed under {@code key}. */
    void remove(NodeRecord node, long key) {
        int position = positionOf(node, key);
        int tail = size - position - 1;
        System.arraycopy(keys, position + 1, keys, position, tail);
        System.arraycopy(nodes, position + 1, nodes, position, tail);
        size--;
        nodes[size] = null;
    }

    /** Re-files {@code node} from {@code oldKey} to {@code newKey}, shifting only the entries in between. */
    void move(NodeRecord node, long oldKey, long newKey) {
        int from = positionOf(node, oldKey);
        if (compare(newKey, node, oldKey, node) > 0) {
            // Moving right: the target is the last position whose entry orders before (newKey, node).
            int to = insertionPoint(node, newKey, from + 1, size) - 1;
            System.arraycopy(keys, from + 1, keys, from, to - from);
            System.arraycopy(nodes, from + 1, nodes, from, to - from);
            keys[to] = newKey;
            nodes[to] = node;
        } else {
            int to = insertionPoint(node, newKey, 0, from);
            System.arraycopy(keys, to, keys, to + 1, from - to);
            System.arraycopy(nodes, to, nodes, to + 1, from - to);
            keys[to] = newKey;
            nodes[to] = node;
        }
    }

    /** For audits: strictly ordered, and every node filed under the key it remembers. O(n). */
    boolean isOrdered() {
        for (int i = 0; i < size; i++) {
            if (nodes[i] == null || nodes[i].indexKey != keys[i]
                    || (i > 0 && compare(keys[i - 1], nodes[i - 1], keys[i], nodes[i]) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** Where (key, node) would go: the number of entries that order before it. */
    private int insertionPoint(NodeRecord node, long key) {
        return insertionPoint(node, key, 0, size);
    }

    private int insertionPoint(NodeRecord node, long key, int from, int to) {
        int low = from;
        int high = to;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (compare(keys[mid], nodes[mid], key, node) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int positionOf(NodeRecord node, long key) {
        int position = insertionPoint(node, key);
        Invariants.check(position < size && nodes[position] == node && keys[position] == key,
                "node is not filed under the given key");
        return position;
    }

    /** The placement order: key, then node id. Node ids are compared only when keys are equal. */
    private static int compare(long keyA, NodeRecord a, long keyB, NodeRecord b) {
        if (keyA != keyB) {
            return keyA < keyB ? -1 : 1;
        }
        return a == b ? 0 : a.nodeId.compareTo(b.nodeId);
    }
}
