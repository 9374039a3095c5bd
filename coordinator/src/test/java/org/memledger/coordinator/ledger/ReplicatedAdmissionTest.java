package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.memledger.coordinator.ledger.LedgerDriver.GIB;
import static org.memledger.coordinator.ledger.LedgerDriver.MIB;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.DrainNode;
import org.memledger.protocol.NodeState;
import org.memledger.protocol.NodeView;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RejectReason;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.RemoveNode;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.Result;

/**
 * {@code replicas = ALL} on a heterogeneous cluster (DESIGN §3.3): every admitting node must fit the
 * firm limit, so the smallest admissible node decides, and taking that node out of the admitting set
 * (drain, removal, silence) raises the cluster's replicated admissible to the next smallest.
 */
class ReplicatedAdmissionTest {
    /** Capacities in GiB, deliberately uneven; headroom (2 %) applies, system reserve does not. */
    private static final long[] SIZES_GIB = {48, 3, 96, 7, 5, 64, 11, 24, 13, 8, 32, 16};
    private static final Policy POLICY = Policy.defaults().toBuilder().systemReservePct(0).maxFirmBytes(1L << 40)
            .build();

    @Test
    void theSmallestNodeDecidesAndTakingItOutRaisesTheFigure() {
        LedgerDriver d = new LedgerDriver(POLICY);
        for (int i = 0; i < SIZES_GIB.length; i++) {
            d.node(nodeId(i), "z" + (i % 3), SIZES_GIB[i] * GIB, SIZES_GIB[i] * GIB);
        }
        long smallest = admissibleOfSmallestAdmitting(d);
        assertThat(smallest).isEqualTo(3 * GIB - Percent.ceil(3 * GIB, 2));
        assertAllDecidedAt(d, smallest);

        Admitted shared = (Admitted) d.apply(Admit.of("shared", "alice", GIB, Replicas.ALL));
        for (NodeView node : d.ledger.views().nodes()) {
            assertThat(node.reservedBytes()).as("ALL reserves on %s", node.nodeId()).isEqualTo(GIB);
        }
        long afterShared = smallest - GIB;
        assertThat(shared.remainingBytes()).isEqualTo(afterShared);
        assertAllDecidedAt(d, afterShared);

        // A k-placed deployment on a big node leaves the figure alone; one that lands on the smallest lowers it.
        assertThat(((Admitted) d.admit("big", 40 * GIB)).placements()).containsExactly("n00-48g");
        assertAllDecidedAt(d, afterShared);
        assertThat(((Admitted) d.admit("tiny", 512 * MIB)).placements()).containsExactly("n01-3g");
        assertAllDecidedAt(d, afterShared - 512 * MIB);

        long before = admissibleOfSmallestAdmitting(d);
        d.apply(new DrainNode("n01-3g"));                  // the smallest stops admitting
        long drained = admissibleOfSmallestAdmitting(d);
        assertThat(drained).isGreaterThan(before).isEqualTo(5 * GIB - Percent.ceil(5 * GIB, 2) - GIB);
        assertAllDecidedAt(d, drained);

        d.apply(new RemoveNode("n04-5g"));                 // the next smallest is ejected
        assertThat(d.view("n04-5g").state()).isEqualTo(NodeState.EJECTED);
        long removed = admissibleOfSmallestAdmitting(d);
        assertThat(removed).isGreaterThan(drained).isEqualTo(7 * GIB - Percent.ceil(7 * GIB, 2) - GIB);
        assertAllDecidedAt(d, removed);

        // The next smallest goes silent: the others report halfway through the timeout, it does not.
        d.advance(POLICY.heartbeatTimeoutMillis() / 2);
        for (int i = 0; i < SIZES_GIB.length; i++) {
            NodeView node = d.view(nodeId(i));
            if (node.state() != NodeState.EJECTED && !node.nodeId().equals("n03-7g")) {
                d.report(node.nodeId(), node.declaredBytes(), node.physicalBytes(), node.availableBytes(), Map.of());
            }
        }
        d.advance(POLICY.heartbeatTimeoutMillis() / 2);
        d.tick();
        assertThat(d.view("n03-7g").state()).isEqualTo(NodeState.DOWN);
        long silent = admissibleOfSmallestAdmitting(d);
        // now the 48 GiB node, which also holds the 40 GiB "big", is the least admissible
        assertThat(silent).isGreaterThan(removed)
                .isEqualTo(48 * GIB - Percent.ceil(48 * GIB, 2) - GIB - 40 * GIB);
        assertAllDecidedAt(d, silent);
    }

