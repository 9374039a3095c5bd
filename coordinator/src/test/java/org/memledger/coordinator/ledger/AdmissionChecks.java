package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.memledger.protocol.Admit;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.Batch;
import org.memledger.protocol.Command;
import org.memledger.protocol.CommandKind;
import org.memledger.protocol.DeploymentStatus;
import org.memledger.protocol.DeploymentView;
import org.memledger.protocol.NodeView;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RejectReason;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.Release;
import org.memledger.protocol.Released;
import org.memledger.protocol.ReserveMode;
import org.memledger.protocol.Result;
import org.memledger.protocol.ResultKind;

/**
 * Checks every admission and release answer of an applied entry against the ledger right after it.
 *
 * <p>An answer inside a Batch was given in the middle of the entry. The state after the entry is the
 * state the answer saw only if nothing after it in the batch changed anything ("quiet after"), and
 * the node capacities it saw only if no later command re-declared, reported or changed the policy
 * ("steady after"). Each check runs only where its premise holds; top-level commands always qualify.
 */
final class AdmissionChecks {
    /** Share (percent) of rejections for other reasons (bad bounds, duplicate id) whose maximum is probed. */
    private static final int OTHER_REASON_PROBE_PCT = 30;

    private final Ledger ledger;
    private final SplittableRandom choices;
    private final SeedRun.Stats stats;
    private long probes;
    /** The node views after the entry being checked, built on first use (one scan per entry at most). */
    private TreeMap<String, NodeView> nodesAfter;

    AdmissionChecks(Ledger ledger, SplittableRandom choices, SeedRun.Stats stats) {
        this.ledger = ledger;
        this.choices = choices;
        this.stats = stats;
    }

    void check(Command command, Result result) {
        boolean batch = command.kind() == CommandKind.BATCH && result.kind() == ResultKind.BATCH;
        List<Command> commands = batch ? ((Batch) command).commands() : List.of(command);
        List<Result> results = SeedRun.flatten(result);
        nodesAfter = null;
        boolean quiet = true;
        boolean steady = true;
        for (int i = commands.size() - 1; i >= 0; i--) {
            Command c = commands.get(i);
            Result r = results.get(i);
            if (c.kind() == CommandKind.ADMIT) {
                checkAdmit((Admit) c, r, quiet, steady);
            } else if (c.kind() == CommandKind.RELEASE && quiet && r instanceof Released released) {
                checkReleased((Release) c, released);
            }
            boolean changed = !SeedRun.changesNothing(r) && c.kind() != CommandKind.TICK;
            quiet &= !changed;
            steady &= !(changed && (c.kind() == CommandKind.REGISTER_NODE || c.kind() == CommandKind.REPORT_NODE
                    || c.kind() == CommandKind.SET_POLICY));
        }
    }

    private void checkAdmit(Admit admit, Result result, boolean quiet, boolean steady) {
        if (result instanceof Admitted admitted && !admitted.duplicate() && steady) {
            checkNoOvercommit(admit, admitted);
        }
        if (!quiet) {
            return;
        }
        checkDryRunAgrees(admit, result);
        if (result instanceof Admitted admitted && !admitted.duplicate()) {
            DeploymentView deployment = checkDeploymentView(admit, admitted);
            checkBestFit(admit, admitted, deployment.reservationBytes());
            checkRemaining(admit, admitted);
        } else if (result instanceof Rejected rejected) {
            checkNoPlacementExisted(admit, rejected);
            probeMaxAdmissible(admit, rejected);
        }
    }

    /** Invariant 1: right after an admission its nodes hold reserved ≤ capacity − headroom. */
    private void checkNoOvercommit(Admit admit, Admitted admitted) {
        Policy policy = ledger.policy();
        if (admit.replicas().isAll()) {
            for (NodeView node : nodes()) {
                if (node.state().admits()) {
                    assertFits(node, policy, "right after " + admitted);
                }
            }
            return;
        }
        for (String nodeId : admitted.placements()) {
            assertFits(node(nodeId), policy, "right after " + admitted);
        }
    }

