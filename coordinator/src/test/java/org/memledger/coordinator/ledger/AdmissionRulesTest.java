package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.ledger.LedgerDriver.GIB;
import static org.memledger.coordinator.ledger.LedgerDriver.MIB;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RejectReason;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.Result;
import org.memledger.protocol.SetPolicy;

class AdmissionRulesTest {

    @Test
    void capacityKeepsSystemReserveAndHeadroom() {
        LedgerDriver d = new LedgerDriver();
        d.node("n1", "z1", 32 * GIB, 16 * GIB);
        // reserve = min(20 % of 16 GiB, 4 GiB) = 3.2 GiB; capacity = 12.8 GiB; headroom = ceil(2 %).
        long capacity = 16 * GIB - Percent.ceil(16 * GIB, 20);
        assertThat(d.view("n1").capacityBytes()).isEqualTo(capacity);
        assertThat(d.view("n1").admissibleBytes()).isEqualTo(capacity - Percent.ceil(capacity, 2));

        d.node("big", "z1", 512 * GIB, 512 * GIB); // 20 % would be 102 GiB: the 4 GiB cap applies
        assertThat(d.view("big").capacityBytes()).isEqualTo(508 * GIB);
        d.node("declared", "z1", 8 * GIB, 64 * GIB); // declared is the smaller bound
        assertThat(d.view("declared").capacityBytes()).isEqualTo(8 * GIB);
    }

