package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class NodeRosterTest {
    private final NodeRoster roster = new NodeRoster();

    @Test
    void ordinalsFollowEnrolmentAndFindTheirNodesPastGrowth() {
        List<NodeRecord> enrolled = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            NodeRecord node = new NodeRecord("n" + i);
            roster.enroll(node);
            enrolled.add(node);
        }
        for (int i = 0; i < enrolled.size(); i++) {
            assertThat(enrolled.get(i).ordinal).isEqualTo(i);
            assertThat(roster.get(i)).isSameAs(enrolled.get(i));
            assertThat(roster.holds(enrolled.get(i))).isTrue();
        }
    }

    @Test
    void aNodeIsEnrolledOnceAndStrangersAreNotHeld() {
        NodeRecord node = new NodeRecord("a");
        assertThat(roster.holds(node)).isFalse();
        roster.enroll(node);
        assertThatThrownBy(() -> roster.enroll(node)).isInstanceOf(Invariants.LedgerInvariantViolation.class);
        NodeRecord other = new NodeRecord("b");
        new NodeRoster().enroll(other); // ordinal 0 elsewhere
        assertThat(roster.holds(other)).isFalse();
    }
}
