package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.memledger.protocol.Admit;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.Batch;
import org.memledger.protocol.BatchResult;
import org.memledger.protocol.Command;
import org.memledger.protocol.CommandKind;
import org.memledger.protocol.ErrorCode;
import org.memledger.protocol.Invalid;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.NodeView;
import org.memledger.protocol.RejectReason;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.Result;
import org.memledger.protocol.ResultKind;
import org.memledger.protocol.Tick;
import org.memledger.protocol.codec.EntryCodec;
import org.memledger.protocol.workload.CommandSequence;

/**
 * One seed of the ledger property tests: a generated log applied to five ledgers at once, with the
 * DESIGN §8 invariants checked after every entry.
 *
 * <ul>
 *   <li>{@code primary}: the ledger under test; its books are audited after every entry.</li>
 *   <li>{@code replica}: fed the same bytes; results and hash must match at every index (invariant 3).</li>
 *   <li>{@code restored}: restored from the primary's snapshot at a seed-chosen index, re-restored from
 *       its own snapshot later, then fed the rest of the log; must match at every index (invariant 5).</li>
 *   <li>{@code twin}: fed each entry with every command that answered "nothing changed" (Invalid,
 *       Rejected, Ignored, a duplicate Admitted) replaced by a Tick; its state must stay equal to the
 *       primary's (invariant 6), see {@link #applyTwin}.</li>
 *   <li>a fresh ledger at the end, fed the log rebuilt from the seed: same final hash (determinism).</li>
 * </ul>
 * Admissions are checked as they happen by {@link AdmissionChecks} (invariant 1, dry-run agreement,
 * exact maxAdmissibleBytes).
 */
final class SeedRun {
    /** Share of log positions (per mille) where a corrupted encoding is inserted. */
    private static final int CORRUPT_PER_MILLE = 3;
    /** Entries between full audits of the read models against the deployment list. */
    private static final int VIEW_AUDIT_EVERY = 50;
    /**
     * Share (percent) of entries with refused commands after which the twin's state is compared. A
     * refusal that changed state leaves the twin diverged for good, so a skipped comparison only delays
     * the report (the failure names the last index where the two still agreed), it never hides it.
     */
    private static final int TWIN_SAMPLE_PCT = 30;

    private final long seed;
    private final SeedPlan.Workload workload;
    private final SplittableRandom choices;
    private final List<Logged> log;
    private final Ledger primary = new Ledger();
    private final Ledger replica = new Ledger();
    private final Ledger twin = new Ledger();
    private final AdmissionChecks admissions;
    private final long restoreAt;
    private final long reRestoreAt;
    private Ledger restored;
    private long index;
    private long latestTimeMillis; // a fresh ledger starts at time 0
    private long twinAgreedAt;
    private Logged current;
    private final Stats stats = new Stats();

    SeedRun(long seed) {
        this(seed, SeedPlan.workloadFor(seed));
    }

    /** The seed's own workload cut to its first {@code entries} entries (a prefix: generation is sequential). */
    SeedRun(long seed, int entries) {
        this(seed, SeedPlan.workloadFor(seed).withEntries(entries));
    }

    private SeedRun(long seed, SeedPlan.Workload workload) {
        this.seed = seed;
        this.workload = workload;
        this.choices = new SplittableRandom(seed ^ 0x7E57_C401CE5L);
        this.log = buildLog(seed, workload, choices);
        this.restoreAt = 1 + choices.nextInt(Math.max(1, log.size() - 1));
        this.reRestoreAt = restoreAt + choices.nextInt(Math.max(1, log.size() - (int) restoreAt));
        this.admissions = new AdmissionChecks(primary, choices, stats);
    }

    /** A log entry as written (possibly corrupted bytes) and, when it decodes, the entry itself. */
    record Logged(byte[] bytes, LogEntry entry) {
    }

    /** The generated entries, encoded, with a few corrupted encodings inserted at seed-chosen places. */
    static List<Logged> buildLog(long seed, SeedPlan.Workload workload, SplittableRandom choices) {
        List<LogEntry> entries = new CommandSequence(seed, workload.shape()).take(workload.entries());
        List<Logged> log = new ArrayList<>(entries.size() + entries.size() / 100);
        for (LogEntry entry : entries) {
            byte[] bytes = EntryCodec.encode(entry);
            if (choices.nextInt(1000) < CORRUPT_PER_MILLE) {
                log.add(new Logged(corrupt(bytes, choices), null));
            }
            log.add(new Logged(bytes, entry));
        }
        return log;
    }

