package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.memledger.protocol.Ack;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.Batch;
import org.memledger.protocol.BatchResult;
import org.memledger.protocol.Command;
import org.memledger.protocol.CommandValidator;
import org.memledger.protocol.DeploymentStatus;
import org.memledger.protocol.DrainNode;
import org.memledger.protocol.ErrorCode;
import org.memledger.protocol.FieldError;
import org.memledger.protocol.Ignored;
import org.memledger.protocol.Invalid;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.Release;
import org.memledger.protocol.Released;
import org.memledger.protocol.RemoveNode;
import org.memledger.protocol.ReportNode;
import org.memledger.protocol.Result;
import org.memledger.protocol.SetPolicy;
import org.memledger.protocol.codec.BinaryWriter;
import org.memledger.protocol.codec.CodecException;
import org.memledger.protocol.codec.EntryCodec;
import org.memledger.protocol.codec.ResultCodec;

/**
 * The memory ledger: a pure, deterministic state machine over log entries (DESIGN §3).
 *
 * <p>Given the same entries at the same indexes it produces the same results, byte for byte, and
 * the same rolling state hash, on every replica. To keep that true it has no clock (time is
 * {@code max(previous, entry time)}), no I/O, no randomness, no threads, no floating point, and
 * never lets the iteration order of a hash map decide anything. It never throws on bad input:
 * every refusal is a {@link Result}. It throws only when its own invariants break, which must
 * stop the replica rather than let it diverge.
 *
 * <p>Not thread-safe: the Raft adapter applies entries one at a time and serialises reads against
 * applies.
 */
public final class Ledger {
    private final NodeBook nodes;
    private final DeploymentBook deployments;
    private final Admission admission;
    private final StateDigest digest;
    /** Reused for every result (applies are sequential): a 1,000-command entry's result no longer regrows from 256 bytes. */
    private final BinaryWriter resultWriter = new BinaryWriter();
    private Policy policy;
    private long appliedIndex;
    private long nowMillis;

    public Ledger() {
        this(Policy.defaults());
    }

    public Ledger(Policy policy) {
        this(policy, 0, 0, StateDigest.genesis());
    }

    Ledger(Policy policy, long appliedIndex, long nowMillis, StateDigest digest) {
        this(policy, appliedIndex, nowMillis, digest, new DeploymentBook());
    }

    /** A ledger about to be filled by a snapshot restore, its deployment book sized for what is coming. */
    Ledger(Policy policy, long appliedIndex, long nowMillis, StateDigest digest, DeploymentBook deployments) {
        this.policy = policy;
        this.deployments = deployments;
        this.nodes = new NodeBook(policy);
        this.admission = new Admission(nodes, deployments);
        this.appliedIndex = appliedIndex;
        this.nowMillis = nowMillis;
        this.digest = digest;
    }

    /** Applies an encoded entry at {@code index}, which must follow the last applied index. */
    public AppliedEntry apply(long index, byte[] entryBytes) {
        Invariants.check(index > appliedIndex, "log index must increase");
        Result result;
        try {
            result = applyEntry(EntryCodec.decode(entryBytes), index);
        } catch (CodecException corrupt) {
            // A corrupt entry changes nothing but is still recorded in the hash: every replica sees it alike.
            result = new Invalid(ErrorCode.INVALID_ARGUMENT, "entry", "corrupt log entry: " + corrupt.getMessage());
        }
        resultWriter.reset();
        ResultCodec.encode(result, resultWriter);
        byte[] resultBytes = resultWriter.toByteArray();
        digest.chain(index, entryBytes, resultBytes);
        appliedIndex = index;
        return new AppliedEntry(index, result, resultBytes, digest.current());
    }

    /** Encodes and applies {@code entry}: for tests, the simulator and benchmarks. */
    public AppliedEntry apply(long index, LogEntry entry) {
        return apply(index, EntryCodec.encode(entry));
    }

    /**
     * Decides an admission against the current state without changing anything (a dry run). The
     * answer is what applying the same Admit as the next entry would return; its index is the
     * index that entry would get if nothing else came first.
     */
    public Result check(Admit admit) {
        Optional<FieldError> shape = CommandValidator.validate(admit);
        if (shape.isPresent()) {
            return invalid(shape.get());
        }
        AdmissionDecision decision = admission.decide(admit, policy);
        if (decision instanceof AdmissionDecision.Answer answer) {
            return answer.result();
        }
        AdmissionDecision.Place place = (AdmissionDecision.Place) decision;
        List<String> ids = new ArrayList<>(place.nodes().size());
        for (NodeRecord node : place.nodes()) {
            ids.add(node.nodeId);
        }
        return new Admitted(admit.deploymentId(), ids, remainingAfter(place), appliedIndex + 1, false);
    }