    static void assertFits(NodeView node, Policy policy, String when) {
        long limit = node.capacityBytes() - ViewAudit.headroomBytes(node.capacityBytes(), policy.headroomPct());
        assertThat(node.reservedBytes()).as("invariant 1 (no overcommit): %s %s", node, when)
                .isLessThanOrEqualTo(limit);
    }

    /** The live deployment is what was asked for, with policy defaults filled in, placed where the answer says. */
    private DeploymentView checkDeploymentView(Admit admit, Admitted admitted) {
        Policy policy = ledger.policy();
        DeploymentView d = ledger.views().deployment(admit.deploymentId()).orElseThrow();
        long firm = admit.firmBytes() != null ? admit.firmBytes() : policy.defaultFirmBytes();
        long min = admit.minBytes() != null ? admit.minBytes() : firm;
        assertThat(d.firmBytes()).as("firm of %s", d).isEqualTo(firm);
        assertThat(d.minBytes()).as("min of %s", d).isEqualTo(min);
        assertThat(d.reservationBytes()).as("reservation of %s", d)
                .isEqualTo(policy.reserveMode() == ReserveMode.MIN ? min : firm);
        assertThat(d.owner()).isEqualTo(admit.owner());
        assertThat(d.replicas()).isEqualTo(admit.replicas());
        assertThat(d.status()).isEqualTo(DeploymentStatus.PLACED);
        assertThat(d.placements()).as("placements of %s", d).isEqualTo(admitted.placements());
        assertThat(d.admittedIndex()).isEqualTo(admitted.admittedIndex()).isEqualTo(ledger.appliedIndex());
        assertThat(d.admittedAtMillis()).isEqualTo(ledger.nowMillis());
        return d;
    }

    /**
     * The placement is the brute-force best fit over the admitting nodes as they were just before it
     * (the chosen nodes had their reservation more admissible then; nothing else changed).
     */
    private void checkBestFit(Admit admit, Admitted admitted, long reservationBytes) {
        List<BestFitModel.Candidate> before = new ArrayList<>();
        for (NodeView node : nodes()) {
            if (node.state().admits()) {
                boolean chosen = admit.replicas().isAll() || admitted.placements().contains(node.nodeId());
                before.add(new BestFitModel.Candidate(node.nodeId(), node.zone(),
                        node.admissibleBytes() + (chosen ? reservationBytes : 0)));
            }
        }
        long firm = ledger.views().deployment(admit.deploymentId()).orElseThrow().firmBytes();
        if (admit.replicas().isAll()) {
            assertThat(before).as("ALL admitted with firm %d", firm)
                    .allSatisfy(c -> assertThat(c.admissibleBytes()).isGreaterThanOrEqualTo(firm));
            return;
        }
        assertThat(admitted.placements()).as("placements of %s", admitted).hasSize(admit.replicas().count());
        assertThat(admitted.placements()).as("best fit for %s", admit)
                .isEqualTo(BestFitModel.choose(before, firm, admit.replicas().count(), admit.zoneSpread()));
    }

    /** A memory rejection means best fit finds no placement, and the reason says whether nodes or bytes lacked. */
    private void checkNoPlacementExisted(Admit admit, Rejected rejected) {
        if (rejected.reason() != RejectReason.INSUFFICIENT_MEMORY
                && rejected.reason() != RejectReason.NO_ELIGIBLE_NODES) {
            return;
        }
        List<BestFitModel.Candidate> now = new ArrayList<>();
        for (NodeView node : nodes()) {
            if (node.state().admits()) {
                now.add(new BestFitModel.Candidate(node.nodeId(), node.zone(), node.admissibleBytes()));
            }
        }
        long firm = admit.firmBytes() != null ? admit.firmBytes() : ledger.policy().defaultFirmBytes();
        int k = admit.replicas().isAll() ? now.size() : admit.replicas().count();
        boolean spread = admit.zoneSpread() && !admit.replicas().isAll();
        int eligible = BestFitModel.eligible(now, spread);
        RejectReason expected = eligible == 0 || eligible < k ? RejectReason.NO_ELIGIBLE_NODES
                : RejectReason.INSUFFICIENT_MEMORY;
        assertThat(rejected.reason()).as("reason of %s with %d eligible", rejected, eligible).isEqualTo(expected);
        assertThat(BestFitModel.choose(now, firm, k, spread).size()).as("best fit for rejected %s", admit)
                .isLessThan(Math.max(1, k));
    }