    private static byte[] corrupt(byte[] bytes, SplittableRandom choices) {
        byte[] bad;
        switch (choices.nextInt(4)) {
            case 0 -> {
                bad = bytes.clone();
                bad[0] ^= (byte) 0x5A; // magic
            }
            case 1 -> {
                bad = bytes.clone();
                bad[1] = (byte) (EntryCodec.VERSION + 1 + choices.nextInt(100));
            }
            case 2 -> bad = Arrays.copyOf(bytes, bytes.length - 1);
            default -> bad = Arrays.copyOf(bytes, bytes.length + 1);
        }
        return bad;
    }

    Stats run() {
        try {
            for (Logged logged : log) {
                current = logged;
                step(logged);
            }
            current = null;
            finish();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(failure(e), e);
        }
        return stats;
    }

    private void step(Logged logged) {
        index++;
        byte[] stateBefore = logged.entry() == null ? LedgerState.of(primary) : null;
        TreeMap<String, Long> reservedBefore = removesNodes(logged.entry()) ? reservedByNode(primary) : null;
        AppliedEntry applied = primary.apply(index, logged.bytes());
        primary.verifyBooks();
        latestTimeMillis = logged.entry() == null ? latestTimeMillis
                : Math.max(latestTimeMillis, logged.entry().timeMillis());
        assertThat(primary.nowMillis()).as("ledger time: the latest entry time so far").isEqualTo(latestTimeMillis);
        sameAnswer("replica", applied, replica.apply(index, logged.bytes()));
        if (restored != null) {
            sameAnswer("restored copy", applied, restored.apply(index, logged.bytes()));
        }
        stats.count(applied.result());
        checkInvalidsExplainThemselves(applied.result());
        if (logged.entry() == null) {
            checkCorruptEntryChangedNothing(applied, stateBefore);
            twin.apply(index, logged.bytes());
        } else {
            applyTwin(logged.entry(), applied.result());
            admissions.check(logged.entry().command(), applied.result());
            if (reservedBefore != null) {
                checkReplacementsFit(logged.entry().command(), applied.result(), reservedBefore);
            }
        }
        if (index % VIEW_AUDIT_EVERY == 0) {
            ViewAudit.run(primary);
        }
        takeSnapshotsWhenDue();
    }

    private static boolean removesNodes(LogEntry entry) {
        if (entry == null) {
            return false;
        }
        for (Command command : commands(entry.command())) {
            if (command.kind() == CommandKind.REMOVE_NODE) {
                return true;
            }
        }
        return false;
    }

    static List<Command> commands(Command command) {
        return command.kind() == CommandKind.BATCH ? ((Batch) command).commands() : List.of(command);
    }

    private static TreeMap<String, Long> reservedByNode(Ledger ledger) {
        TreeMap<String, Long> reserved = new TreeMap<>();
        for (NodeView node : ledger.views().nodes()) {
            reserved.put(node.nodeId(), node.reservedBytes());
        }
        return reserved;
    }

    /**
     * Invariant 1 for re-placements: RemoveNode moves deployments onto other nodes, and a node whose
     * reserved grew in this entry must still fit (releases only lower reserved, so if it fits now it
     * fitted right after its last addition). Only when no command of the entry changed capacities.
     */
    private void checkReplacementsFit(Command command, Result result, TreeMap<String, Long> reservedBefore) {
        List<Command> commands = commands(command);
        List<Result> results = flatten(result);
        if (commands.size() != results.size()) {
            return; // the whole batch was refused
        }
        for (int i = 0; i < commands.size(); i++) {
            CommandKind kind = commands.get(i).kind();
            boolean resizing = kind == CommandKind.REGISTER_NODE || kind == CommandKind.REPORT_NODE
                    || kind == CommandKind.SET_POLICY;
            if (resizing && !changesNothing(results.get(i))) {
                return;
            }
        }
        for (NodeView node : primary.views().nodes()) {
            Long before = reservedBefore.get(node.nodeId());
            if (node.state().admits() && before != null && node.reservedBytes() > before) {
                AdmissionChecks.assertFits(node, primary.policy(), "after re-placements in this entry");
                stats.replacementChecks++;
            }
        }
    }