    private Result applyEntry(LogEntry entry, long index) {
        nowMillis = Math.max(nowMillis, entry.timeMillis());
        nodes.expireSilent(nowMillis);
        return applyCommand(entry.command(), index);
    }

    private Result applyCommand(Command command, long index) {
        Optional<FieldError> shape = CommandValidator.validate(command);
        if (shape.isPresent()) {
            return invalid(shape.get());
        }
        return switch (command.kind()) {
            case REGISTER_NODE -> registerNode((RegisterNode) command);
            case REPORT_NODE -> reportNode((ReportNode) command);
            case ADMIT -> admit((Admit) command, index);
            case RELEASE -> release((Release) command);
            case SET_POLICY -> setPolicy((SetPolicy) command);
            case DRAIN_NODE -> drainNode((DrainNode) command);
            case REMOVE_NODE -> removeNode((RemoveNode) command);
            case TICK -> new Ack();
            case BATCH -> batch((Batch) command, index);
        };
    }

    private Result batch(Batch batch, long index) {
        List<Result> results = new ArrayList<>(batch.commands().size());
        for (Command command : batch.commands()) {
            results.add(applyCommand(command, index));
        }
        return new BatchResult(results);
    }

    private Result registerNode(RegisterNode c) {
        NodeRecord node = nodes.get(c.nodeId());
        if (node != null && node.ejected) {
            return ejected(node);
        }
        NodeRecord target = node != null ? node : nodes.register(c.nodeId());
        nodes.update(target, () -> {
            target.operator = c.operator();
            target.zone = c.zone();
            target.labels = c.labels();
            target.declaredBytes = c.declaredBytes();
        });
        return new Ack();
    }

    private Result reportNode(ReportNode c) {
        NodeRecord node = nodes.get(c.nodeId());
        if (node == null) {
            return notFound("nodeId", "node '" + c.nodeId() + "' is not registered; register it first (PUT /v1/nodes/"
                    + c.nodeId() + ")");
        }
        if (node.ejected) {
            return ejected(node);
        }
        if (c.seq() <= node.lastReportSeq) {
            return new Ignored("stale report: seq " + c.seq() + " is not after the last applied seq "
                    + node.lastReportSeq);
        }
        nodes.update(node, () -> {
            node.declaredBytes = c.declaredBytes();
            node.physicalBytes = c.physicalBytes();
            node.availableBytes = c.availableBytes();
            node.lastReportSeq = c.seq();
            node.lastReportAtMillis = nowMillis;
            node.reported = true;
            node.down = false;
            takeCredits(node, c.deploymentUsage());
        });
        return new Ack();
    }

    /** Recomputes the node's credit from a full usage report; ids that are not hosted here earn nothing. */
    private void takeCredits(NodeRecord node, Map<String, Long> usage) {
        node.credits.clear();
        long credit = 0;
        for (Map.Entry<String, Long> measured : usage.entrySet()) {
            DeploymentRecord deployment = deployments.get(measured.getKey());
            if (deployment != null && (deployment.isAll() || deployment.isPlacedOn(node))) {
                long earned = Math.min(deployment.reservationBytes, measured.getValue());
                if (earned > 0) {
                    node.credits.put(deployment, earned);
                    credit = Math.addExact(credit, earned);
                }
            }
        }
        node.creditBytes = credit;
    }

    private Result admit(Admit admit, long index) {
        AdmissionDecision decision = admission.decide(admit, policy);
        if (decision instanceof AdmissionDecision.Answer answer) {
            return answer.result();
        }
        AdmissionDecision.Place place = (AdmissionDecision.Place) decision;
        int count = admit.replicas().count();
        DeploymentRecord deployment = new DeploymentRecord(admit.deploymentId(), deployments.owner(admit.owner()),
                place.minBytes(), place.firmBytes(), place.reservationBytes(), count, admit.zoneSpread(),
                admit.priority(), nowMillis, index, remainingAfter(place), place.quotaChargeBytes());
        deployments.add(deployment);
        if (deployment.isAll()) {
            nodes.addAllReserved(deployment.reservationBytes);
        } else {
            attachAll(deployment, place.nodes());
        }
        checkNotOvercommitted(deployment, place.nodes());
        return new Admitted(deployment.deploymentId, Admission.placementIds(deployment),
                deployment.remainingBytesAtAdmission, index, false);
    }

