package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Nodes sorted by (key, node id), held in short sorted blocks of primitive arrays: each entry's key
 * and the node's {@link NodeRecord#idRank} (a number that orders nodes as their ids do, so ties need
 * no string comparison) side by side in one {@code long[]}, and the nodes, as {@link NodeRoster}
 * ordinals, in an {@code int[]}. One ordering of {@link PlacementIndex} (the global one, or one
 * zone's). Keys and ranks share an array because every comparison reads both: one cache line, and
 * one copy per shift instead of two.
 *
 * <p>Why blocks: a node's key changes on every attach and detach. In one flat sorted array a move
 * shifts every entry whose key lies between the old and the new key; in a best-fit packed cell the
 * nearly full nodes crowd into a narrow key range, and profiling a loaded cell (10,000 nodes, a
 * million deployments) measured about 130 entries shifted per move, with a long tail of moves across
 * the whole array (a node emptied or filled for the first time crosses every packed node). Blocks
 * of at most {@link #BLOCK_CAPACITY} entries bound a move to one shift inside a block, or a removal
 * from one block and an insertion into another, each shifting fewer than {@code BLOCK_CAPACITY}
 * entries. A tree would bound that too, but would pay for every key change with a remove, an
 * insert, comparisons through {@code NodeRecord} objects and a fresh entry; here nothing is
 * allocated unless a block splits.
 *
 * <p>Blocks are ordered by their first entries, copied into {@link #firsts} so that finding a
 * block is a search over one flat array: a binary search, or for a node leaving its block a gallop
 * out from that block, since most moves land a few blocks away. A full block splits in half; a
 * block that empties is dropped, and a block that shrinks is merged into a neighbour when the two
 * fit in half a block, which keeps most blocks well filled.
 *
 * <p><b>Cursors.</b> A position is a cursor {@code block << OFFSET_BITS | offset}, an opaque int:
 * {@link #ceiling} returns one, {@link #next} advances it, {@link #nodeAt} reads it.
 * A cursor is valid until the next change. {@link #add} and {@link #move} return the node's cursor
 * as a hint for its next {@link #move} or {@link #remove}; other nodes' changes make it stale (an
 * entry shifted by one, a block split), so it is checked, its neighbours tried, and otherwise the
 * node is found by key: any int is a safe hint.
 *
 * <p>The caller remembers each node's key (the structure stores a copy, so a caller may change the
 * node first and move it after); the key given to {@link #remove} or {@link #move} must be the key
 * the node was filed under.
 */
final class KeyOrderedNodes {
    /** No position: {@link #ceiling} past the last entry, {@link #next} after it. */
    static final int END = -1;

    /** Entries per block at most: a shift inside a block copies fewer than this many entries. */
    static final int BLOCK_CAPACITY = 64;
    private static final int OFFSET_BITS = 6;
    private static final int OFFSET_MASK = (1 << OFFSET_BITS) - 1;
    private static final int INITIAL_BLOCKS = 4;

    static {
        if (BLOCK_CAPACITY > OFFSET_MASK + 1) {
            throw new ExceptionInInitializerError("block offsets do not fit in a cursor");
        }
    }

    private final NodeRoster roster;
    /** Per block, (key, rank) pairs: entry i's key at 2i, its rank at 2i + 1. */
    private long[][] pairs = new long[INITIAL_BLOCKS][];
    /** The nodes as {@link NodeRecord#ordinal}s: shifting ints needs no GC write barrier (see {@link NodeRoster}). */
    private int[][] ordinals = new int[INITIAL_BLOCKS][];
    private int[] counts = new int[INITIAL_BLOCKS];
    /** Each block's first (key, rank) pair, at 2b and 2b + 1, so that the block search reads one flat array. */
    private long[] firsts = new long[2 * INITIAL_BLOCKS];
    private int blocks;
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

    // ---- reading in order -----------------------------------------------------------------------

    /** The cursor of the first entry whose key is &ge; {@code key}, or {@link #END} when there is none. */
    int ceiling(long key) {
        if (size == 0) {
            return END;
        }
        // The last block whose first key is below the bound holds the answer, or its successor's first does.
        int low = keysBelow(firsts, key, 0, blocks);
        if (low == 0) {
            return cursor(0, 0);
        }
        int block = low - 1;
        int from = keysBelow(pairs[block], key, 1, counts[block]);
        if (from < counts[block]) {
            return cursor(block, from);
        }
        return block + 1 < blocks ? cursor(block + 1, 0) : END;
    }

    /** The cursor after {@code cursor}, or {@link #END}. */
    int next(int cursor) {
        int block = cursor >>> OFFSET_BITS;
        int offset = (cursor & OFFSET_MASK) + 1;
        if (offset < counts[block]) {
            return cursor(block, offset);
        }
        return block + 1 < blocks ? cursor(block + 1, 0) : END;
    }

    NodeRecord nodeAt(int cursor) {
        checkCursor(cursor);
        return roster.get(ordinals[cursor >>> OFFSET_BITS][cursor & OFFSET_MASK]);
    }

    /** The smallest key; the ordering must not be empty. */
    long firstKey() {
        Invariants.check(size > 0, "first key of an empty ordering");
        return firsts[0];
    }

    /** The k-th largest key (k &ge; 1), or Long.MIN_VALUE when fewer than k nodes are filed. O(k / block fill). */
    long kthLargestKey(int k) {
        if (k < 1 || size < k) {
            return Long.MIN_VALUE;
        }
        int remaining = k;
        int block = blocks - 1;
        while (counts[block] < remaining) {
            remaining -= counts[block];
            block--;
        }
        return pairs[block][2 * (counts[block] - remaining)];
    }

    /** Every filed node in order: O(n), for audits and tests. */
    List<NodeRecord> inOrder() {
        List<NodeRecord> all = new ArrayList<>(size);
        for (int cursor = size == 0 ? END : cursor(0, 0); cursor != END; cursor = next(cursor)) {
            all.add(nodeAt(cursor));
        }
        return all;
    }

    // ---- changes ----------------------------------------------------------------------------------

    /** Files {@code node} under {@code key}; returns its cursor, a hint for the next {@link #move} or {@link #remove}. */
    int add(NodeRecord node, long key) {
        Invariants.check(roster.holds(node), "node filed before it was enrolled in the roster");
        size++;
        return insert(node, key, node.idRank, blockFor(key, node.idRank, blocks - 1));
    }

    /** Removes {@code node}, filed under {@code key}, last seen at {@code hint}. */
    void remove(NodeRecord node, long key, int hint) {
        int at = positionOf(node, key, hint);
        takeOut(at >>> OFFSET_BITS, at & OFFSET_MASK);
        size--;
    }

    /**
     * Re-files {@code node} from {@code oldKey} to {@code newKey}; {@code hint} is where the node was
     * last seen. Returns its new cursor (the next hint).
     */
    int move(NodeRecord node, long oldKey, long newKey, int hint) {
        long rank = node.idRank;
        int at = positionOf(node, oldKey, hint);
        int block = at >>> OFFSET_BITS;
        int from = at & OFFSET_MASK;
        int count = counts[block];
        long[] blockPairs = pairs[block];
        if (compare(newKey, rank, oldKey, rank) > 0) {
            // Moving right: the target is the last entry of this block that orders before (newKey, rank).
            int to = insertionPoint(blockPairs, newKey, rank, from + 1, count) - 1;
            if (to < count - 1 || block == blocks - 1
                    || compare(newKey, rank, firsts[2 * block + 2], firsts[2 * block + 3]) < 0) {
                return moveWithin(block, from, to, newKey, rank, node.ordinal);
            }
        } else {
            int to = insertionPoint(blockPairs, newKey, rank, 0, from);
            if (to > 0 || block == 0 || isAfterLastOf(block - 1, newKey, rank)) {
                return moveWithin(block, from, to, newKey, rank, node.ordinal);
            }
        }
        // Leaving the block: the new one is usually a few blocks away, so search outward from here.
        takeOut(block, from);
        return insert(node, newKey, rank, blockFor(newKey, rank, block));
    }

    /** Moves the entry at {@code from} to {@code to} in one block, shifting those between; returns its cursor. */
    private int moveWithin(int block, int from, int to, long key, long rank, int ordinal) {
        long[] blockPairs = pairs[block];
        int[] blockOrdinals = ordinals[block];
        if (to > from) {
            System.arraycopy(blockPairs, 2 * from + 2, blockPairs, 2 * from, 2 * (to - from));
            System.arraycopy(blockOrdinals, from + 1, blockOrdinals, from, to - from);
        } else {
            System.arraycopy(blockPairs, 2 * to, blockPairs, 2 * to + 2, 2 * (from - to));
            System.arraycopy(blockOrdinals, to, blockOrdinals, to + 1, from - to);
        }
        blockPairs[2 * to] = key;
        blockPairs[2 * to + 1] = rank;
        blockOrdinals[to] = ordinal;
        if (Math.min(from, to) == 0) {
            refreshFirst(block);
        }
        return cursor(block, to);
    }

    /** Node ids were re-ranked (a node registered): copy the new ranks in. Order is unchanged. O(n). */
    void refreshRanks() {
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < counts[b]; i++) {
                pairs[b][2 * i + 1] = roster.get(ordinals[b][i]).idRank;
            }
            refreshFirst(b);
        }
    }

    /** For audits: strictly ordered, blocks well formed, every node filed under the key it remembers. O(n). */
    boolean isOrdered() {
        int seen = 0;
        boolean havePrevious = false;
        long previousKey = 0;
        long previousRank = 0;
        NodeRecord previous = null;
        for (int b = 0; b < blocks; b++) {
            if (counts[b] < 1 || counts[b] > BLOCK_CAPACITY || firsts[2 * b] != pairs[b][0] || firsts[2 * b + 1] != pairs[b][1]) {
                return false;
            }
            for (int i = 0; i < counts[b]; i++) {
                NodeRecord node = roster.get(ordinals[b][i]);
                long key = pairs[b][2 * i];
                long rank = pairs[b][2 * i + 1];
                if (node == null || node.indexKey != key || node.idRank != rank) {
                    return false;
                }
                if (havePrevious && (compare(previousKey, previousRank, key, rank) >= 0
                        || (previousKey == key && previous.nodeId.compareTo(node.nodeId) >= 0))) {
                    return false;
                }
                havePrevious = true;
                previousKey = key;
                previousRank = rank;
                previous = node;
                seen++;
            }
        }
        return seen == size;
    }

    // ---- blocks -----------------------------------------------------------------------------------

    /**
     * Puts (key, rank, node) into {@code block}, which must be where it belongs ({@link #blockFor}),
     * splitting it if full; returns its cursor. Size is the caller's.
     */
    private int insert(NodeRecord node, long key, long rank, int block) {
        if (blocks == 0) {
            insertBlock(0);
        }
        if (counts[block] == BLOCK_CAPACITY) {
            split(block);
            if (compare(key, rank, firsts[2 * block + 2], firsts[2 * block + 3]) > 0) {
                block++;
            }
        }
        int count = counts[block];
        long[] blockPairs = pairs[block];
        int[] blockOrdinals = ordinals[block];
        int at = insertionPoint(blockPairs, key, rank, 0, count);
        System.arraycopy(blockPairs, 2 * at, blockPairs, 2 * at + 2, 2 * (count - at));
        System.arraycopy(blockOrdinals, at, blockOrdinals, at + 1, count - at);
        blockPairs[2 * at] = key;
        blockPairs[2 * at + 1] = rank;
        blockOrdinals[at] = node.ordinal;
        counts[block] = count + 1;
        if (at == 0) {
            refreshFirst(block);
        }
        return cursor(block, at);
    }

    /** Removes the entry at (block, offset), dropping or merging the block if it got too small. Size is the caller's. */
    private void takeOut(int block, int offset) {
        int tail = counts[block] - offset - 1;
        System.arraycopy(pairs[block], 2 * offset + 2, pairs[block], 2 * offset, 2 * tail);
        System.arraycopy(ordinals[block], offset + 1, ordinals[block], offset, tail);
        int count = --counts[block];
        if (count == 0) {
            deleteBlock(block);
            return;
        }
        if (offset == 0) {
            refreshFirst(block);
        }
        if (block + 1 < blocks && count + counts[block + 1] <= BLOCK_CAPACITY / 2) {
            mergeIntoPrevious(block + 1);
        } else if (block > 0 && count + counts[block - 1] <= BLOCK_CAPACITY / 2) {
            mergeIntoPrevious(block);
        }
    }

    /**
     * The block (key, rank) is or belongs in: the last whose first entry is not after it, or the first
     * block. The search gallops out from block {@code near} (any int; clamped), so it costs
     * O(log distance) comparisons: a moving node's new block, or a node's own block from a stale hint,
     * is usually close.
     */
    private int blockFor(long key, long rank, int near) {
        if (blocks == 0) {
            return 0;
        }
        int from = Math.min(Math.max(near, 0), blocks - 1);
        // Narrow [low, high) so that every block before low starts at or before (key, rank) and every block from high on after it.
        int low;
        int high;
        int step = 1;
        if (startsAtOrBefore(from, key, rank)) {
            low = from + 1;
            high = blocks;
            while (from + step < blocks) {
                if (!startsAtOrBefore(from + step, key, rank)) {
                    high = from + step;
                    break;
                }
                low = from + step + 1;
                step <<= 1;
            }
        } else {
            low = 0;
            high = from;
            while (from - step >= 0) {
                if (startsAtOrBefore(from - step, key, rank)) {
                    low = from - step + 1;
                    break;
                }
                high = from - step;
                step <<= 1;
            }
        }
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (startsAtOrBefore(mid, key, rank)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return Math.max(0, low - 1);
    }

    private boolean startsAtOrBefore(int block, long key, long rank) {
        return compare(firsts[2 * block], firsts[2 * block + 1], key, rank) <= 0;
    }

    /** Does (key, rank) order after the last entry of {@code block}? */
    private boolean isAfterLastOf(int block, long key, long rank) {
        int last = counts[block] - 1;
        return compare(key, rank, pairs[block][2 * last], pairs[block][2 * last + 1]) > 0;
    }

    private void split(int block) {
        insertBlock(block + 1);
        int half = BLOCK_CAPACITY / 2;
        int moved = counts[block] - half;
        System.arraycopy(pairs[block], 2 * half, pairs[block + 1], 0, 2 * moved);
        System.arraycopy(ordinals[block], half, ordinals[block + 1], 0, moved);
        counts[block] = half;
        counts[block + 1] = moved;
        refreshFirst(block + 1);
    }

    /** Appends block {@code block}'s entries to the block before it and drops it. */
    private void mergeIntoPrevious(int block) {
        int into = block - 1;
        int count = counts[block];
        System.arraycopy(pairs[block], 0, pairs[into], 2 * counts[into], 2 * count);
        System.arraycopy(ordinals[block], 0, ordinals[into], counts[into], count);
        counts[into] += count;
        counts[block] = 0;
        deleteBlock(block);
    }

    /** Opens an empty block at {@code block}, shifting later blocks right; reuses a dropped block's arrays if any. */
    private void insertBlock(int block) {
        if (blocks == counts.length) {
            int capacity = blocks * 2;
            pairs = Arrays.copyOf(pairs, capacity);
            ordinals = Arrays.copyOf(ordinals, capacity);
            counts = Arrays.copyOf(counts, capacity);
            firsts = Arrays.copyOf(firsts, 2 * capacity);
        }
        // The slot past the last block keeps the arrays of the block dropped last, if any: reuse them.
        long[] sparePairs = pairs[blocks] != null ? pairs[blocks] : new long[2 * BLOCK_CAPACITY];
        int[] spareOrdinals = ordinals[blocks] != null ? ordinals[blocks] : new int[BLOCK_CAPACITY];
        int tail = blocks - block;
        System.arraycopy(pairs, block, pairs, block + 1, tail);
        System.arraycopy(ordinals, block, ordinals, block + 1, tail);
        System.arraycopy(counts, block, counts, block + 1, tail);
        System.arraycopy(firsts, 2 * block, firsts, 2 * block + 2, 2 * tail);
        pairs[block] = sparePairs;
        ordinals[block] = spareOrdinals;
        counts[block] = 0;
        blocks++;
    }

    /** Drops the empty block {@code block}, keeping its arrays past the last block for the next split. */
    private void deleteBlock(int block) {
        Invariants.check(counts[block] == 0, "dropping a block that still holds nodes");
        long[] sparePairs = pairs[block];
        int[] spareOrdinals = ordinals[block];
        int tail = blocks - block - 1;
        System.arraycopy(pairs, block + 1, pairs, block, tail);
        System.arraycopy(ordinals, block + 1, ordinals, block, tail);
        System.arraycopy(counts, block + 1, counts, block, tail);
        System.arraycopy(firsts, 2 * block + 2, firsts, 2 * block, 2 * tail);
        blocks--;
        pairs[blocks] = sparePairs;
        ordinals[blocks] = spareOrdinals;
        counts[blocks] = 0;
    }

    private void refreshFirst(int block) {
        firsts[2 * block] = pairs[block][0];
        firsts[2 * block + 1] = pairs[block][1];
    }

    // ---- finding ----------------------------------------------------------------------------------

    /**
     * Where {@code node}, filed under {@code key}, is now. {@code hint} is where it was last seen:
     * exact unless other changes shifted it since, most often by one place, so the hint and its
     * neighbours are tried before a search by key. Any hint is safe.
     */
    private int positionOf(NodeRecord node, long key, int hint) {
        int ordinal = node.ordinal;
        int hintBlock = hint >>> OFFSET_BITS;
        if (hint >= 0 && hintBlock < blocks) {
            int offset = hint & OFFSET_MASK;
            int[] blockOrdinals = ordinals[hintBlock];
            for (int at = Math.max(0, offset - 1); at <= offset + 1 && at < counts[hintBlock]; at++) {
                if (blockOrdinals[at] == ordinal) {
                    Invariants.check(pairs[hintBlock][2 * at] == key, "node is not filed under the given key");
                    return cursor(hintBlock, at);
                }
            }
        }
        // Other nodes came and went around it: search by key, starting at the block it was seen in.
        long rank = node.idRank;
        int block = size == 0 ? 0 : blockFor(key, rank, hintBlock);
        int at = size == 0 ? 0 : insertionPoint(pairs[block], key, rank, 0, counts[block]);
        Invariants.check(size > 0 && at < counts[block] && ordinals[block][at] == ordinal && pairs[block][2 * at] == key,
                "node is not filed under the given key");
        return cursor(block, at);
    }

    /** The number of (key, rank) pairs in [from, to) of {@code keyRankPairs} whose key is below {@code key}. */
    private static int keysBelow(long[] keyRankPairs, long key, int from, int to) {
        int low = from;
        int high = to;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (keyRankPairs[2 * mid] < key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The number of entries in [from, to) of one block that order before (key, rank). */
    private static int insertionPoint(long[] blockPairs, long key, long rank, int from, int to) {
        int low = from;
        int high = to;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (compare(blockPairs[2 * mid], blockPairs[2 * mid + 1], key, rank) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private void checkCursor(int cursor) {
        Invariants.check(cursor >= 0 && (cursor >>> OFFSET_BITS) < blocks
                && (cursor & OFFSET_MASK) < counts[cursor >>> OFFSET_BITS], "cursor out of range");
    }

    private static int cursor(int block, int offset) {
        return block << OFFSET_BITS | offset;
    }

    /** The placement order: key, then node id, by rank (ranks are unique and follow node-id order). */
    private static int compare(long keyA, long rankA, long keyB, long rankB) {
        if (keyA != keyB) {
            return keyA < keyB ? -1 : 1;
        }
        return Long.compare(rankA, rankB);
    }
}