    private void sameAnswer(String who, AppliedEntry expected, AppliedEntry actual) {
        assertThat(actual.resultBytes()).as("%s result bytes at index %d", who, index)
                .isEqualTo(expected.resultBytes());
        assertThat(actual.stateHash()).as("%s state hash at index %d", who, index).isEqualTo(expected.stateHash());
    }

    private static void checkInvalidsExplainThemselves(Result result) {
        for (Result r : flatten(result)) {
            if (r.kind() == ResultKind.INVALID) {
                Invalid invalid = (Invalid) r;
                assertThat(invalid.field()).as("Invalid.field of %s", invalid).isNotBlank();
                assertThat(invalid.message()).as("Invalid.message of %s", invalid).isNotBlank();
                assertThat(invalid.code()).isNotNull();
            }
        }
    }

    private void checkCorruptEntryChangedNothing(AppliedEntry applied, byte[] stateBefore) {
        assertThat(applied.result()).as("corrupt entry").isInstanceOf(Invalid.class);
        Invalid invalid = (Invalid) applied.result();
        assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(invalid.field()).isEqualTo("entry");
        assertThat(LedgerState.of(primary)).as("state after a corrupt entry (invariant 6)").isEqualTo(stateBefore);
    }

    /**
     * Invariant 6, "bad input changes nothing". Comparing the primary's state before and after a
     * refused command is not sound: the entry's time still advances the ledger clock and may expire
     * silent nodes, which is a legitimate change. So the twin ledger receives the same entry, at the
     * same index and time, with every command that reported "nothing changed" replaced by a Tick
     * (which changes nothing but time, exactly like the refused command should). If the refusals
     * really changed nothing, the twin and the primary hold byte-identical state (snapshots equal
     * apart from the applied index and hash, see {@link LedgerState}), and every command that was not
     * replaced answered the same on both.
     */
    private void applyTwin(LogEntry entry, Result result) {
        Command command = entry.command();
        List<Result> results = flatten(result);
        boolean batch = command.kind() == CommandKind.BATCH && result.kind() == ResultKind.BATCH;
        List<Command> commands = batch ? ((Batch) command).commands() : List.of(command);
        List<Command> twinCommands = new ArrayList<>(commands.size());
        boolean replaced = false;
        for (int i = 0; i < commands.size(); i++) {
            boolean noOp = changesNothing(results.get(i));
            replaced |= noOp;
            twinCommands.add(noOp ? new Tick() : commands.get(i));
        }
        Command twinCommand = !replaced ? command : batch ? new Batch(twinCommands) : new Tick();
        Result twinResult = twin.apply(index, new LogEntry(entry.timeMillis(), twinCommand)).result();
        List<Result> twinResults = flatten(twinResult);
        for (int i = 0; i < commands.size(); i++) {
            if (twinCommands.get(i) == commands.get(i)) {
                assertThat(twinResults.get(i)).as("twin's answer to command %d of the entry", i)
                        .isEqualTo(results.get(i));
            }
        }
        if (replaced && choices.nextInt(100) < TWIN_SAMPLE_PCT) {
            stats.twinComparisons++;
            assertThat(LedgerState.of(primary)).as("state after refused commands vs a twin that got Ticks "
                    + "(invariant 6), equal up to index %d; results here were %s", twinAgreedAt, result)
                    .isEqualTo(LedgerState.of(twin));
            twinAgreedAt = index;
        }
    }

    /** Results that promise the command changed nothing. */
    static boolean changesNothing(Result result) {
        return switch (result.kind()) {
            case INVALID, REJECTED, IGNORED -> true;
            case ADMITTED -> ((Admitted) result).duplicate();
            case RELEASED, ACK, BATCH -> false;
        };
    }

    static List<Result> flatten(Result result) {
        return result.kind() == ResultKind.BATCH ? ((BatchResult) result).results() : List.of(result);
    }

    /** Invariant 5: snapshot, restore, and later snapshot the restored copy and restore that again. */
    private void takeSnapshotsWhenDue() {
        if (index == restoreAt) {
            byte[] snapshot = primary.snapshot();
            restored = Ledger.restore(snapshot);
            assertThat(restored.snapshot()).as("snapshot of a ledger restored at index %d", index)
                    .isEqualTo(snapshot);
            assertThat(restored.stateHashHex()).isEqualTo(primary.stateHashHex());
            assertThat(restored.views().nodes()).isEqualTo(primary.views().nodes());
        }
        if (index == reRestoreAt) {
            byte[] snapshot = restored.snapshot();
            assertThat(snapshot).as("restored copy's snapshot at index %d", index).isEqualTo(primary.snapshot());
            restored = Ledger.restore(snapshot);
        }
    }

