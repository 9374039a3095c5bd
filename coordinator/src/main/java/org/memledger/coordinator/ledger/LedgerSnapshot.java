package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.TreeMap;

import org.memledger.protocol.DeploymentStatus;
import org.memledger.protocol.Policy;
import org.memledger.protocol.codec.BinaryReader;
import org.memledger.protocol.codec.BinaryWriter;
import org.memledger.protocol.codec.CodecException;
import org.memledger.protocol.codec.PolicyCodec;

/**
 * The canonical binary snapshot of a ledger. Canonical means: the same state gives the same
 * bytes on every replica, so everything is written in a defined order (nodes, owners and
 * deployments by id, credits by node) and nothing derived is written (reservation totals, owner
 * totals and the indexes are rebuilt on restore and then audited). Versioned so a later build can
 * refuse, or migrate, an older layout explicitly.
 *
 * <p>Version 2 (written now):
 * <pre>
 *   magic 'S', version 2, varint appliedIndex, zigzag nowMillis, 32-byte state hash, policy
 *   varint nodeCount, varint ownerCount, varint deploymentCount
 *   nodeCount nodes in id order        (as in version 1)
 *   ownerCount owner names in order    (the owners of live deployments)
 *   deploymentCount deployments in id order: id, varint owner ordinal, the admission figures,
 *     status, placements as node ordinals (in placement order),
 *     credits as (node ordinal, bytes) pairs in node order
 * </pre>
 * Nodes and owners are referred to by their position in their section instead of by id: a restore
 * then indexes an array instead of decoding an id string and searching a tree for each of a million
 * deployments, and the file is smaller. The counts come first so the reader can size its tables.
 * Credits sit with their deployment, so a restore never looks a deployment up by id.
 *
 * <p>Version 1 (read only, {@link LedgerSnapshotV1}) named nodes and owners by id and kept credits
 * per node after the deployments.
 */
final class LedgerSnapshot {
    static final int MAGIC = 0x53; // 'S'
    static final int VERSION = 2;

    private static final int REPORTED = 1;
    private static final int DRAINING = 2;
    private static final int DOWN = 4;
    private static final int EJECTED = 8;
    /** Encoded bytes per deployment in the benchmark population is about 60: start near the final size. */
    private static final int BYTES_PER_DEPLOYMENT_GUESS = 64;

    private LedgerSnapshot() {
    }

    static byte[] write(Ledger ledger, NodeBook nodes, DeploymentBook deployments) {
        List<NodeRecord> nodeList = new ArrayList<>(nodes.all());
        IdentityHashMap<NodeRecord, Integer> nodeOrdinals = new IdentityHashMap<>(nodeList.size() * 2);
        for (int i = 0; i < nodeList.size(); i++) {
            nodeOrdinals.put(nodeList.get(i), i);
        }
        List<OwnerRecord> owners = ownersByName(deployments);
        IdentityHashMap<OwnerRecord, Integer> ownerOrdinals = new IdentityHashMap<>(owners.size() * 2);
        for (int i = 0; i < owners.size(); i++) {
            ownerOrdinals.put(owners.get(i), i);
        }
        List<DeploymentRecord> sorted = deployments.sortedById();

        BinaryWriter out = new BinaryWriter((int) Math.min(1 << 30,
                (1L << 16) + (long) sorted.size() * BYTES_PER_DEPLOYMENT_GUESS + nodeList.size() * 128L));
        out.writeByte(MAGIC);
        out.writeByte(VERSION);
        out.writeVarLong(ledger.appliedIndex());
        out.writeZigZagLong(ledger.nowMillis());
        out.writeRawBytes(ledger.stateHash(), 0, StateDigest.SIZE);
        PolicyCodec.encode(ledger.policy(), out);
        out.writeVarInt(nodeList.size());
        out.writeVarInt(owners.size());
        out.writeVarInt(sorted.size());
        for (NodeRecord node : nodeList) {
            writeNode(node, out);
        }
        for (OwnerRecord owner : owners) {
            out.writeString(owner.owner);
        }
        long[] creditsWritten = new long[nodeList.size()];
        for (DeploymentRecord deployment : sorted) {
            writeDeployment(deployment, ownerOrdinals.get(deployment.owner), nodeOrdinals, out);
            writeCredits(deployment, nodeList, nodeOrdinals, creditsWritten, out);
        }
        for (int i = 0; i < nodeList.size(); i++) {
            // Credits are written with their deployment; one held for anything else would be lost here.
            Invariants.check(creditsWritten[i] == nodeList.get(i).creditBytes,
                    "snapshot would lose credits of node " + nodeList.get(i).nodeId);
        }
        return out.toByteArray();
    }

