package org.memledger.protocol.workload;

import static org.memledger.protocol.workload.Draw.between;
import static org.memledger.protocol.workload.Draw.pct;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

import org.memledger.protocol.Admit;
import org.memledger.protocol.Batch;
import org.memledger.protocol.Command;
import org.memledger.protocol.CommandKind;
import org.memledger.protocol.DrainNode;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.Release;
import org.memledger.protocol.RemoveNode;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.ReportNode;
import org.memledger.protocol.SetPolicy;
import org.memledger.protocol.Tick;

/**
 * An endless, seeded stream of plausible (and deliberately implausible) log entries, for property
 * tests, the simulator and benchmarks.
 *
 * <p>It only produces input. It never asks a ledger anything, so the same seed, shape and initial
 * policy always give the same entries, whatever the ledger under test does with them; the answers
 * are the ledger's business and the tests' to judge. To make the input plausible it keeps its own
 * books: the nodes it registered (zone, sizes, last seq, when it last reported them), the
 * deployment ids it issued with their specs, the ids it released, and the policy it last set (a
 * SetPolicy takes effect exactly when {@link Policy#validate()} passes, which it can check itself).
 * Those books are the generator's beliefs, not the ledger's state: an id it thinks live may have been
 * rejected, a node it thinks serving may be DOWN. That mismatch is useful input too.
 *
 * <p>Shape of the stream: first the start-up phase registers and reports {@code nodeCount} nodes in
 * batches, then every entry draws a command kind by weight ({@link WorkloadShape.CommandMix}), or with
 * {@code invalidPct} a bad command. Time stamps mostly advance, sometimes repeat, occasionally jump
 * far ahead (silence) or go back (a new leader with a slow clock).
 *
 * <p>Deterministic by construction: one {@link SplittableRandom}, ordered collections only, no clock,
 * no hash iteration, locale-free formatting. Not thread-safe.
 */
public final class CommandSequence implements Iterator<LogEntry> {
    /** 2026-01-01T00:00:00Z: where the generated clock starts. */
    public static final long START_MILLIS = 1_767_225_600_000L;
    private static final int BOOTSTRAP_NODES_PER_ENTRY = 32;
    private static final int RELEASED_REMEMBERED = 1_024;
    private static final CommandKind[] DRAWN_KINDS = {CommandKind.REGISTER_NODE, CommandKind.REPORT_NODE,
        CommandKind.ADMIT, CommandKind.RELEASE, CommandKind.DRAIN_NODE, CommandKind.REMOVE_NODE, CommandKind.TICK,
        CommandKind.SET_POLICY, CommandKind.BATCH};

    private final long seed;
    private final WorkloadShape shape;
    private final SplittableRandom random;
    private final BadCommands bad;

    private final TreeMap<String, NodeFacts> nodes = new TreeMap<>();
    private final List<NodeFacts> nodeList = new ArrayList<>();
    private final TreeSet<NodeFacts> byLastReport = new TreeSet<>(NodeFacts.BY_LAST_REPORT);
    private final IdPool live = new IdPool();
    private final IdPool liveAll = new IdPool();
    private final IdPool released = new IdPool();
    private final TreeMap<String, Admit> specs = new TreeMap<>();
    private Policy policy;
    private long clockMillis;
    private int servingNodes;
    private int nextNode;
    private long nextDeployment;
    private long nextGhost;
    private long produced;

    public CommandSequence(long seed, WorkloadShape shape) {
        this(seed, shape, Policy.defaults());
    }

    /** {@code initialPolicy} must be the policy the consuming ledger starts with. */
    public CommandSequence(long seed, WorkloadShape shape, Policy initialPolicy) {
        this.seed = seed;
        this.shape = shape;
        this.random = new SplittableRandom(seed);
        this.policy = initialPolicy;
        this.clockMillis = START_MILLIS + random.nextInt(1_000_000);
        this.bad = new BadCommands(this, random);
    }

    public long seed() {
        return seed;
    }

    public WorkloadShape shape() {
        return shape;
    }

    /** Entries produced so far. */
    public long produced() {
        return produced;
    }

