package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.ledger.LedgerDriver.GIB;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.memledger.protocol.Policy;

/** NodeBook's id ranks: the placement orderings break key ties by them, so they must follow id order exactly. */
class NodeRankTest {

    @Test
    void ranksFollowIdOrderWhateverTheRegistrationOrder() {
        NodeBook book = new NodeBook(Policy.defaults());
        for (String id : List.of("m", "c", "x", "a", "n", "b", "z", "y")) {
            book.register(id);
        }
        assertRanksFollowIds(book);
    }

    /** "a1", "a01", "a001", ... each sorts just after "a" and before the previous one: gaps halve until a renumber. */
    @Test
    void insertingAgainAndAgainIntoOneGapRenumbersAndStaysOrdered() {
        NodeBook book = new NodeBook(Policy.defaults());
        book.register("a");
        book.register("b");
        String id = "a1";
        for (int i = 0; i < 80; i++) {
            book.register(id);
            id = "a0" + id.substring(1);
        }
        assertRanksFollowIds(book);
    }

    /** Equal keys everywhere, nodes registered out of id order between reports: the audit checks ties follow ids. */
    @Test
    void equalKeyNodesRegisteredOutOfOrderStayFiledInIdOrder() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        String id = "n1";
        for (int i = 0; i < 40; i++) {
            d.plainNode(id, "z" + (i % 3), 4 * GIB); // apply() audits the books, ties included
            id = "n0" + id.substring(1);
        }
        d.plainNode("n2", "z0", 4 * GIB);
        d.admit("d1", GIB);
        String smallestId = "n" + "0".repeat(39) + "1"; // best fit among equal keys: the smallest id
        assertThat(d.view(smallestId).reservedBytes()).isEqualTo(GIB);
        assertThat(d.view("n2").reservedBytes()).isZero();
    }

    private static void assertRanksFollowIds(NodeBook book) {
        List<NodeRecord> nodes = new ArrayList<>(book.all());
        for (int i = 1; i < nodes.size(); i++) {
            assertThat(nodes.get(i).idRank).as(nodes.get(i).nodeId).isGreaterThan(nodes.get(i - 1).idRank);
        }
    }
}