    @SuppressForbidden(reason = "owners are sorted by name before anyone sees the order")
    private static List<OwnerRecord> ownersByName(DeploymentBook deployments) {
        List<OwnerRecord> owners = new ArrayList<>(deployments.ownersUnordered());
        owners.sort((a, b) -> a.owner.compareTo(b.owner));
        return owners;
    }

    static void writeNode(NodeRecord node, BinaryWriter out) {
        out.writeString(node.nodeId);
        out.writeString(node.operator);
        out.writeString(node.zone);
        out.writeStringMap(node.labels);
        out.writeZigZagLong(node.declaredBytes);
        out.writeZigZagLong(node.physicalBytes);
        out.writeZigZagLong(node.availableBytes);
        out.writeZigZagLong(node.lastReportSeq);
        out.writeZigZagLong(node.lastReportAtMillis);
        out.writeByte((node.reported ? REPORTED : 0) | (node.draining ? DRAINING : 0) | (node.down ? DOWN : 0)
                | (node.ejected ? EJECTED : 0));
    }

    private static void writeDeployment(DeploymentRecord d, int ownerOrdinal,
                                        IdentityHashMap<NodeRecord, Integer> nodeOrdinals, BinaryWriter out) {
        out.writeString(d.deploymentId);
        out.writeVarInt(ownerOrdinal);
        out.writeZigZagLong(d.minBytes);
        out.writeZigZagLong(d.firmBytes);
        out.writeZigZagLong(d.reservationBytes);
        out.writeVarInt(d.replicas);
        out.writeBoolean(d.zoneSpread);
        out.writeZigZagInt(d.priority);
        out.writeZigZagLong(d.admittedAtMillis);
        out.writeVarLong(d.admittedIndex);
        out.writeZigZagLong(d.remainingBytesAtAdmission);
        out.writeZigZagLong(d.quotaChargeBytes);
        out.writeByte(d.status.code());
        out.writeVarInt(d.placements.length);
        for (NodeRecord node : d.placements) {
            out.writeVarInt(nodeOrdinals.get(node));
        }
    }

    /**
     * The deployment's credits in node order. A node credits only deployments it hosts (k-placed ones
     * placed on it, or ALL ones), so only those nodes are looked at, not all of them per deployment.
     */
    private static void writeCredits(DeploymentRecord d, List<NodeRecord> nodeList,
                                     IdentityHashMap<NodeRecord, Integer> nodeOrdinals, long[] creditsWritten,
                                     BinaryWriter out) {
        int[] ordinals;
        if (d.isAll()) {
            ordinals = new int[nodeList.size()];
            for (int i = 0; i < ordinals.length; i++) {
                ordinals[i] = i;
            }
        } else {
            ordinals = new int[d.placements.length];
            for (int i = 0; i < ordinals.length; i++) {
                ordinals[i] = nodeOrdinals.get(d.placements[i]);
            }
            Arrays.sort(ordinals);
        }
        int count = 0;
        long[] amounts = new long[ordinals.length];
        for (int i = 0; i < ordinals.length; i++) {
            Long credit = nodeList.get(ordinals[i]).credits.get(d);
            if (credit != null) {
                ordinals[count] = ordinals[i];
                amounts[count++] = credit;
                creditsWritten[ordinals[i]] += credit;
            }
        }
        out.writeVarInt(count);
        for (int i = 0; i < count; i++) {
            out.writeVarInt(ordinals[i]);
            out.writeVarLong(amounts[i]);
        }
    }

    static Ledger read(byte[] bytes) {
        try {
            return readChecked(new BinaryReader(bytes));
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("corrupt ledger snapshot: " + e.getMessage(), e);
        }
    }

