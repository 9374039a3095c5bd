package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class KeyOrderedNodesTest {
    /** The placement order by its definition (key, then node id string), for the models the orderings are checked against. */
    static final Comparator<NodeRecord> BY_KEY_THEN_ID = (a, b) -> {
        int byKey = Long.compare(a.indexKey, b.indexKey);
        return byKey != 0 ? byKey : a.nodeId.compareTo(b.nodeId);
    };

    private final NodeRoster roster = new NodeRoster();
    private final KeyOrderedNodes ordered = new KeyOrderedNodes(roster);
    /** Every node this test made, by id: ranked the way NodeBook ranks them (id order). */
    private final TreeMap<String, NodeRecord> registered = new TreeMap<>();

    @Test
    void keepsKeyThenNodeIdOrder() {
        file("c", 5);
        file("a", 7);
        file("b", 5);
        file("d", -3);
        assertThat(ids()).containsExactly("d", "b", "c", "a");
        assertThat(ordered.isOrdered()).isTrue();
    }

    @Test
    void equalKeysAreOrderedByNodeIdAndEachCanBeFoundAndMoved() {
        List<NodeRecord> same = new ArrayList<>();
        for (int i = 99; i >= 0; i--) {
            same.add(file(String.format("n%03d", i), 42));
        }
        assertThat(ids().get(0)).isEqualTo("n000");
        assertThat(ids().get(99)).isEqualTo("n099");
        NodeRecord middle = same.get(50); // n049
        move(middle, 42); // same key: stays put
        assertThat(ids().get(49)).isEqualTo("n049");
        move(middle, 41);
        assertThat(ids().get(0)).isEqualTo("n049");
        move(middle, 42);
        assertThat(ids().get(49)).isEqualTo("n049");
        move(same.get(0), 43); // n099 was already last; still last
        assertThat(ids().get(99)).isEqualTo("n099");
        assertThat(ordered.isOrdered()).isTrue();
    }

    @Test
    void movesToBothEndsAndBack() {
        NodeRecord[] nodes = new NodeRecord[10];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = file("n" + i, i * 10L);
        }
        move(nodes[4], Long.MAX_VALUE);
        assertThat(ordered.inOrder().get(9)).isSameAs(nodes[4]);
        move(nodes[4], Long.MIN_VALUE);
        assertThat(ordered.inOrder().get(0)).isSameAs(nodes[4]);
        move(nodes[9], -1);
        assertThat(ordered.inOrder().get(1)).isSameAs(nodes[9]);
        move(nodes[0], 1_000);
        assertThat(ordered.inOrder().get(9)).isSameAs(nodes[0]);
        assertThat(ids()).containsExactly("n4", "n9", "n1", "n2", "n3", "n5", "n6", "n7", "n8", "n0");
        assertThat(ordered.isOrdered()).isTrue();
    }

    @Test
    void removesFirstLastAndMiddleAndCanEmpty() {
        NodeRecord a = file("a", 1);
        NodeRecord b = file("b", 2);
        NodeRecord c = file("c", 3);
        NodeRecord d = file("d", 4);
        ordered.remove(d, 4, d.indexPosition);
        ordered.remove(a, 1, a.indexPosition);
        assertThat(ids()).containsExactly("b", "c");
        ordered.remove(b, 2, b.indexPosition); // stale by one: a's removal shifted b
        ordered.remove(c, 3, 99);
        assertThat(ordered.isEmpty()).isTrue();
        assertThat(ordered.ceiling(Long.MIN_VALUE)).isEqualTo(KeyOrderedNodes.END);
        file("a", 1);
        assertThat(ids()).containsExactly("a");
    }

    @Test
    void ceilingIsTheFirstPositionWithAKeyAtLeastTheBound() {
        file("a", 10);
        file("b", 10);
        file("c", 20);
        assertThat(idsFrom(Long.MIN_VALUE)).containsExactly("a", "b", "c");
        assertThat(idsFrom(10)).containsExactly("a", "b", "c");
        assertThat(idsFrom(11)).containsExactly("c");
        assertThat(idsFrom(20)).containsExactly("c");
        assertThat(ordered.ceiling(21)).isEqualTo(KeyOrderedNodes.END);
        assertThat(ordered.ceiling(Long.MAX_VALUE)).isEqualTo(KeyOrderedNodes.END);
        assertThat(ordered.kthLargestKey(1)).isEqualTo(20);
        assertThat(ordered.kthLargestKey(3)).isEqualTo(10);
        assertThat(ordered.kthLargestKey(4)).isEqualTo(Long.MIN_VALUE);
    }

    /** Enough nodes for many blocks: every bound's ceiling, every k-th largest key, against a sorted list. */
    @Test
    void ceilingAndKthLargestAcrossManyBlocks() {
        List<Long> sortedKeys = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 500; i++) {
            long key = random.nextInt(300);
            file(String.format("n%03d", i), key);
            sortedKeys.add(key);
        }
        sortedKeys.sort(null);
        assertThat(ordered.isOrdered()).isTrue();
        for (long bound = -1; bound <= 301; bound++) {
            int expected = 0;
            while (expected < sortedKeys.size() && sortedKeys.get(expected) < bound) {
                expected++;
            }
            List<NodeRecord> from = new ArrayList<>();
            for (int at = ordered.ceiling(bound); at != KeyOrderedNodes.END; at = ordered.next(at)) {
                from.add(ordered.nodeAt(at));
            }
            assertThat(from).as("bound %d", bound).isEqualTo(ordered.inOrder().subList(expected, 500));
        }
        for (int k = 1; k <= 500; k++) {
            assertThat(ordered.kthLargestKey(k)).as("k %d", k).isEqualTo(sortedKeys.get(500 - k));
        }
    }

    private List<String> idsFrom(long bound) {
        List<String> ids = new ArrayList<>();
        for (int at = ordered.ceiling(bound); at != KeyOrderedNodes.END; at = ordered.next(at)) {
            ids.add(ordered.nodeAt(at).nodeId);
        }
        return ids;
    }

    @Test
    void refusesANodeFiledUnderAnotherKey() {
        NodeRecord a = file("a", 10);
        file("b", 10);
        for (int hint : new int[] {-1, 0, 1, 2, 7}) {
            assertThatThrownBy(() -> ordered.remove(a, 11, hint)).isInstanceOf(Invariants.LedgerInvariantViolation.class);
            assertThatThrownBy(() -> ordered.move(a, 9, 12, hint)).isInstanceOf(Invariants.LedgerInvariantViolation.class);
            assertThatThrownBy(() -> ordered.remove(node("z" + hint), 10, hint))
                    .isInstanceOf(Invariants.LedgerInvariantViolation.class);
        }
    }

    /** A hint only speeds the search up: exact, a few places off, far off or out of range, the node is found. */
    @Test
    void findsANodeFromAnyHint() {
        List<NodeRecord> nodes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            nodes.add(file(String.format("n%03d", i), i / 3)); // ties of three
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 2_000; round++) {
            NodeRecord node = nodes.get(random.nextInt(nodes.size()));
            int hint = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(-10, 0);
                case 1 -> random.nextInt(Integer.MAX_VALUE);
                case 2 -> random.nextInt(1 << 12);
                default -> node.indexPosition + random.nextInt(-3, 4);
            };
            long key = node.indexKey + random.nextInt(-2, 3);
            int at = ordered.move(node, node.indexKey, key, hint);
            node.indexKey = key;
            node.indexPosition = at;
            assertThat(ordered.nodeAt(at)).isSameAs(node);
        }
        assertThat(ordered.isOrdered()).isTrue();
        NodeRecord gone = nodes.get(100);
        ordered.remove(gone, gone.indexKey, -1);
        assertThat(ordered.size()).isEqualTo(199);
        assertThat(ordered.isOrdered()).isTrue();
    }

    /**
     * Random adds, removes and moves, mostly small, over few distinct keys (many ties), against a
     * TreeSet; enough nodes for many blocks, so moves leave their block in both directions.
     */
    @Test
    void agreesWithATreeSetUnderRandomChurn() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            NodeRoster seedRoster = new NodeRoster();
            KeyOrderedNodes subject = new KeyOrderedNodes(seedRoster);
            TreeSet<NodeRecord> model = new TreeSet<>(BY_KEY_THEN_ID);
            List<NodeRecord> filed = new ArrayList<>();
            List<NodeRecord> unfiled = new ArrayList<>();
            TreeMap<String, NodeRecord> byId = new TreeMap<>();
            int nodes = 300 + 50 * (int) seed; // 350 to 1,300: a handful to a few dozen blocks
            for (int i = 0; i < nodes; i++) {
                NodeRecord node = new NodeRecord("node-" + random.nextInt(1_000_000) + "-" + i);
                seedRoster.enroll(node);
                byId.put(node.nodeId, node);
                unfiled.add(node);
            }
            rankInIdOrder(byId);
            for (int step = 0; step < 5_000; step++) {
                int op = random.nextInt(10);
                if ((op < 2 || filed.isEmpty()) && !unfiled.isEmpty()) {
                    NodeRecord node = unfiled.remove(random.nextInt(unfiled.size()));
                    node.indexKey = random.nextInt(50);
                    node.indexPosition = subject.add(node, node.indexKey);
                    assertThat(subject.nodeAt(node.indexPosition)).isSameAs(node);
                    model.add(node);
                    filed.add(node);
                } else if (op < 3 && !filed.isEmpty()) {
                    NodeRecord node = filed.remove(random.nextInt(filed.size()));
                    model.remove(node);
                    subject.remove(node, node.indexKey, hint(random, node, subject));
                    unfiled.add(node);
                } else if (!filed.isEmpty()) {
                    NodeRecord node = filed.get(random.nextInt(filed.size()));
                    model.remove(node);
                    long key = random.nextInt(8) == 0 ? random.nextLong() : node.indexKey + random.nextInt(7) - 3;
                    node.indexPosition = subject.move(node, node.indexKey, key, hint(random, node, subject));
                    node.indexKey = key;
                    assertThat(subject.nodeAt(node.indexPosition)).isSameAs(node);
                    model.add(node);
                }
                assertThat(subject.size()).isEqualTo(model.size());
                if (step % 97 == 0) {
                    assertSameOrder(subject, model, seed);
                }
            }
            assertSameOrder(subject, model, seed);
        }
    }

    /** Mostly the position the node was last seen at (stale after others moved), sometimes anything at all. */
    private static int hint(SplittableRandom random, NodeRecord node, KeyOrderedNodes subject) {
        return random.nextInt(5) == 0 ? random.nextInt(-2, 1 << 16) : node.indexPosition;
    }

    private static void assertSameOrder(KeyOrderedNodes subject, TreeSet<NodeRecord> model, long seed) {
        assertThat(subject.inOrder()).as("seed %d", seed).containsExactlyElementsOf(model);
        assertThat(subject.isOrdered()).as("seed %d", seed).isTrue();
    }

    @Test
    void refusesANodeThatIsNotEnrolled() {
        NodeRecord stranger = new NodeRecord("stranger");
        stranger.idRank = 1;
        assertThatThrownBy(() -> ordered.add(stranger, 1)).isInstanceOf(Invariants.LedgerInvariantViolation.class);
        NodeRecord elsewhere = new NodeRecord("elsewhere");
        new NodeRoster().enroll(elsewhere); // ordinal 0 there, and 0 here belongs to someone else
        file("a", 1);
        assertThatThrownBy(() -> ordered.add(elsewhere, 1)).isInstanceOf(Invariants.LedgerInvariantViolation.class);
    }

    @Test
    void rerankingKeepsTheOrderAndTiesStillFollowNodeIds() {
        file("b", 5);
        file("d", 5);
        file("c", 5); // ranks everyone again: c now sits between b and d
        file("a", 5);
        assertThat(ids()).containsExactly("a", "b", "c", "d");
        assertThat(ordered.isOrdered()).isTrue();
    }

    /** Gives every node made so far a rank in id order and refreshes the filed copies, as NodeBook does. */
    private NodeRecord node(String id) {
        NodeRecord node = new NodeRecord(id);
        roster.enroll(node);
        registered.put(id, node);
        rankInIdOrder(registered);
        ordered.refreshRanks();
        return node;
    }

    private static void rankInIdOrder(TreeMap<String, NodeRecord> byId) {
        long rank = 0;
        for (NodeRecord node : byId.values()) {
            node.idRank = rank += 10;
        }
    }

    private NodeRecord file(String id, long key) {
        NodeRecord node = node(id);
        node.indexKey = key;
        node.indexPosition = ordered.add(node, key);
        return node;
    }

    private void move(NodeRecord node, long key) {
        node.indexPosition = ordered.move(node, node.indexKey, key, node.indexPosition);
        node.indexKey = key;
    }

    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (NodeRecord node : ordered.inOrder()) {
            ids.add(node.nodeId);
        }
        return ids;
    }
}