    /** What is left for the next deployment of this shape once {@code place} is committed. */
    private long remainingAfter(AdmissionDecision.Place place) {
        if (place.nodes().isEmpty()) {
            return Math.max(0, nodes.admissibleForKey(nodes.placement().minKey()) - place.reservationBytes());
        }
        long remaining = Long.MAX_VALUE;
        for (NodeRecord node : place.nodes()) {
            remaining = Math.min(remaining, nodes.admissibleBytes(node) - place.reservationBytes());
        }
        return Math.max(0, remaining);
    }

    /** Places a new deployment on {@code chosen} at once: one array (none for one node), not one per node. */
    private void attachAll(DeploymentRecord deployment, List<NodeRecord> chosen) {
        Invariants.check(deployment.placements.length == 0, "attaching a deployment that is already placed");
        int count = chosen.size();
        if (count == 1) {
            NodeRecord node = chosen.get(0);
            deployment.placeAlone(node);
            hold(deployment, node);
            return;
        }
        NodeRecord[] placements = chosen.toArray(DeploymentRecord.NO_NODES); // distinct: best fit never repeats a node
        deployment.place(placements);
        for (NodeRecord node : placements) {
            hold(deployment, node);
        }
    }

    /** Adds one placement on {@code node} to an already placed deployment (re-placement after an ejection). */
    private void attach(DeploymentRecord deployment, NodeRecord node) {
        int count = deployment.placements.length;
        NodeRecord[] placements = java.util.Arrays.copyOf(deployment.placements, count + 1);
        placements[count] = node;
        deployment.place(placements);
        hold(deployment, node);
    }

    /** The node's side of a placement the deployment already records: count, reservation, index. */
    private void hold(DeploymentRecord deployment, NodeRecord node) {
        node.hostedCount++;
        node.kReservedBytes = Math.addExact(node.kReservedBytes, deployment.reservationBytes);
        nodes.changed(node);
    }

    /** Removes the deployment's placement on {@code node}, with its reservation and credit. */
    private void detach(DeploymentRecord deployment, NodeRecord node) {
        int position = deployment.placementIndex(node);
        Invariants.check(position >= 0, "placement missing from its deployment");
        unhost(deployment, node);
        int remaining = deployment.placements.length - 1;
        NodeRecord[] placements = remaining == 0 ? DeploymentRecord.NO_NODES : new NodeRecord[remaining];
        for (int i = 0, j = 0; i <= remaining; i++) {
            if (i != position) {
                placements[j++] = deployment.placements[i];
            }
        }
        deployment.place(placements);
    }

    /**
     * The node's side of removing the deployment's placement on {@code node}: count, reservation,
     * credit, index. The deployment's own array is the caller's business.
     */
    private void unhost(DeploymentRecord deployment, NodeRecord node) {
        node.hostedCount--;
        node.kReservedBytes -= deployment.reservationBytes;
        // Credits are positive, so no credit bytes means an empty map: checked on the node itself, not its map.
        Long credit = node.creditBytes == 0 ? null : node.credits.remove(deployment);
        if (credit != null) {
            node.creditBytes -= credit;
        }
        Invariants.check(node.kReservedBytes >= 0 && node.creditBytes >= 0 && node.hostedCount >= 0,
                "node books went negative");
        nodes.changed(node);
    }

    private Result release(Release c) {
        DeploymentRecord deployment = deployments.remove(c.deploymentId());
        if (deployment == null) {
            return notFound("deploymentId", "deployment '" + c.deploymentId() + "' is not live (never admitted or already released)");
        }
        if (deployment.isAll()) {
            nodes.addAllReserved(-deployment.reservationBytes);
            NodeRoster roster = nodes.byOrdinal();
            for (int ordinal = 0; ordinal < roster.size(); ordinal++) {
                NodeRecord node = roster.get(ordinal);
                if (node.creditBytes != 0 && node.credits.containsKey(deployment)) {
                    nodes.update(node, () -> node.creditBytes -= node.credits.remove(deployment));
                }
            }
        } else {
            // The record leaves the book, so its placement array is left as it is: resetting it would
            // be a reference store into an old object (a GC write barrier) on every release.
            for (NodeRecord node : deployment.placements) {
                unhost(deployment, node);
            }
        }
        return new Released(deployment.deploymentId, nowMillis);
    }

    private Result setPolicy(SetPolicy c) {
        policy = c.policy();
        nodes.setPolicy(policy);
        return new Ack();
    }