    private static Ledger readChecked(BinaryReader in) {
        int magic = in.readByte("snapshot magic");
        if (magic != MAGIC) {
            throw new CodecException("not a ledger snapshot (magic byte " + magic + ")");
        }
        int version = in.readByte("snapshot version");
        if (version == LedgerSnapshotV1.VERSION) {
            return LedgerSnapshotV1.readAfterVersion(in);
        }
        if (version != VERSION) {
            throw new CodecException("unknown ledger snapshot version " + version + "; this build reads versions "
                    + LedgerSnapshotV1.VERSION + " and " + VERSION);
        }
        long appliedIndex = in.readVarLong("appliedIndex");
        long nowMillis = in.readZigZagLong("nowMillis");
        byte[] hash = in.readRawBytes(StateDigest.SIZE, "stateHash");
        Policy policy = PolicyCodec.decode(in);
        // Each bound is the smallest encoding of one element (a deployment: 13 one-byte fields and two
        // empty lists), checked against everything after the counts, so a corrupt count fails here
        // before anything is sized from it.
        int nodeCount = in.readCount("nodes", 10);
        int ownerCount = in.readCount("owners", 1);
        int deploymentCount = in.readCount("deployments", 15);
        LedgerRestore restore = new LedgerRestore(policy, appliedIndex, nowMillis, hash, deploymentCount);

        NodeRecord[] nodes = new NodeRecord[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            nodes[i] = readNode(in, restore);
        }
        String[] ownerNames = new String[ownerCount];
        for (int i = 0; i < ownerCount; i++) {
            ownerNames[i] = in.readString("owner");
        }
        OwnerRecord[] owners = new OwnerRecord[ownerCount];
        for (int i = 0; i < deploymentCount; i++) {
            readDeployment(in, restore, nodes, ownerNames, owners);
        }
        for (int i = 0; i < ownerCount; i++) {
            if (owners[i] == null) {
                throw new CodecException("owner " + ownerNames[i] + " has no live deployment in the snapshot");
            }
        }
        in.expectEnd("ledger snapshot");
        return restore.finish();
    }

    /** One node's fields, set directly on an unfiled record (the same layout in versions 1 and 2). */
    static NodeRecord readNode(BinaryReader in, LedgerRestore restore) {
        NodeRecord node = restore.addNode(in.readString("nodeId"));
        node.operator = in.readString("operator");
        node.zone = in.readString("zone");
        TreeMap<String, String> labels = in.readStringMap("labels");
        node.labels = labels;
        node.declaredBytes = in.readZigZagLong("declaredBytes");
        node.physicalBytes = in.readZigZagLong("physicalBytes");
        node.availableBytes = in.readZigZagLong("availableBytes");
        node.lastReportSeq = in.readZigZagLong("lastReportSeq");
        node.lastReportAtMillis = in.readZigZagLong("lastReportAtMillis");
        int flags = in.readByte("node flags");
        node.reported = (flags & REPORTED) != 0;
        node.draining = (flags & DRAINING) != 0;
        node.down = (flags & DOWN) != 0;
        node.ejected = (flags & EJECTED) != 0;
        return node;
    }

    private static void readDeployment(BinaryReader in, LedgerRestore restore, NodeRecord[] nodes, String[] ownerNames,
                                       OwnerRecord[] owners) {
        String id = in.readString("deploymentId");
        int ownerOrdinal = ordinal(in.readVarInt("owner ordinal"), owners.length, "owner", id);
        if (owners[ownerOrdinal] == null) {
            owners[ownerOrdinal] = restore.owner(ownerNames[ownerOrdinal]);
        }
        DeploymentRecord d = new DeploymentRecord(id, owners[ownerOrdinal], in.readZigZagLong("minBytes"),
                in.readZigZagLong("firmBytes"), in.readZigZagLong("reservationBytes"), in.readVarInt("replicas"),
                in.readBoolean("zoneSpread"), in.readZigZagInt("priority"), in.readZigZagLong("admittedAtMillis"),
                in.readVarLong("admittedIndex"), in.readZigZagLong("remainingBytesAtAdmission"),
                in.readZigZagLong("quotaChargeBytes"));
        d.status = DeploymentStatus.fromCode(in.readByte("deployment status"));
        int placementCount = in.readCount("placements", 1);
        NodeRecord[] placements = placementCount == 0 ? DeploymentRecord.NO_NODES : new NodeRecord[placementCount];
        for (int i = 0; i < placementCount; i++) {
            placements[i] = nodes[ordinal(in.readVarInt("placement"), nodes.length, "node", id)];
        }
        restore.addDeployment(d, placements);
        int creditCount = in.readCount("credits", 2);
        int previous = -1;
        for (int i = 0; i < creditCount; i++) {
            int node = ordinal(in.readVarInt("credit node"), nodes.length, "node", id);
            if (node <= previous) {
                throw new CodecException("credits of deployment " + id + " are not in node order");
            }
            previous = node;
            restore.addCredit(nodes[node], d, in.readVarLong("credit"));
        }
    }

    private static int ordinal(int value, int count, String what, String deploymentId) {
        if (value >= count) {
            throw new CodecException("deployment " + deploymentId + " refers to " + what + " #" + value + " of "
                    + count);
        }
        return value;
    }
}
