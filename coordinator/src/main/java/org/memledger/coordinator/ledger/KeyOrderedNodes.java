package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Nodes sorted by (key, node id), held in short sorted blocks of primitive arrays: each entry's key
 * and the node's {@link NodeRecord#idRank} (a number that orders nodes as their ids do, so ties need
 * no string comparison) side by side in one {@code long[]}, and the nodes, as {@link NodeRoster}
 * ordinals with their zone slots, in an {@code int[]}. The ordering behind {@link PlacementIndex}.
 * Keys and ranks share an array because every comparison reads both: one cache line, and one copy
 * per shift instead of two.
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
 * <p><b>Zones.</b> Zone spread needs the best node of each zone. Separate per-zone orderings
 * answered that, but every key change then moved a node in two orderings, and measured on the
 * loaded cell that second move cost more than the zone lookups it served (see docs/benchmarks.md).
 * Instead each block summarises which zone slots it holds (a count per slot and a 64-bit mask),
 * and a segment tree over the block masks finds the next block holding a zone still wanted in
 * O(log blocks): {@link #firstOfDistinctZones} and {@link #kthLargestZoneKey} walk the one
 * ordering and read at most k + 1 blocks. A move inside its block changes no summary; a move
 * between blocks adjusts two counts, and a mask only when a slot appears in or leaves a block.
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

    /**
     * Zone slots a block summarises, one bit each in a {@code long}. {@link PlacementIndex} gives each
     * zone its own slot below {@link #SHARED_SLOT}; zones beyond that many share the last one.
     */
    static final int ZONE_SLOTS = 64;
    static final int SHARED_SLOT = ZONE_SLOTS - 1;
    private static final int SLOT_BITS = 6;
    private static final int SLOT_MASK = ZONE_SLOTS - 1;

    static {
        if (BLOCK_CAPACITY > OFFSET_MASK + 1) {
            throw new ExceptionInInitializerError("block offsets do not fit in a cursor");
        }
    }

    private final NodeRoster roster;
    /** Per block, (key, rank) pairs: entry i's key at 2i, its rank at 2i + 1. */
    private long[][] pairs = new long[INITIAL_BLOCKS][];
    /**
     * Per block, the nodes as {@code ordinal << SLOT_BITS | zone slot} ({@link NodeRecord#ordinal},
     * {@link NodeRecord#zoneSlot}): shifting ints needs no GC write barrier (see {@link NodeRoster}),
     * and a walk over zones reads each entry's zone without touching the node.
     */
    private int[][] packedNodes = new int[INITIAL_BLOCKS][];
    /** Per block, how many of its entries are in each zone slot. */
    private byte[][] slotCounts = new byte[INITIAL_BLOCKS][];
    /** Per block, a bit for each zone slot it holds an entry of. */
    private long[] slotMasks = new long[INITIAL_BLOCKS];
    /**
     * The blocks' slot masks as a segment tree (leaves from {@code tree.length / 2}, each inner node
     * the OR of its two children), so that the next block holding a wanted zone is found in
     * O(log blocks). Kept current while blocks only change content; rebuilt lazily after blocks are
     * added, dropped or grown, which shift every leaf after them.
     */
    private long[] tree = new long[0];
    private boolean treeStale = true;
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
        return roster.get(packedNodes[cursor >>> OFFSET_BITS][cursor & OFFSET_MASK] >>> SLOT_BITS);
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

    // ---- reading across zones --------------------------------------------------------------------

    /**
     * Best fit in distinct zones: walking up from the first entry with key &ge; {@code minKey}, the
     * first node of each zone, skipping the zones of {@code exclude}, until {@code k} are found
     * (fewer if there are not enough zones). These are exactly the k best of each zone's best fit.
     *
     * <p>{@code wanted} has the slots of the zones that may still be chosen ({@link PlacementIndex}
     * clears the slots of {@code exclude}'s zones). A block with no wanted slot is skipped through the
     * segment tree, and every block walked after the first adds a zone (zones in their own slots),
     * so a walk reads at most k + 1 blocks: O(k log n). Zones sharing {@link #SHARED_SLOT} are told
     * apart by name, and with more zones than slots a walk may read more blocks.
     */
    List<NodeRecord> firstOfDistinctZones(long minKey, int k, NodeRecord[] exclude, long wanted) {
        List<NodeRecord> chosen = new ArrayList<>(k);
        int start = k < 1 ? END : ceiling(minKey);
        if (start == END) {
            return chosen;
        }
        long want = wanted;
        int block = start >>> OFFSET_BITS;
        int offset = start & OFFSET_MASK;
        while (true) {
            int[] blockNodes = packedNodes[block];
            for (int i = offset; i < counts[block]; i++) {
                int entry = blockNodes[i];
                if ((want & (1L << (entry & SLOT_MASK))) != 0) {
                    NodeRecord node = roster.get(entry >>> SLOT_BITS);
                    if (!sharesZone(node, chosen) && !sharesZone(node, exclude)) {
                        chosen.add(node);
                        if (chosen.size() == k) {
                            return chosen;
                        }
                        want &= ~ownSlotBit(node.zoneSlot);
                    }
                }
            }
            block = nearestBlock(block + 1, want, true);
            if (block < 0) {
                return chosen;
            }
            offset = 0;
        }
    }

    /**
     * Among the zones' largest keys, the k-th largest (k &ge; 1), or Long.MIN_VALUE when fewer than
     * k zones are filed: walking down from the largest entry, the key of the k-th distinct zone met.
     * Each zone's first entry on the way down is its largest, so this is exact; the walk skips blocks
     * as {@link #firstOfDistinctZones} does, O(k log n).
     */
    long kthLargestZoneKey(int k) {
        if (k < 1 || size == 0) {
            return Long.MIN_VALUE;
        }
        List<NodeRecord> seen = new ArrayList<>(k);
        long want = -1L;
        int block = blocks - 1;
        while (block >= 0) {
            int[] blockNodes = packedNodes[block];
            for (int i = counts[block] - 1; i >= 0; i--) {
                int entry = blockNodes[i];
                if ((want & (1L << (entry & SLOT_MASK))) != 0) {
                    NodeRecord node = roster.get(entry >>> SLOT_BITS);
                    if (!sharesZone(node, seen)) {
                        seen.add(node);
                        if (seen.size() == k) {
                            return pairs[block][2 * i];
                        }
                        want &= ~ownSlotBit(node.zoneSlot);
                    }
                }
            }
            block = nearestBlock(block - 1, want, false);
        }
        return Long.MIN_VALUE;
    }

    private static boolean sharesZone(NodeRecord node, List<NodeRecord> others) {
        for (int i = 0; i < others.size(); i++) {
            if (others.get(i).zone.equals(node.zone)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sharesZone(NodeRecord node, NodeRecord[] others) {
        for (NodeRecord other : others) {
            if (other.zone.equals(node.zone)) {
                return true;
            }
        }
        return false;
    }

    /** The slot's bit if one zone owns it; none for the shared slot, which other zones may still need. */
    static long ownSlotBit(int slot) {
        return slot == SHARED_SLOT ? 0 : 1L << slot;
    }

    // ---- changes ----------------------------------------------------------------------------------

    /** Files {@code node} under {@code key}; returns its cursor, a hint for the next {@link #move} or {@link #remove}. */
    int add(NodeRecord node, long key) {
        Invariants.check(roster.holds(node), "node filed before it was enrolled in the roster");
        Invariants.check(node.ordinal < 1 << (Integer.SIZE - 1 - SLOT_BITS) && node.zoneSlot >= 0 && node.zoneSlot < ZONE_SLOTS,
                "node ordinal or zone slot out of range");
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
                return moveWithin(block, from, to, newKey, rank, packed(node));
            }
        } else {
            int to = insertionPoint(blockPairs, newKey, rank, 0, from);
            if (to > 0 || block == 0 || isAfterLastOf(block - 1, newKey, rank)) {
                return moveWithin(block, from, to, newKey, rank, packed(node));
            }
        }
        // Leaving the block: the new one is usually a few blocks away, so search outward from here.
        takeOut(block, from);
        return insert(node, newKey, rank, blockFor(newKey, rank, block));
    }

    /** Moves the entry at {@code from} to {@code to} in one block, shifting those between; returns its cursor. */
    private int moveWithin(int block, int from, int to, long key, long rank, int entry) {
        long[] blockPairs = pairs[block];
        int[] blockNodes = packedNodes[block];
        if (to > from) {
            System.arraycopy(blockPairs, 2 * from + 2, blockPairs, 2 * from, 2 * (to - from));
            System.arraycopy(blockNodes, from + 1, blockNodes, from, to - from);
        } else {
            System.arraycopy(blockPairs, 2 * to, blockPairs, 2 * to + 2, 2 * (from - to));
            System.arraycopy(blockNodes, to, blockNodes, to + 1, from - to);
        }
        blockPairs[2 * to] = key;
        blockPairs[2 * to + 1] = rank;
        blockNodes[to] = entry;
        if (Math.min(from, to) == 0) {
            refreshFirst(block);
        }
        return cursor(block, to);
    }

    /** Node ids were re-ranked (a node registered): copy the new ranks in. Order is unchanged. O(n). */
    void refreshRanks() {
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < counts[b]; i++) {
                pairs[b][2 * i + 1] = roster.get(packedNodes[b][i] >>> SLOT_BITS).idRank;
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
            if (counts[b] < 1 || counts[b] > BLOCK_CAPACITY || firsts[2 * b] != pairs[b][0] || firsts[2 * b + 1] != pairs[b][1]
                    || !summaryMatches(b)) {
                return false;
            }
            for (int i = 0; i < counts[b]; i++) {
                NodeRecord node = roster.get(packedNodes[b][i] >>> SLOT_BITS);
                long key = pairs[b][2 * i];
                long rank = pairs[b][2 * i + 1];
                if (node == null || node.indexKey != key || node.idRank != rank || packedNodes[b][i] != packed(node)) {
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
        return seen == size && treeMatches();
    }

    /** Does the block's zone summary (counts and mask) match its entries? */
    private boolean summaryMatches(int block) {
        byte[] expected = new byte[ZONE_SLOTS];
        long mask = 0;
        for (int i = 0; i < counts[block]; i++) {
            int slot = packedNodes[block][i] & SLOT_MASK;
            expected[slot]++;
            mask |= 1L << slot;
        }
        return Arrays.equals(expected, slotCounts[block]) && mask == slotMasks[block];
    }

    /** Is the segment tree, unless due for a rebuild, exactly the blocks' masks and their ORs? */
    private boolean treeMatches() {
        if (treeStale) {
            return true;
        }
        int leaves = tree.length / 2;
        for (int i = 1; i < tree.length; i++) {
            long expected = i >= leaves ? (i - leaves < blocks ? slotMasks[i - leaves] : 0) : tree[2 * i] | tree[2 * i + 1];
            if (tree[i] != expected) {
                return false;
            }
        }
        return leaves >= blocks;
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
        int[] blockNodes = packedNodes[block];
        int at = insertionPoint(blockPairs, key, rank, 0, count);
        System.arraycopy(blockPairs, 2 * at, blockPairs, 2 * at + 2, 2 * (count - at));
        System.arraycopy(blockNodes, at, blockNodes, at + 1, count - at);
        blockPairs[2 * at] = key;
        blockPairs[2 * at + 1] = rank;
        blockNodes[at] = packed(node);
        counts[block] = count + 1;
        countIn(block, node.zoneSlot);
        if (at == 0) {
            refreshFirst(block);
        }
        return cursor(block, at);
    }

    /** Removes the entry at (block, offset), dropping or merging the block if it got too small. Size is the caller's. */
    private void takeOut(int block, int offset) {
        countOut(block, packedNodes[block][offset] & SLOT_MASK);
        int tail = counts[block] - offset - 1;
        System.arraycopy(pairs[block], 2 * offset + 2, pairs[block], 2 * offset, 2 * tail);
        System.arraycopy(packedNodes[block], offset + 1, packedNodes[block], offset, tail);
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
        System.arraycopy(packedNodes[block], half, packedNodes[block + 1], 0, moved);
        counts[block] = half;
        counts[block + 1] = moved;
        refreshFirst(block + 1);
        recount(block);
        recount(block + 1);
    }

    /** Appends block {@code block}'s entries to the block before it and drops it. */
    private void mergeIntoPrevious(int block) {
        int into = block - 1;
        int count = counts[block];
        System.arraycopy(pairs[block], 0, pairs[into], 2 * counts[into], 2 * count);
        System.arraycopy(packedNodes[block], 0, packedNodes[into], counts[into], count);
        counts[into] += count;
        counts[block] = 0;
        recount(into);
        recount(block);
        deleteBlock(block);
    }

    /** Opens an empty block at {@code block}, shifting later blocks right; reuses a dropped block's arrays if any. */
    private void insertBlock(int block) {
        if (blocks == counts.length) {
            int capacity = blocks * 2;
            pairs = Arrays.copyOf(pairs, capacity);
            packedNodes = Arrays.copyOf(packedNodes, capacity);
            counts = Arrays.copyOf(counts, capacity);
            firsts = Arrays.copyOf(firsts, 2 * capacity);
            slotCounts = Arrays.copyOf(slotCounts, capacity);
            slotMasks = Arrays.copyOf(slotMasks, capacity);
        }
        // The slot past the last block keeps the arrays of the block dropped last, if any: reuse them.
        long[] sparePairs = pairs[blocks] != null ? pairs[blocks] : new long[2 * BLOCK_CAPACITY];
        int[] spareNodes = packedNodes[blocks] != null ? packedNodes[blocks] : new int[BLOCK_CAPACITY];
        byte[] spareSlotCounts = slotCounts[blocks] != null ? slotCounts[blocks] : new byte[ZONE_SLOTS];
        int tail = blocks - block;
        System.arraycopy(pairs, block, pairs, block + 1, tail);
        System.arraycopy(packedNodes, block, packedNodes, block + 1, tail);
        System.arraycopy(counts, block, counts, block + 1, tail);
        System.arraycopy(firsts, 2 * block, firsts, 2 * block + 2, 2 * tail);
        System.arraycopy(slotCounts, block, slotCounts, block + 1, tail);
        System.arraycopy(slotMasks, block, slotMasks, block + 1, tail);
        pairs[block] = sparePairs;
        packedNodes[block] = spareNodes;
        slotCounts[block] = spareSlotCounts;
        slotMasks[block] = 0;
        counts[block] = 0;
        blocks++;
        treeStale = true;
    }

    /** Drops the empty block {@code block}, keeping its arrays past the last block for the next split. */
    private void deleteBlock(int block) {
        Invariants.check(counts[block] == 0 && slotMasks[block] == 0, "dropping a block that still holds nodes");
        long[] sparePairs = pairs[block];
        int[] spareNodes = packedNodes[block];
        byte[] spareSlotCounts = slotCounts[block];
        int tail = blocks - block - 1;
        System.arraycopy(pairs, block + 1, pairs, block, tail);
        System.arraycopy(packedNodes, block + 1, packedNodes, block, tail);
        System.arraycopy(counts, block + 1, counts, block, tail);
        System.arraycopy(firsts, 2 * block + 2, firsts, 2 * block, 2 * tail);
        System.arraycopy(slotCounts, block + 1, slotCounts, block, tail);
        System.arraycopy(slotMasks, block + 1, slotMasks, block, tail);
        blocks--;
        pairs[blocks] = sparePairs;
        packedNodes[blocks] = spareNodes;
        slotCounts[blocks] = spareSlotCounts;
        slotMasks[blocks] = 0;
        counts[blocks] = 0;
        treeStale = true;
    }

    // ---- zone summaries ---------------------------------------------------------------------------

    private void countIn(int block, int slot) {
        if (slotCounts[block][slot]++ == 0) {
            setMask(block, slotMasks[block] | 1L << slot);
        }
    }

    private void countOut(int block, int slot) {
        if (--slotCounts[block][slot] == 0) {
            setMask(block, slotMasks[block] & ~(1L << slot));
        }
    }

    /** Rebuilds a block's zone summary from its entries, after a split or merge moved many at once. */
    private void recount(int block) {
        byte[] tally = slotCounts[block];
        Arrays.fill(tally, (byte) 0);
        long mask = 0;
        int[] blockNodes = packedNodes[block];
        for (int i = 0; i < counts[block]; i++) {
            int slot = blockNodes[i] & SLOT_MASK;
            tally[slot]++;
            mask |= 1L << slot;
        }
        setMask(block, mask);
    }

    private void setMask(int block, long mask) {
        slotMasks[block] = mask;
        if (!treeStale) {
            int at = tree.length / 2 + block;
            tree[at] = mask;
            for (at >>>= 1; at > 0; at >>>= 1) {
                tree[at] = tree[2 * at] | tree[2 * at + 1];
            }
        }
    }

    private void rebuildTree() {
        int leaves = Integer.highestOneBit(Math.max(1, counts.length - 1)) << 1;
        if (tree.length != 2 * leaves) {
            tree = new long[2 * leaves];
        }
        System.arraycopy(slotMasks, 0, tree, leaves, blocks);
        Arrays.fill(tree, leaves + blocks, 2 * leaves, 0);
        for (int at = leaves - 1; at > 0; at--) {
            tree[at] = tree[2 * at] | tree[2 * at + 1];
        }
        treeStale = false;
    }

    /**
     * The nearest block to {@code from}, itself included, going up (or down) the ordering, that holds
     * a slot of {@code want}; -1 if none does. Climbs the segment tree until a subtree on that side
     * holds one, then descends into it, keeping to the side nearer {@code from}: O(log blocks).
     */
    private int nearestBlock(int from, long want, boolean up) {
        if (from < 0 || from >= blocks || want == 0) {
            return -1;
        }
        if (treeStale) {
            rebuildTree();
        }
        int leaves = tree.length / 2;
        int farSide = up ? 1 : 0; // a right child has nothing further up beside it, a left child nothing further down
        int at = leaves + from;
        while ((tree[at] & want) == 0) {
            while ((at & 1) == farSide && at > 1) {
                at >>>= 1;
            }
            if (at == 1) {
                return -1;
            }
            at += up ? 1 : -1;
        }
        while (at < leaves) {
            int near = 2 * at + (1 - farSide);
            at = (tree[near] & want) != 0 ? near : near ^ 1;
        }
        return at - leaves;
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
        int entry = packed(node);
        int hintBlock = hint >>> OFFSET_BITS;
        if (hint >= 0 && hintBlock < blocks) {
            int offset = hint & OFFSET_MASK;
            int[] blockNodes = packedNodes[hintBlock];
            for (int at = Math.max(0, offset - 1); at <= offset + 1 && at < counts[hintBlock]; at++) {
                if (blockNodes[at] == entry) {
                    Invariants.check(pairs[hintBlock][2 * at] == key, "node is not filed under the given key");
                    return cursor(hintBlock, at);
                }
            }
        }
        // Other nodes came and went around it: search by key, starting at the block it was seen in.
        long rank = node.idRank;
        int block = size == 0 ? 0 : blockFor(key, rank, hintBlock);
        int at = size == 0 ? 0 : insertionPoint(pairs[block], key, rank, 0, counts[block]);
        Invariants.check(size > 0 && at < counts[block] && packedNodes[block][at] == entry && pairs[block][2 * at] == key,
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

    /** A node's entry in {@link #packedNodes}: its roster ordinal and zone slot. */
    private static int packed(NodeRecord node) {
        return node.ordinal << SLOT_BITS | node.zoneSlot;
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