    @Test
    void registeredNodeAdmitsNothingUntilItsFirstReport() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.apply(org.memledger.protocol.RegisterNode.of("n1", "op", "z1", 8 * GIB));
        Result r = d.admit("d1", MIB);
        assertThat(((Rejected) r).reason()).isEqualTo(RejectReason.NO_ELIGIBLE_NODES);
        d.report("n1", 8 * GIB, 8 * GIB, 8 * GIB, Map.of());
        assertThat(d.admit("d1", MIB)).isInstanceOf(Admitted.class);
    }

    /** DESIGN §1: with x remaining and y, z &lt; x &lt; y + z, log order decides, identically everywhere. */
    @Test
    void theRaceIsDecidedByLogOrderIdenticallyOnEveryReplica() {
        long x = 10 * GIB;
        long y = 6 * GIB;
        long z = 5 * GIB;
        List<Result> yFirst = race(x, "y", y, "z", z);
        List<Result> yFirstAgain = race(x, "y", y, "z", z);
        assertThat(yFirst.get(0)).isInstanceOf(Admitted.class);
        assertThat(((Rejected) yFirst.get(1)).reason()).isEqualTo(RejectReason.INSUFFICIENT_MEMORY);
        assertThat(((Rejected) yFirst.get(1)).maxAdmissibleBytes()).isEqualTo(x - y);
        assertThat(yFirstAgain).isEqualTo(yFirst);

        List<Result> zFirst = race(x, "z", z, "y", y);
        assertThat(zFirst.get(0)).isInstanceOf(Admitted.class);
        assertThat(((Rejected) zFirst.get(1)).maxAdmissibleBytes()).isEqualTo(x - z);

        for (List<Result> order : List.of(race(x, "w", x + 1, "y", y), race(x, "y", y, "w", x + 1))) {
            Result big = order.get(0) instanceof Rejected ? order.get(0) : order.get(1);
            assertThat(((Rejected) big).reason()).isEqualTo(RejectReason.INSUFFICIENT_MEMORY);
        }
    }

    private static List<Result> race(long x, String firstId, long first, String secondId, long second) {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("n1", "z1", x);
        return List.of(d.admit(firstId, first), d.admit(secondId, second));
    }

    @Test
    void raceReplicasEndWithEqualHashes() {
        LedgerDriver a = new LedgerDriver(LedgerDriver.noHeadroom());
        LedgerDriver b = new LedgerDriver(LedgerDriver.noHeadroom());
        for (LedgerDriver d : List.of(a, b)) {
            d.plainNode("n1", "z1", 10 * GIB);
            d.admit("y", 6 * GIB);
            d.admit("z", 5 * GIB);
        }
        assertThat(a.ledger.stateHashHex()).isEqualTo(b.ledger.stateHashHex());
        LedgerDriver c = new LedgerDriver(LedgerDriver.noHeadroom());
        c.plainNode("n1", "z1", 10 * GIB);
        c.admit("z", 5 * GIB);
        c.admit("y", 6 * GIB);
        assertThat(c.ledger.stateHashHex()).isNotEqualTo(a.ledger.stateHashHex());
    }

    @Test
    void rejectionReasonsComeInTheDocumentedOrder() {
        Policy policy = LedgerDriver.noHeadroom().toBuilder().maxFirmBytes(4 * GIB)
                .ownerQuotaBytes(new java.util.TreeMap<>(Map.of("alice", 3 * GIB))).build();
        LedgerDriver d = new LedgerDriver(policy);
        d.plainNode("n1", "z1", 2 * GIB);

        assertThat(reason(d.apply(new Admit("a", "alice", 2 * MIB, MIB, Replicas.of(1), false, 0))))
                .isEqualTo(RejectReason.INVALID_BOUNDS); // min > firm
        assertThat(reason(d.apply(new Admit("a", "alice", 0L, MIB, Replicas.of(1), false, 0))))
                .isEqualTo(RejectReason.INVALID_BOUNDS); // min <= 0
        assertThat(reason(d.admit("a", 5 * GIB))).isEqualTo(RejectReason.INVALID_BOUNDS); // firm > max
        assertThat(d.admit("a", GIB)).isInstanceOf(Admitted.class);
        assertThat(reason(d.admit("a", 2 * GIB))).isEqualTo(RejectReason.DUPLICATE_ID);
        // quota: alice has 1 GiB of 3; asking 3 GiB more passes the quota before memory is looked at
        assertThat(reason(d.admit("b", 3 * GIB))).isEqualTo(RejectReason.QUOTA_EXCEEDED);
        assertThat(reason(d.admit("b", 2 * GIB))).isEqualTo(RejectReason.INSUFFICIENT_MEMORY);
        assertThat(reason(d.admit("c", MIB, Replicas.of(2)))).isEqualTo(RejectReason.NO_ELIGIBLE_NODES);
    }

    @Test
    void identicalRetryReturnsTheOriginalAnswer() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("n1", "z1", 4 * GIB);
        Admitted first = (Admitted) d.admit("a", GIB);
        d.admit("b", GIB);
        Admitted retry = (Admitted) d.admit("a", GIB);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.placements()).isEqualTo(first.placements());
        assertThat(retry.remainingBytes()).isEqualTo(first.remainingBytes());
        assertThat(retry.admittedIndex()).isEqualTo(first.admittedIndex());
        assertThat(d.view("n1").reservedBytes()).isEqualTo(2 * GIB);
    }

    @Test
    void bestFitPicksTheSmallestNodeThatFitsThenNodeId() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("c", "z1", 8 * GIB);
        d.plainNode("b", "z1", 4 * GIB);
        d.plainNode("a", "z1", 4 * GIB);
        d.plainNode("s", "z1", GIB);
        assertThat(((Admitted) d.admit("d1", 2 * GIB)).placements()).containsExactly("a");
        assertThat(((Admitted) d.admit("d2", 2 * GIB)).placements()).containsExactly("a");
        assertThat(((Admitted) d.admit("d3", 2 * GIB)).placements()).containsExactly("b");
        // b has 2 GiB left, c 8 GiB, s 1 GiB: two replicas of 2 GiB fit b then c, in best-fit order
        assertThat(((Admitted) d.admit("d4", 2 * GIB, Replicas.of(2))).placements()).containsExactly("b", "c");
        assertThat(reason(d.admit("d5", 3 * GIB, Replicas.of(2)))).isEqualTo(RejectReason.INSUFFICIENT_MEMORY);
    }

    @Test
    void kReplicasGoToDistinctNodesAndZoneSpreadToDistinctZones() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("a1", "za", 4 * GIB);
        d.plainNode("a2", "za", 5 * GIB);
        d.plainNode("b1", "zb", 6 * GIB);
        Admitted packed = (Admitted) d.admit("d1", GIB, Replicas.of(2));
        assertThat(packed.placements()).containsExactly("a1", "a2");
        Admitted spread = (Admitted) d.apply(new Admit("d2", "alice", null, GIB, Replicas.of(2), true, 0));
        assertThat(spread.placements()).containsExactly("a1", "b1");
        Rejected threeZones = (Rejected) d.apply(new Admit("d3", "alice", null, GIB, Replicas.of(3), true, 0));
        assertThat(threeZones.reason()).isEqualTo(RejectReason.NO_ELIGIBLE_NODES);
    }

    @Test
    void allReplicasAreDecidedByTheSmallestNodeAndRemovingItRaisesTheFigure() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("small", "z1", 2 * GIB);
        d.plainNode("mid", "z1", 8 * GIB);
        d.plainNode("big", "z2", 32 * GIB);
        assertThat(d.ledger.views().cluster().replicatedAdmissibleBytes()).isEqualTo(2 * GIB);
        Rejected tooBig = (Rejected) d.admit("r1", 3 * GIB, Replicas.ALL);
        assertThat(tooBig.reason()).isEqualTo(RejectReason.INSUFFICIENT_MEMORY);
        assertThat(tooBig.maxAdmissibleBytes()).isEqualTo(2 * GIB);
        Admitted fits = (Admitted) d.admit("r2", GIB, Replicas.ALL);
        assertThat(fits.placements()).isEmpty();
        assertThat(fits.remainingBytes()).isEqualTo(GIB);
        assertThat(d.view("big").reservedBytes()).isEqualTo(GIB);

        d.apply(new org.memledger.protocol.RemoveNode("small"));
        assertThat(d.ledger.views().cluster().replicatedAdmissibleBytes()).isEqualTo(7 * GIB);
        assertThat(d.admit("r1", 3 * GIB, Replicas.ALL)).isInstanceOf(Admitted.class);
    }

    @Test
    void maxAdmissibleIsExact() {
        LedgerDriver d = new LedgerDriver();
        d.node("n1", "z1", 7 * GIB + 123, 9 * GIB);
        d.node("n2", "z2", 5 * GIB + 7, 9 * GIB);
        d.node("n3", "z2", 6 * GIB + 1, 9 * GIB);
        for (Replicas replicas : List.of(Replicas.of(1), Replicas.of(2), Replicas.of(3), Replicas.ALL)) {
            for (boolean spread : List.of(false, true)) {
                Admit tooBig = new Admit("probe", "alice", null, 60 * GIB, replicas, spread, 0);
                Rejected rejected = (Rejected) d.ledger.check(tooBig);
                long max = rejected.maxAdmissibleBytes();
                Result atMax = d.ledger.check(new Admit("probe", "alice", null, max, replicas, spread, 0));
                Result above = d.ledger.check(new Admit("probe", "alice", null, max + 1, replicas, spread, 0));
                if (max > 0) {
                    assertThat(atMax).as("%s spread=%s at %d", replicas, spread, max).isInstanceOf(Admitted.class);
                }
                assertThat(above).as("%s spread=%s above %d", replicas, spread, max).isInstanceOf(Rejected.class);
            }
        }
    }

    @Test
    void measuredUsageLimitsAdmissionThroughAvailableMemory() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.node("n1", "z1", 10 * GIB, 10 * GIB);
        d.admit("d1", 4 * GIB);
        // The machine reports only 3 GiB available although d1 uses just 1 GiB of its 4 GiB:
        // unused reservation (3 GiB) must stay free, so nothing more fits.
        d.report("n1", 10 * GIB, 10 * GIB, 3 * GIB, Map.of("d1", GIB));
        assertThat(d.view("n1").admissibleBytes()).isZero();
        // Usage grows into the reservation: available drops but the unused part shrinks with it.
        d.report("n1", 10 * GIB, 10 * GIB, 2 * GIB, Map.of("d1", 4 * GIB));
        assertThat(d.view("n1").admissibleBytes()).isEqualTo(2 * GIB);
        d.release("d1");
        assertThat(d.view("n1").admissibleBytes()).isEqualTo(2 * GIB).as("available still 2 GiB until next report");
    }

    @Test
    void staleReportsAreIgnored() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("n1", "z1", 4 * GIB);
        Result stale = d.apply(new org.memledger.protocol.ReportNode("n1", 1, GIB, GIB, GIB, null));
        assertThat(stale).isInstanceOf(org.memledger.protocol.Ignored.class);
        assertThat(d.view("n1").capacityBytes()).isEqualTo(4 * GIB);
    }

    @Test
    void releaseFreesTheReservation() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("n1", "z1", 4 * GIB);
        d.admit("d1", 3 * GIB);
        assertThat(d.view("n1").admissibleBytes()).isEqualTo(GIB);
        assertThat(d.release("d1")).isEqualTo(new org.memledger.protocol.Released("d1", d.time()));
        assertThat(d.view("n1").admissibleBytes()).isEqualTo(4 * GIB);
        assertThat(d.release("d1")).isInstanceOf(org.memledger.protocol.Invalid.class);
    }

    @Test
    void reserveMinModeReservesTheMinimum() {
        Policy policy = LedgerDriver.noHeadroom().toBuilder()
                .reserveMode(org.memledger.protocol.ReserveMode.MIN).build();
        LedgerDriver d = new LedgerDriver(policy);
        d.plainNode("n1", "z1", 4 * GIB);
        d.apply(new Admit("d1", "alice", GIB, 3 * GIB, Replicas.of(1), false, 0));
        assertThat(d.view("n1").reservedBytes()).isEqualTo(GIB);
        // placement still asks for the firm limit to fit
        assertThat(reason(d.admit("d2", 3 * GIB + 1))).isEqualTo(RejectReason.INSUFFICIENT_MEMORY);
        assertThat(d.admit("d2", 3 * GIB)).isInstanceOf(Admitted.class);
    }

    @Test
    void policyChangesApplyToEveryNodeAtOnce() {
        LedgerDriver d = new LedgerDriver(LedgerDriver.noHeadroom());
        d.plainNode("n1", "z1", 10 * GIB);
        d.apply(new SetPolicy(LedgerDriver.noHeadroom().toBuilder().headroomPct(10).build()));
        assertThat(d.view("n1").admissibleBytes()).isEqualTo(9 * GIB);
        Result bad = d.apply(new SetPolicy(Policy.defaults().toBuilder().headroomPct(80).build()));
        assertThat(bad).isInstanceOf(org.memledger.protocol.Invalid.class);
        assertThat(((org.memledger.protocol.Invalid) bad).field()).isEqualTo("policy.headroomPct");
        assertThat(d.ledger.policy().headroomPct()).isEqualTo(10);
    }

    static RejectReason reason(Result result) {
        assertThat(result).isInstanceOf(Rejected.class);
        return ((Rejected) result).reason();
    }
}