    private Result drainNode(DrainNode c) {
        NodeRecord node = nodes.get(c.nodeId());
        if (node == null) {
            return notFound("nodeId", "node '" + c.nodeId() + "' is not registered");
        }
        if (node.ejected) {
            return ejected(node);
        }
        nodes.update(node, () -> node.draining = true);
        return new Ack();
    }

    /**
     * Ejects the node and re-places what it hosted, in deployment-id order so every replica makes
     * the same choices; a deployment that finds no other node is DISPLACED. Finding what it hosted
     * scans the whole book (O(d), see {@link NodeRecord#hostedCount}): ejection is rare, while
     * keeping a list per node cost every admission and release.
     */
    private Result removeNode(RemoveNode c) {
        NodeRecord node = nodes.get(c.nodeId());
        if (node == null) {
            return notFound("nodeId", "node '" + c.nodeId() + "' is not registered");
        }
        if (node.ejected) {
            return new Ignored("node '" + c.nodeId() + "' is already ejected");
        }
        nodes.update(node, () -> {
            node.ejected = true;
            node.credits.clear();
            node.creditBytes = 0;
        });
        List<DeploymentRecord> hosted = deployments.placedOn(node);
        Invariants.check(hosted.size() == node.hostedCount, "hosted count out of step with the book");
        for (DeploymentRecord deployment : hosted) {
            detach(deployment, node);
            replace(deployment);
        }
        Invariants.check(node.hostedCount == 0 && node.kReservedBytes == 0, "ejected node still hosts deployments");
        return new Ack();
    }

    private void replace(DeploymentRecord deployment) {
        PlacementIndex index = nodes.placement();
        long key = nodes.keyToFit(deployment.firmBytes);
        List<NodeRecord> candidate = deployment.zoneSpread
                ? index.bestFitSpread(key, 1, deployment.placements)
                : index.bestFit(key, 1, deployment.placements);
        if (candidate.isEmpty()) {
            deployment.status = DeploymentStatus.DISPLACED;
        } else {
            attach(deployment, candidate.get(0));
            checkNotOvercommitted(deployment, candidate);
        }
    }

    /**
     * DESIGN §8 invariant 1, checked on the nodes an admission or re-placement just chose. Only those:
     * a deployment's other placements may sit on nodes whose capacity shrank after it was placed, which
     * is allowed (reserved may then exceed capacity) and must not stop the replica.
     */
    private void checkNotOvercommitted(DeploymentRecord deployment, List<NodeRecord> chosen) {
        if (deployment.isAll()) {
            return; // ALL fits the smallest admitting node, so it fits all: checked by the property tests.
        }
        for (NodeRecord node : chosen) {
            long limit = nodes.capacityBytes(node) - nodes.headroomBytes(node);
            Invariants.check(nodes.reservedBytes(node) <= limit, "admission overcommitted a node");
        }
    }

    private Result ejected(NodeRecord node) {
        return new Invalid(ErrorCode.CONFLICT, "nodeId", "node '" + node.nodeId
                + "' was ejected and cannot come back under the same id; register it under a new id");
    }

    private static Result notFound(String field, String message) {
        return new Invalid(ErrorCode.NOT_FOUND, field, message);
    }

    private static Result invalid(FieldError error) {
        return new Invalid(ErrorCode.INVALID_ARGUMENT, error.field(), error.field() + ": " + error.message());
    }

    // ---- read side -------------------------------------------------------------------------

    public long appliedIndex() {
        return appliedIndex;
    }

    /** Ledger time in ms: the largest entry time applied so far (0 before any). */
    public long nowMillis() {
        return nowMillis;
    }

    public Policy policy() {
        return policy;
    }

    public byte[] stateHash() {
        return digest.current();
    }

    public String stateHashHex() {
        return digest.hex();
    }

    public int deploymentCount() {
        return deployments.size();
    }

    public LedgerViews views() {
        return new LedgerViews(nodes, deployments, policy, appliedIndex);
    }

    /** Recomputes every derived total from scratch and compares: O(n + d), for tests and audits. */
    public void verifyBooks() {
        new BookAudit(nodes, deployments).run();
    }

    /** A canonical, versioned snapshot of the whole state. */
    public byte[] snapshot() {
        return LedgerSnapshot.write(this, nodes, deployments);
    }

    /** Restores a ledger from {@link #snapshot()}; applying the rest of the log reproduces the hash. */
    public static Ledger restore(byte[] snapshot) {
        return LedgerSnapshot.read(snapshot);
    }

    // package-private hooks for LedgerSnapshot
    NodeBook nodeBook() {
        return nodes;
    }

    DeploymentBook deploymentBook() {
        return deployments;
    }
}