    private void finish() {
        ViewAudit.run(primary);
        for (Ledger other : List.of(replica, restored, twin)) {
            other.verifyBooks();
        }
        byte[] snapshot = primary.snapshot();
        assertThat(replica.snapshot()).as("replica's final snapshot").isEqualTo(snapshot);
        assertThat(restored.snapshot()).as("restored copy's final snapshot").isEqualTo(snapshot);
        assertThat(LedgerState.of(twin)).as("twin's final state").isEqualTo(LedgerState.withoutIndexAndHash(snapshot));

        List<Logged> again = buildLog(seed, workload, new SplittableRandom(seed ^ 0x7E57_C401CE5L));
        assertThat(again).as("log rebuilt from the seed").hasSize(log.size());
        Ledger replay = new Ledger();
        for (int i = 0; i < again.size(); i++) {
            assertThat(again.get(i).bytes()).as("rebuilt entry %d", i + 1).isEqualTo(log.get(i).bytes());
            replay.apply(i + 1, again.get(i).bytes());
        }
        assertThat(replay.stateHashHex()).as("final hash of a replay of the same seed")
                .isEqualTo(primary.stateHashHex());
        stats.finalHash = primary.stateHashHex();
        stats.entries = log.size();
        stats.nodes = primary.views().nodes().size();
        stats.liveDeployments = primary.deploymentCount();
    }

    private String failure(Throwable e) {
        String where = current == null ? "after the last entry" : "at log index " + index + ", entry "
                + (current.entry() == null ? "<corrupted bytes>" : abbreviate(current.entry().toString()));
        return "seed=" + seed + " (" + workload.name() + ", " + log.size() + " entries) failed " + where + ": "
                + e.getMessage() + "\nreplay: " + replayCommand(seed);
    }

    static String replayCommand(long seed) {
        return "mvn -B -o -pl protocol,coordinator verify -Dtest=LedgerPropertiesTest "
                + "-Dsurefire.failIfNoSpecifiedTests=false -Dmemledger.seed=" + seed;
    }

    private static String abbreviate(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "...";
    }

    /** What a seed exercised, for the run summary and coverage checks. */
    static final class Stats {
        long entries;
        int nodes;
        int liveDeployments;
        String finalHash;
        long admitted;
        long duplicates;
        long released;
        long ignored;
        long invalid;
        long twinComparisons;
        long replacementChecks;
        long probes;
        final long[] rejected = new long[RejectReason.values().length + 1];
        final TreeMap<String, Long> invalidByCause = new TreeMap<>();

        void count(Result result) {
            for (Result r : flatten(result)) {
                switch (r.kind()) {
                    case ADMITTED -> {
                        admitted++;
                        duplicates += ((Admitted) r).duplicate() ? 1 : 0;
                    }
                    case REJECTED -> rejected[((Rejected) r).reason().code()]++;
                    case RELEASED -> released++;
                    case IGNORED -> ignored++;
                    case INVALID -> {
                        invalid++;
                        Invalid bad = (Invalid) r;
                        String field = bad.field().startsWith("policy.") ? bad.field() : bad.field().split("\\.")[0];
                        invalidByCause.merge(bad.code() + ":" + field, 1L, Long::sum);
                    }
                    case ACK, BATCH -> {
                    }
                }
            }
        }

        long rejected(RejectReason reason) {
            return rejected[reason.code()];
        }

        @Override
        public String toString() {
            StringBuilder reasons = new StringBuilder();
            for (RejectReason reason : RejectReason.values()) {
                reasons.append(' ').append(reason).append('=').append(rejected(reason));
            }
            return "entries=" + entries + " nodes=" + nodes + " live=" + liveDeployments + " admitted=" + admitted
                    + " (dup " + duplicates + ") released=" + released + " ignored=" + ignored + " invalid=" + invalid + invalidByCause
                    + " rejected:" + reasons + " probes=" + probes + " twinChecks=" + twinComparisons
                    + " replacementChecks=" + replacementChecks
                    + " hash=" + finalHash;
        }
    }
}
