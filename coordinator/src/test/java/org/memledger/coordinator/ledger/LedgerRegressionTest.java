package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.ledger.LedgerDriver.GIB;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.memledger.protocol.Ack;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.RemoveNode;
import org.memledger.protocol.Replicas;

/**
 * Bugs the property tests found, each as the smallest command list that showed it, and every seed
 * that ever failed, by number. A seed test runs the whole seed exactly as the property test does.
 */
class LedgerRegressionTest {

    /**
     * Re-placing a deployment after its node was removed checked every placement of the deployment
     * for overcommit, including the ones it already had. A surviving placement on a node whose
     * capacity had shrunk since (legitimately over its capacity, DESIGN §8.1) made the check throw, and
     * an exception in apply stops the replica. Only the newly chosen node must be checked.
     */
    @Test
    void removingANodeKeepsWorkingWhenAnotherPlacementOfTheSameDeploymentShrank() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("a", "z1", 4 * GIB);
        d.plainNode("b", "z1", 4 * GIB);
        d.plainNode("c", "z1", 8 * GIB);
        Admitted admitted = (Admitted) d.admit("d", 3 * GIB, Replicas.of(2));
        assertThat(admitted.placements()).containsExactly("a", "b");
        d.report("b", 2 * GIB, 20 * GIB, 20 * GIB, Map.of()); // b's capacity shrinks below what it holds

        assertThat(d.apply(new RemoveNode("a"))).isEqualTo(new Ack());
        assertThat(d.ledger.views().deployment("d").orElseThrow().placements()).containsExactly("b", "c");
        assertThat(d.view("b").reservedBytes()).isEqualTo(3 * GIB);
        assertThat(d.view("c").reservedBytes()).isEqualTo(3 * GIB);
    }
}