    /** The policy the generator believes is in force (the last valid one it wrote). */
    public Policy policy() {
        return policy;
    }

    /** Always true: the sequence is endless. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public LogEntry next() {
        advanceClock();
        Command command = nextNode < shape.nodeCount() ? bootstrapBatch() : topLevelCommand();
        produced++;
        return new LogEntry(clockMillis, command);
    }

    /** The next {@code count} entries. */
    public List<LogEntry> take(int count) {
        List<LogEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(next());
        }
        return entries;
    }

    // ---- time --------------------------------------------------------------------------------

    private void advanceClock() {
        int roll = random.nextInt(1000);
        if (roll < shape.pausePerMille()) {
            clockMillis += between(random, 5_000L, 60_000L);
        } else if (roll < shape.pausePerMille() + shape.slowClockPerMille()) {
            clockMillis = Math.max(START_MILLIS, clockMillis - between(random, 1L, 3_000L));
        } else if (pct(random, shape.timeAdvancePct())) {
            clockMillis += between(random, 1L, shape.maxStepMillis());
        }
    }

    // ---- command choice ----------------------------------------------------------------------

    /** Registers and first-reports the next nodes of the start-up phase. */
    private Command bootstrapBatch() {
        List<Command> commands = new ArrayList<>();
        for (int i = 0; i < BOOTSTRAP_NODES_PER_ENTRY && nextNode < shape.nodeCount(); i++) {
            NodeFacts node = newNode();
            commands.add(new RegisterNode(node.id, node.operator, node.zone, labels(), node.declared));
            commands.add(reportFor(node));
        }
        return new Batch(commands);
    }

    private Command topLevelCommand() {
        if (pct(random, shape.invalidPct())) {
            return bad.command(true);
        }
        CommandKind kind = drawKind(true);
        return kind == CommandKind.BATCH ? batch() : command(kind);
    }

    private Command batch() {
        int size = between(random, 2, shape.maxBatchCommands());
        List<Command> commands = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            commands.add(pct(random, shape.invalidPct()) ? bad.command(false) : command(drawKind(false)));
        }
        return new Batch(commands);
    }

    private CommandKind drawKind(boolean batchAllowed) {
        int[] weights = shape.commands().weights();
        if (!batchAllowed) {
            weights[weights.length - 1] = 0;
        }
        return DRAWN_KINDS[Draw.weighted(random, weights)];
    }

    private Command command(CommandKind kind) {
        return switch (kind) {
            case REGISTER_NODE -> register();
            case REPORT_NODE -> report();
            case ADMIT -> admit();
            case RELEASE -> release();
            case DRAIN_NODE -> drain();
            case REMOVE_NODE -> removeNode();
            case TICK -> new Tick();
            case SET_POLICY -> setPolicy(PolicyTweaks.valid(random, policy, shape));
            case BATCH -> throw new IllegalStateException("batches do not nest");
        };
    }

    // ---- nodes -------------------------------------------------------------------------------

    private RegisterNode register() {
        int serveLimit = shape.nodeCount() + (shape.nodeCount() + 3) / 4;
        if (servingNodes < serveLimit && pct(random, 60)) {
            NodeFacts node = newNode();
            return new RegisterNode(node.id, node.operator, node.zone, labels(), node.declared);
        }
        NodeFacts node = pickNode();
        if (!node.removed && pct(random, 40)) {
            node.zone = zoneId(random.nextInt(shape.zoneCount()));
        }
        if (!node.removed && pct(random, 30)) {
            node.declared = resized(node.declared);
        }
        return new RegisterNode(node.id, node.operator, node.zone, labels(), node.declared);
    }

    private NodeFacts newNode() {
        String id = "n-" + Draw.padded(nextNode++, 5);
        long declared = nodeSize();
        NodeFacts node = new NodeFacts(id, "op-" + random.nextInt(Math.max(1, shape.zoneCount() * 2)),
                zoneId(random.nextInt(shape.zoneCount())), declared, physicalFor(declared));
        nodes.put(id, node);
        nodeList.add(node);
        byLastReport.add(node);
        servingNodes++;
        return node;
    }

    private ReportNode report() {
        boolean mostSilent = !byLastReport.isEmpty() && pct(random, 60);
        return reportFor(mostSilent ? byLastReport.first() : pickNode());
    }

    /**
     * A report for {@code node}: usually the next seq (sometimes a jump), sometimes a stale or repeated
     * one; declared and physical mostly unchanged; usage naming hosted-or-not and unknown deployments.
     */
    private ReportNode reportFor(NodeFacts node) {
        boolean stale = node.seq >= 1 && pct(random, 8);
        long seq = stale ? between(random, Math.max(0, node.seq - 3), node.seq)
                : node.seq + 1 + (pct(random, 10) ? random.nextInt(1, 6) : 0);
        long declared = pct(random, 10) ? resized(node.declared) : node.declared;
        long physical = pct(random, 4) ? physicalFor(declared) : node.physical;
        long available = physical - between(random, 0L, physical / 5 * 3);
        ReportNode report = new ReportNode(node.id, seq, declared, physical, available, usage());
        if (!stale && !node.removed) {
            byLastReport.remove(node);
            node.seq = seq;
            node.declared = declared;
            node.physical = physical;
            node.lastReportMillis = clockMillis;
            byLastReport.add(node);
        }
        return report;
    }

    /** Measured usage naming ALL deployments (hosted everywhere), other ids issued, released and unknown ones. */
    private TreeMap<String, Long> usage() {
        TreeMap<String, Long> usage = new TreeMap<>();
        int entries = random.nextInt(7);
        for (int i = 0; i < entries; i++) {
            int roll = random.nextInt(100);
            String id;
            if (roll < 40 && !liveAll.isEmpty()) {
                id = liveAll.pick(random);
            } else if (roll < 80 && !live.isEmpty()) {
                id = live.pick(random);
            } else if (roll < 90 && !released.isEmpty()) {
                id = released.pick(random);
            } else {
                id = ghostId();
            }
            Admit spec = specs.get(id);
            long firm = spec != null && spec.firmBytes() != null ? spec.firmBytes() : policy.defaultFirmBytes();
            usage.put(id, between(random, 0L, firm / 4 * 5));
        }
        return usage;
    }

    private DrainNode drain() {
        if (pct(random, 10)) {
            return new DrainNode("n-unknown-" + nextGhost++);
        }
        NodeFacts node = pickNode();
        if (!node.drained && !node.removed) {
            node.drained = true;
            servingNodes--;
        }
        return new DrainNode(node.id);
    }

    private RemoveNode removeNode() {
        if (pct(random, 10)) {
            return new RemoveNode("n-unknown-" + nextGhost++);
        }
        NodeFacts node = pickNode();
        if (!node.removed) {
            node.removed = true;
            servingNodes -= node.drained ? 0 : 1;
            byLastReport.remove(node);
        }
        return new RemoveNode(node.id);
    }

    NodeFacts pickNode() {
        return nodeList.get(random.nextInt(nodeList.size()));
    }

    private long nodeSize() {
        return pct(random, shape.extremeSizePct()) ? extremeSize()
                : Draw.logUniform(random, shape.nodeMinBytes(), shape.nodeMaxBytes());
    }

    /** Physical memory: mostly more than declared (the system reserve fits), sometimes less. */
    private long physicalFor(long declared) {
        if (pct(random, shape.extremeSizePct())) {
            return extremeSize();
        }
        long lower = declared - declared / 5;
        long upper = declared > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : declared * 2;
        return between(random, lower, upper);
    }

    /** A declared size changed by up to half either way (capacity shrinks and grows). */
    private long resized(long bytes) {
        long half = bytes / 2;
        return Math.max(1, bytes - half + between(random, 0L, Math.min(bytes, Long.MAX_VALUE - bytes) / 2 + half));
    }

    long extremeSize() {
        return pct(random, 20) ? Long.MAX_VALUE : between(random, 1L << 50, Long.MAX_VALUE);
    }

    private TreeMap<String, String> labels() {
        TreeMap<String, String> labels = new TreeMap<>();
        if (pct(random, 50)) {
            labels.put("rack", "r" + random.nextInt(20));
        }
        if (pct(random, 20)) {
            labels.put("gen", "g" + random.nextInt(4));
        }
        return labels;
    }

    // ---- deployments -------------------------------------------------------------------------

    private Admit admit() {
        int roll = random.nextInt(100);
        if (roll < 8 && !live.isEmpty()) {
            return specs.get(live.pick(random)); // an identical retry: the original answer comes back
        }
        if (roll < 12 && !live.isEmpty()) {
            return freshSpec(live.pick(random)); // same id, other spec: DUPLICATE_ID unless it was rejected
        }
        String id = roll < 15 && !released.isEmpty() ? released.pick(random) : deploymentId();
        Admit admit = freshSpec(id);
        released.remove(id);
        specs.put(id, admit);
        live.add(id);
        if (admit.replicas().isAll()) {
            liveAll.add(id);
        }
        return admit;
    }

    private Admit freshSpec(String id) {
        Long firm = pct(random, 10) ? null : deploymentSize();
        long firmOrDefault = firm != null ? firm : policy.defaultFirmBytes();
        Long min = pct(random, 35) ? null : between(random, Math.max(1, firmOrDefault / 4), firmOrDefault);
        return new Admit(id, ownerId(random.nextInt(shape.ownerCount())), min, firm, replicas(),
                pct(random, shape.replicas().zoneSpreadPct()), random.nextInt(10));
    }

    private Replicas replicas() {
        WorkloadShape.ReplicasMix mix = shape.replicas();
        int roll = random.nextInt(mix.total());
        if (roll < mix.singleWeight()) {
            return Replicas.of(1);
        }
        if (roll < mix.singleWeight() + mix.multiWeight()) {
            return Replicas.of(between(random, 2, mix.maxMulti()));
        }
        return Replicas.ALL;
    }

    long deploymentSize() {
        return pct(random, shape.extremeSizePct()) ? extremeSize()
                : Draw.logUniform(random, shape.deploymentMinBytes(), shape.deploymentMaxBytes());
    }

    private Release release() {
        int roll = random.nextInt(100);
        if (roll < 85 && !live.isEmpty()) {
            String id = live.pick(random);
            live.remove(id);
            liveAll.remove(id);
            remember(id);
            return new Release(id);
        }
        return new Release(roll < 93 && !released.isEmpty() ? released.pick(random) : ghostId());
    }

    private void remember(String releasedId) {
        if (released.size() >= RELEASED_REMEMBERED) {
            released.remove(released.pick(random));
        }
        released.add(releasedId);
    }

    // ---- policy ------------------------------------------------------------------------------

    SetPolicy setPolicy(Policy next) {
        if (next.validate().isEmpty()) {
            policy = next;
        }
        return new SetPolicy(next);
    }

    // ---- ids and facts shared with BadCommands ------------------------------------------------

    String deploymentId() {
        return "d-" + Draw.padded(nextDeployment++, 7);
    }

    String ghostId() {
        return "ghost-" + nextGhost++;
    }

    String liveIdOrFresh() {
        return live.isEmpty() ? deploymentId() : live.pick(random);
    }

    static String ownerId(int n) {
        return "o-" + n;
    }

    static String zoneId(int n) {
        return "z-" + n;
    }

    /** What the generator knows about one node it registered. */
    static final class NodeFacts {
        static final Comparator<NodeFacts> BY_LAST_REPORT = (a, b) -> {
            int byTime = Long.compare(a.lastReportMillis, b.lastReportMillis);
            return byTime != 0 ? byTime : a.id.compareTo(b.id);
        };

        final String id;
        final String operator;
        String zone;
        long declared;
        long physical;
        long seq;
        long lastReportMillis = Long.MIN_VALUE;
        boolean drained;
        boolean removed;

        NodeFacts(String id, String operator, String zone, long declared, long physical) {
            this.id = id;
            this.operator = operator;
            this.zone = zone;
            this.declared = declared;
            this.physical = physical;
        }
    }
}