    /** remainingBytes: the smallest admissible among the chosen nodes, or the replicated admissible for ALL. */
    private void checkRemaining(Admit admit, Admitted admitted) {
        long expected = Long.MAX_VALUE;
        for (NodeView node : nodes()) {
            boolean counts = admit.replicas().isAll() ? node.state().admits()
                    : admitted.placements().contains(node.nodeId());
            expected = counts ? Math.min(expected, node.admissibleBytes()) : expected;
        }
        assertThat(admitted.remainingBytes()).as("remainingBytes of %s", admitted).isEqualTo(expected);
    }

    /** The dry run of the same Admit, asked right after, gives the same answer (a duplicate, if admitted). */
    private void checkDryRunAgrees(Admit admit, Result result) {
        Result expected = result;
        if (result instanceof Admitted admitted && !admitted.duplicate()) {
            expected = new Admitted(admitted.deploymentId(), admitted.placements(), admitted.remainingBytes(),
                    admitted.admittedIndex(), true);
        }
        assertThat(ledger.check(admit)).as("dry run of %s right after it was applied", admit).isEqualTo(expected);
    }

    /**
     * maxAdmissibleBytes is exact: the same spec under a fresh id with firm = max is admitted (when
     * max &gt; 0) and with firm = max + 1 is rejected. Asked through the dry run, which changes nothing.
     */
    private void probeMaxAdmissible(Admit admit, Rejected rejected) {
        RejectReason reason = rejected.reason();
        boolean placementReason = reason == RejectReason.INSUFFICIENT_MEMORY || reason == RejectReason.NO_ELIGIBLE_NODES
                || reason == RejectReason.QUOTA_EXCEEDED;
        if (!placementReason && choices.nextInt(100) >= OTHER_REASON_PROBE_PCT) {
            return;
        }
        if (admit.minBytes() != null && admit.minBytes() <= 0) {
            return; // the minimum itself is refused: no firm limit would help, the spec needs fixing
        }
        long max = rejected.maxAdmissibleBytes();
        assertThat(max).as("maxAdmissibleBytes of %s", rejected).isNotNegative();
        if (placementReason) {
            long firm = admit.firmBytes() != null ? admit.firmBytes() : ledger.policy().defaultFirmBytes();
            assertThat(max).as("maxAdmissibleBytes of %s for a firm limit of %d", rejected, firm).isLessThan(firm);
        }
        String probeId = "probe-" + probes++;
        stats.probes++;
        if (max > 0) {
            Result atMax = ledger.check(probe(admit, probeId, max));
            assertThat(atMax).as("%s, probed at firm = maxAdmissibleBytes = %d", rejected, max)
                    .isInstanceOf(Admitted.class);
        }
        if (max < Long.MAX_VALUE) {
            Result above = ledger.check(probe(admit, probeId, max + 1));
            assertThat(above).as("%s, probed at firm = maxAdmissibleBytes + 1 = %d", rejected, max + 1)
                    .isInstanceOf(Rejected.class);
        }
    }

    private static Admit probe(Admit admit, String id, long firm) {
        return new Admit(id, admit.owner(), admit.minBytes(), firm, admit.replicas(), admit.zoneSpread(),
                admit.priority());
    }

    private Collection<NodeView> nodes() {
        if (nodesAfter == null) {
            nodesAfter = new TreeMap<>();
            for (NodeView node : ledger.views().nodes()) {
                nodesAfter.put(node.nodeId(), node);
            }
        }
        return nodesAfter.values();
    }

    private NodeView node(String nodeId) {
        nodes();
        NodeView node = nodesAfter.get(nodeId);
        assertThat(node).as("node %s", nodeId).isNotNull();
        return node;
    }

    /** A release ends the deployment at ledger time. */
    private void checkReleased(Release release, Released released) {
        assertThat(released.deploymentId()).isEqualTo(release.deploymentId());
        assertThat(released.releasedAtMillis()).as("release time").isEqualTo(ledger.nowMillis());
        assertThat(ledger.views().deployment(release.deploymentId())).as("released deployment").isEmpty();
    }
}
