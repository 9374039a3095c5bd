package org.memledger.protocol.workload;

import static org.memledger.protocol.workload.Draw.between;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.memledger.protocol.Admit;
import org.memledger.protocol.Batch;
import org.memledger.protocol.Command;
import org.memledger.protocol.CommandValidator;
import org.memledger.protocol.DrainNode;
import org.memledger.protocol.Identifiers;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.Release;
import org.memledger.protocol.RemoveNode;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.ReportNode;

/**
 * Commands a ledger must refuse without changing anything: malformed shapes (bad ids, negative
 * sizes, out-of-range counts, invalid policies, an empty batch), references to things that do not
 * exist, and admissions with bad bounds. Every one of them can still be encoded: the codec carries
 * any value, and refusing is the validator's and the ledger's job.
 */
final class BadCommands {
    private static final long GIB = WorkloadShape.GIB;
    private static final List<String> BAD_IDS = List.of("", "-lead", ".dot", "_under", "has space", "slash/x",
            "colon:x", "tab\tx", "\u00fcml\u00e4ut", "x".repeat(Identifiers.MAX_LENGTH + 1), "at@sign", "n1\n");

    private final CommandSequence sequence;
    private final SplittableRandom random;

    BadCommands(CommandSequence sequence, SplittableRandom random) {
        this.sequence = sequence;
        this.random = random;
    }

    /** One bad command; an empty Batch only at the top level (batches do not nest). */
    Command command(boolean topLevel) {
        int kinds = topLevel ? 14 : 13;
        return switch (random.nextInt(kinds)) {
            case 0 -> new RegisterNode(badId(), "op-x", "z-0", null, GIB);
            case 1 -> new RegisterNode(nodeId(), "op-x", "z-0", null, -between(random, 1L, GIB));
            case 2 -> random.nextBoolean() ? new RegisterNode(nodeId(), badId(), "z-0", null, GIB)
                    : new RegisterNode(nodeId(), "op-x", badId(), null, GIB);
            case 3 -> new RegisterNode(nodeId(), "op-x", "z-0", badLabels(), GIB);
            case 4 -> badReportNumbers();
            case 5 -> new ReportNode(nodeId(), between(random, 1_000_000L, 2_000_000L), GIB, GIB, GIB, badUsage());
            case 6 -> new ReportNode("n-unknown-" + random.nextInt(1_000), 1, GIB, GIB, GIB, null);
            case 7 -> random.nextBoolean() ? Admit.of(badId(), "o-0", GIB, Replicas.of(1))
                    : Admit.of(sequence.deploymentId(), badId(), GIB, Replicas.of(1));
            case 8 -> badShapeAdmit();
            case 9 -> badBoundsAdmit();
            case 10 -> new Release(random.nextBoolean() ? badId() : sequence.ghostId());
            case 11 -> random.nextBoolean() ? new DrainNode(badId()) : new RemoveNode(badId());
            case 12 -> sequence.setPolicy(PolicyTweaks.invalid(random, sequence.policy()));
            default -> new Batch(List.of());
        };
    }

    private String badId() {
        return BAD_IDS.get(random.nextInt(BAD_IDS.size()));
    }

    private String nodeId() {
        return sequence.pickNode().id;
    }

    private TreeMap<String, String> badLabels() {
        TreeMap<String, String> labels = new TreeMap<>();
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int i = 0; i <= CommandValidator.MAX_LABELS; i++) {
                    labels.put("k" + i, "v");
                }
            }
            case 1 -> labels.put(random.nextBoolean() ? "bad key" : "-k", "v");
            default -> labels.put("k", "v".repeat(CommandValidator.MAX_LABEL_VALUE_LENGTH + 1));
        }
        return labels;
    }

    private ReportNode badReportNumbers() {
        String node = nodeId();
        long seq = between(random, 1_000_000L, 2_000_000L); // far ahead: only the bad field can refuse it
        return switch (random.nextInt(5)) {
            case 0 -> new ReportNode(node, -between(random, 1L, 10L), GIB, GIB, GIB, null);
            case 1 -> new ReportNode(node, seq, -1, GIB, GIB, null);
            case 2 -> new ReportNode(node, seq, GIB, -between(random, 1L, GIB), 0, null);
            case 3 -> new ReportNode(node, seq, GIB, GIB, -1, null);
            default -> new ReportNode(node, seq, GIB, GIB, GIB + between(random, 1L, GIB), null);
        };
    }

    private TreeMap<String, Long> badUsage() {
        TreeMap<String, Long> usage = new TreeMap<>();
        usage.put(sequence.liveIdOrFresh(), GIB);
        if (random.nextBoolean()) {
            usage.put(badId(), 1L);
        } else {
            usage.put(sequence.liveIdOrFresh() + "x", -between(random, 1L, GIB));
        }
        return usage;
    }

    private Admit badShapeAdmit() {
        String id = sequence.deploymentId();
        return switch (random.nextInt(3)) {
            case 0 -> Admit.of(id, "o-0", GIB, Replicas.of(-between(random, 1, 5)));
            case 1 -> Admit.of(id, "o-0", GIB, Replicas.of(CommandValidator.MAX_REPLICAS + between(random, 1, 99)));
            default -> new Admit(id, "o-0", null, GIB, Replicas.of(1), false,
                    (random.nextBoolean() ? 1 : -1) * (CommandValidator.MAX_PRIORITY + between(random, 1, 99)));
        };
    }

    /** Well-formed but with bounds the policy refuses: INVALID_BOUNDS, checked before the id is looked at. */
    private Admit badBoundsAdmit() {
        String id = random.nextBoolean() ? sequence.deploymentId() : sequence.liveIdOrFresh();
        String owner = CommandSequence.ownerId(random.nextInt(sequence.shape().ownerCount()));
        long firm = sequence.deploymentSize();
        long maxFirm = sequence.policy().maxFirmBytes();
        return switch (random.nextInt(5)) {
            case 0 -> new Admit(id, owner, firm < Long.MAX_VALUE ? firm + 1 : firm, firm < Long.MAX_VALUE ? firm : 1L,
                    Replicas.of(1), false, 0);
            case 1 -> new Admit(id, owner, -between(random, 0L, GIB), firm, Replicas.of(1), false, 0);
            case 2 -> new Admit(id, owner, null, -between(random, 0L, GIB), Replicas.ALL, false, 0);
            case 3 -> new Admit(id, owner, null, maxFirm <= Long.MAX_VALUE - GIB ? maxFirm + between(random, 1L, GIB)
                    : -1L, Replicas.of(2), true, 0);
            default -> new Admit(id, owner, sequence.policy().defaultFirmBytes() + 1, null, Replicas.of(1), false, 0);
        };
    }
}
