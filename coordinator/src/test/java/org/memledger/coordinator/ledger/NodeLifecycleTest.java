package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.ledger.LedgerDriver.GIB;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.DeploymentStatus;
import org.memledger.protocol.DrainNode;
import org.memledger.protocol.ErrorCode;
import org.memledger.protocol.Invalid;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.NodeState;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.RejectReason;
import org.memledger.protocol.RemoveNode;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.Tick;

class NodeLifecycleTest {

    @Test
    void silentNodeGoesDownAfterTheHeartbeatTimeoutAndComesBackOnReport() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("n1", "z1", 4 * GIB);
        d.advance(d.ledger.policy().heartbeatTimeoutMillis() - 1);
        d.tick();
        assertThat(d.view("n1").state()).isEqualTo(NodeState.ACTIVE);
        d.advance(1);
        d.tick();
        assertThat(d.view("n1").state()).isEqualTo(NodeState.DOWN);
        assertThat(AdmissionRulesTest.reason(d.admit("d1", GIB))).isEqualTo(RejectReason.NO_ELIGIBLE_NODES);
        d.report("n1", 4 * GIB, 40 * GIB, 40 * GIB, Map.of());
        assertThat(d.view("n1").state()).isEqualTo(NodeState.ACTIVE);
        assertThat(d.admit("d1", GIB)).isInstanceOf(Admitted.class);
    }

    @Test
    void ledgerTimeNeverGoesBackwards() {
        Ledger ledger = new Ledger();
        ledger.apply(1, new LogEntry(5_000, new Tick()));
        ledger.apply(2, new LogEntry(4_000, new Tick())); // a new leader with a slow clock
        assertThat(ledger.nowMillis()).isEqualTo(5_000);
        ledger.apply(3, new LogEntry(6_000, new Tick()));
        assertThat(ledger.nowMillis()).isEqualTo(6_000);
    }

    @Test
    void drainingNodeKeepsItsDeploymentsButAdmitsNothing() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("n1", "z1", 4 * GIB);
        d.admit("d1", GIB);
        d.apply(new DrainNode("n1"));
        assertThat(d.view("n1").state()).isEqualTo(NodeState.DRAINING);
        assertThat(d.view("n1").reservedBytes()).isEqualTo(GIB);
        assertThat(d.view("n1").admissibleBytes()).isZero();
        assertThat(AdmissionRulesTest.reason(d.admit("d2", GIB))).isEqualTo(RejectReason.NO_ELIGIBLE_NODES);
    }

    @Test
    void removedNodeIsEjectedAndItsDeploymentsArePlacedElsewhereOrDisplaced() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("a", "z1", 4 * GIB);
        d.plainNode("b", "z1", 5 * GIB);
        d.admit("d1", 3 * GIB); // a
        d.admit("d2", GIB);     // a
        d.admit("d3", 5 * GIB); // b
        d.apply(new DrainNode("b"));
        d.apply(new RemoveNode("a"));
        assertThat(d.view("a").state()).isEqualTo(NodeState.EJECTED);
        assertThat(d.ledger.views().deployment("d1").orElseThrow().status()).isEqualTo(DeploymentStatus.DISPLACED);
        assertThat(d.ledger.views().deployment("d1").orElseThrow().placements()).isEmpty();

        LedgerDriver e = new LedgerDriver(LedgerDriver.noHeadroom());
        e.plainNode("a", "z1", 4 * GIB);
        e.plainNode("b", "z1", 5 * GIB);
        e.admit("d1", 3 * GIB);
        e.admit("d2", GIB);
        e.apply(new RemoveNode("a"));
        assertThat(e.ledger.views().deployment("d1").orElseThrow().placements()).containsExactly("b");
        assertThat(e.ledger.views().deployment("d2").orElseThrow().placements()).containsExactly("b");
        assertThat(e.view("b").reservedBytes()).isEqualTo(4 * GIB);
        assertThat(e.view("a").reservedBytes()).isZero();
    }

    @Test
    void zoneSpreadDeploymentIsReplacedInAZoneItDoesNotUseYet() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("a1", "za", 4 * GIB);
        d.plainNode("b1", "zb", 4 * GIB);
        d.plainNode("b2", "zb", 4 * GIB);
        d.plainNode("c1", "zc", 8 * GIB);
        d.apply(new Admit("s", "alice", null, GIB, Replicas.of(2), true, 0)); // a1 + b1
        d.apply(new RemoveNode("a1"));
        assertThat(d.ledger.views().deployment("s").orElseThrow().placements()).containsExactly("b1", "c1");
    }

    @Test
    void ejectedNodeCannotComeBackUnderTheSameId() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("a", "z1", 4 * GIB);
        d.apply(new RemoveNode("a"));
        Invalid again = (Invalid) d.apply(RegisterNode.of("a", "op", "z1", GIB));
        assertThat(again.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(again.message()).contains("ejected");
    }

    @Test
    void reportForAnUnknownNodeIsNotFound() {
        LedgerDriver d = new LedgerDriver();
        Invalid unknown = (Invalid) d.report("ghost", GIB, GIB, GIB, Map.of());
        assertThat(unknown.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(unknown.field()).isEqualTo("nodeId");
    }

    @Test
    void changingZoneMovesTheNodeInTheSpreadIndex() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("a", "z1", 4 * GIB);
        d.plainNode("b", "z1", 4 * GIB);
        assertThat(AdmissionRulesTest.reason(d.apply(new Admit("s", "o", null, GIB, Replicas.of(2), true, 0))))
                .isEqualTo(RejectReason.NO_ELIGIBLE_NODES);
        d.apply(RegisterNode.of("b", "op-b", "z2", 4 * GIB));
        assertThat(d.apply(new Admit("s", "o", null, GIB, Replicas.of(2), true, 0))).isInstanceOf(Admitted.class);
    }
}