    /** The same rule over seeded random clusters: admitted iff firm ≤ min admissible; removing the argmin raises it. */
    @TestFactory
    Stream<DynamicTest> randomHeterogeneousClusters() {
        return Stream.iterate(1L, seed -> seed + 1).limit(25).map(seed -> dynamicTest("seed=" + seed, () -> {
            SplittableRandom random = new SplittableRandom(seed);
            Policy policy = POLICY.toBuilder().headroomPct(random.nextInt(0, 11)).build();
            LedgerDriver d = new LedgerDriver(policy);
            int count = random.nextInt(2, 40);
            for (int i = 0; i < count; i++) {
                long capacity = random.nextLong(64 * MIB, 256 * GIB);
                d.node("n" + i, "z" + random.nextInt(4), capacity, capacity + random.nextLong(0, 8 * GIB));
            }
            for (int round = 0; round < 6 && admittingNodes(d).size() >= 2; round++) {
                long figure = admissibleOfSmallestAdmitting(d);
                assertAllDecidedAt(d, figure);
                if (figure > 1 && random.nextBoolean()) {
                    d.apply(Admit.of("all-" + round, "alice", random.nextLong(1, figure), Replicas.ALL));
                    figure = admissibleOfSmallestAdmitting(d);
                }
                NodeView argmin = smallestAdmitting(d);
                d.apply(random.nextBoolean() ? new RemoveNode(argmin.nodeId()) : new DrainNode(argmin.nodeId()));
                assertThat(admissibleOfSmallestAdmitting(d)).as("after taking out %s", argmin.nodeId())
                        .isGreaterThanOrEqualTo(figure);
            }
        }));
    }

    /** At {@code figure} an ALL deployment is admitted, one byte more is refused with max = figure. */
    private static void assertAllDecidedAt(LedgerDriver d, long figure) {
        assertThat(d.ledger.views().cluster().replicatedAdmissibleBytes()).isEqualTo(figure);
        Result over = d.ledger.check(Admit.of("probe", "alice", figure + 1, Replicas.ALL));
        assertThat(over).isInstanceOf(Rejected.class);
        assertThat(((Rejected) over).reason()).isEqualTo(RejectReason.INSUFFICIENT_MEMORY);
        assertThat(((Rejected) over).maxAdmissibleBytes()).isEqualTo(figure);
        if (figure > 0) {
            assertThat(d.ledger.check(Admit.of("probe", "alice", figure, Replicas.ALL))).isInstanceOf(Admitted.class);
        }
    }

    private static List<NodeView> admittingNodes(LedgerDriver d) {
        List<NodeView> admitting = new ArrayList<>();
        for (NodeView node : d.ledger.views().nodes()) {
            if (node.state().admits()) {
                admitting.add(node);
            }
        }
        return admitting;
    }

    private static NodeView smallestAdmitting(LedgerDriver d) {
        NodeView smallest = null;
        for (NodeView node : admittingNodes(d)) {
            if (smallest == null || node.admissibleBytes() < smallest.admissibleBytes()) {
                smallest = node;
            }
        }
        return smallest;
    }

    private static long admissibleOfSmallestAdmitting(LedgerDriver d) {
        return smallestAdmitting(d).admissibleBytes();
    }

    private static String nodeId(int i) {
        return "n" + (i < 10 ? "0" : "") + i + "-" + SIZES_GIB[i] + "g";
    }
}
