package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Best fit of one node answers with the node's shared one-element list, and a one-node deployment's
 * placement ids are its node's shared id list: both must be the same answers the general paths give.
 */
class SolePlacementListsTest {
    private final NodeRoster roster = new NodeRoster();
    private final PlacementIndex index = new PlacementIndex(roster);
    private long rank;

    private NodeRecord file(String id, String zone, long key) {
        NodeRecord node = new NodeRecord(id);
        roster.enroll(node);
        rank += 1L << 32; // ids are filed in id order here, so ranks follow it
        node.idRank = rank;
        node.zone = zone;
        index.add(node, key);
        return node;
    }

    /** What bestFit(k) gives for k = 2, cut to one: the general path the k = 1 shortcut must match. */
    private List<NodeRecord> generalFirst(long minKey, NodeRecord[] exclude) {
        List<NodeRecord> two = index.bestFit(minKey, 2, exclude);
        return two.isEmpty() ? List.of() : List.of(two.get(0));
    }

    @Test
    void bestFitOfOneIsTheSmallestFittingNodeAsItsOwnSharedList() {
        NodeRecord a = file("a", "z1", 10);
        NodeRecord b = file("b", "z1", 20);
        NodeRecord c = file("c", "z2", 20);
        file("d", "z2", 30);

        assertThat(index.bestFit(15, 1, DeploymentRecord.NO_NODES)).isSameAs(b.sole).containsExactly(b);
        assertThat(index.bestFit(Long.MIN_VALUE, 1, DeploymentRecord.NO_NODES)).isSameAs(a.sole);
        assertThat(index.bestFit(15, 1, new NodeRecord[] {b})).isSameAs(c.sole);
        assertThat(index.bestFit(31, 1, DeploymentRecord.NO_NODES)).isEmpty();
        for (long key : new long[] {Long.MIN_VALUE, 0, 10, 11, 20, 21, 30, 31, Long.MAX_VALUE}) {
            for (NodeRecord[] exclude : List.of(DeploymentRecord.NO_NODES, new NodeRecord[] {a}, new NodeRecord[] {b, c})) {
                assertThat(index.bestFit(key, 1, exclude)).isEqualTo(generalFirst(key, exclude));
            }
        }
    }

    @Test
    void sharedListsHoldTheNodeAloneAndCannotBeChanged() {
        NodeRecord node = new NodeRecord("n1");
        assertThat(node.sole).containsExactly(node);
        assertThat(node.soleIds).containsExactly("n1");
        assertThatThrownBy(() -> node.soleIds.add("n2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> node.sole.set(0, new NodeRecord("n2")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void placementIdsAreTheNodeIdsInPlacementOrderWhateverTheCount() {
        NodeRecord a = new NodeRecord("a");
        NodeRecord b = new NodeRecord("b");
        NodeRecord c = new NodeRecord("c");
        DeploymentRecord one = deployment();
        one.placeAlone(b);
        assertThat(Admission.placementIds(one)).isSameAs(b.soleIds).containsExactly("b");

        DeploymentRecord three = deployment();
        three.place(new NodeRecord[] {c, a, b});
        assertThat(Admission.placementIds(three)).containsExactly("c", "a", "b");

        DeploymentRecord none = deployment();
        assertThat(Admission.placementIds(none)).isEmpty();
        List<String> copy = new ArrayList<>(Admission.placementIds(one));
        assertThat(copy).isEqualTo(Admission.placementIds(one));
    }

    private static DeploymentRecord deployment() {
        return new DeploymentRecord("d", new OwnerRecord("o"), 1, 1, 1, 1, false, 0, 0, 1, 0, 1);
    }
}
