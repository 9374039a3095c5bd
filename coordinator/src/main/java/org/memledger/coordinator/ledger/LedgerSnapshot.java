package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.memledger.protocol.DeploymentStatus;
import org.memledger.protocol.Policy;
import org.memledger.protocol.codec.BinaryReader;
import org.memledger.protocol.codec.BinaryWriter;
import org.memledger.protocol.codec.CodecException;
import org.memledger.protocol.codec.PolicyCodec;

/**
 * The canonical binary snapshot of a ledger. Canonical means: the same state gives the same
 * bytes on every replica, so everything is written in a defined order (nodes, deployments and
 * credits by id) and nothing derived is written (reservation totals, owner totals and the
 * indexes are rebuilt on restore and then audited). Versioned so a later build can refuse, or
 * migrate, an older layout explicitly.
 */
final class LedgerSnapshot {
    static final int MAGIC = 0x53; // 'S'
    static final int VERSION = 1;

    private static final int REPORTED = 1;
    private static final int DRAINING = 2;
    private static final int DOWN = 4;
    private static final int EJECTED = 8;

    private LedgerSnapshot() {
    }

    @SuppressForbidden(reason = "credits are copied into a TreeMap before they are written")
    static byte[] write(Ledger ledger, NodeBook nodes, DeploymentBook deployments) {
        BinaryWriter out = new BinaryWriter(1 << 16);
        out.writeByte(MAGIC);
        out.writeByte(VERSION);
        out.writeVarLong(ledger.appliedIndex());
        out.writeZigZagLong(ledger.nowMillis());
        out.writeRawBytes(ledger.stateHash(), 0, StateDigest.SIZE);
        PolicyCodec.encode(ledger.policy(), out);

        out.writeVarInt(nodes.all().size());
        for (NodeRecord node : nodes.all()) {
            writeNode(node, out);
        }
        List<DeploymentRecord> sorted = deployments.sortedById();
        out.writeVarInt(sorted.size());
        for (DeploymentRecord deployment : sorted) {
            writeDeployment(deployment, out);
        }
        for (NodeRecord node : nodes.all()) {
            TreeMap<String, Long> credits = new TreeMap<>();
            for (Map.Entry<DeploymentRecord, Long> credit : node.credits.entrySet()) {
                credits.put(credit.getKey().deploymentId, credit.getValue());
            }
            out.writeLongMap(credits);
        }
        return out.toByteArray();
    }

    private static void writeNode(NodeRecord node, BinaryWriter out) {
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

    private static void writeDeployment(DeploymentRecord d, BinaryWriter out) {
        out.writeString(d.deploymentId);
        out.writeString(d.owner.owner);
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
        out.writeStringList(Admission.placementIds(d));
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
        if (version != VERSION) {
            throw new CodecException("unknown ledger snapshot version " + version + "; this build reads version "
                    + VERSION);
        }
        long appliedIndex = in.readVarLong("appliedIndex");
        long nowMillis = in.readZigZagLong("nowMillis");
        byte[] hash = in.readRawBytes(StateDigest.SIZE, "stateHash");
        Policy policy = PolicyCodec.decode(in);
        Ledger ledger = new Ledger(policy, appliedIndex, nowMillis, new StateDigest(hash));
        NodeBook nodes = ledger.nodeBook();

        int nodeCount = in.readCount("nodes", 8);
        List<NodeRecord> ordered = new ArrayList<>(nodeCount);
        for (int i = 0; i < nodeCount; i++) {
            ordered.add(readNode(in, nodes));
        }
        int deploymentCount = in.readCount("deployments", 16);
        for (int i = 0; i < deploymentCount; i++) {
            readDeployment(in, ledger);
        }
        DeploymentBook deployments = ledger.deploymentBook();
        for (NodeRecord node : ordered) {
            TreeMap<String, Long> credits = in.readLongMap("credits of " + node.nodeId);
            nodes.update(node, () -> {
                for (Map.Entry<String, Long> credit : credits.entrySet()) {
                    DeploymentRecord deployment = deployments.get(credit.getKey());
                    if (deployment == null) {
                        throw new CodecException("credit on node " + node.nodeId + " for unknown deployment "
                                + credit.getKey());
                    }
                    node.credits.put(deployment, credit.getValue());
                    node.creditBytes = Math.addExact(node.creditBytes, credit.getValue());
                }
            });
        }
        in.expectEnd("ledger snapshot");
        ledger.verifyBooks();
        return ledger;
    }

    private static NodeRecord readNode(BinaryReader in, NodeBook nodes) {
        String nodeId = in.readString("nodeId");
        if (nodes.get(nodeId) != null) {
            throw new CodecException("node " + nodeId + " appears twice in the snapshot");
        }
        NodeRecord node = nodes.register(nodeId);
        String operator = in.readString("operator");
        String zone = in.readString("zone");
        TreeMap<String, String> labels = in.readStringMap("labels");
        long declared = in.readZigZagLong("declaredBytes");
        long physical = in.readZigZagLong("physicalBytes");
        long available = in.readZigZagLong("availableBytes");
        long seq = in.readZigZagLong("lastReportSeq");
        long reportAt = in.readZigZagLong("lastReportAtMillis");
        int flags = in.readByte("node flags");
        nodes.update(node, () -> {
            node.operator = operator;
            node.zone = zone;
            node.labels = labels;
            node.declaredBytes = declared;
            node.physicalBytes = physical;
            node.availableBytes = available;
            node.lastReportSeq = seq;
            node.lastReportAtMillis = reportAt;
            node.reported = (flags & REPORTED) != 0;
            node.draining = (flags & DRAINING) != 0;
            node.down = (flags & DOWN) != 0;
            node.ejected = (flags & EJECTED) != 0;
        });
        return node;
    }

    private static void readDeployment(BinaryReader in, Ledger ledger) {
        DeploymentBook deployments = ledger.deploymentBook();
        String id = in.readString("deploymentId");
        OwnerRecord owner = deployments.owner(in.readString("owner"));
        DeploymentRecord d = new DeploymentRecord(id, owner, in.readZigZagLong("minBytes"),
                in.readZigZagLong("firmBytes"), in.readZigZagLong("reservationBytes"), in.readVarInt("replicas"),
                in.readBoolean("zoneSpread"), in.readZigZagInt("priority"), in.readZigZagLong("admittedAtMillis"),
                in.readVarLong("admittedIndex"), in.readZigZagLong("remainingBytesAtAdmission"),
                in.readZigZagLong("quotaChargeBytes"));
        d.status = DeploymentStatus.fromCode(in.readByte("deployment status"));
        List<String> placements = in.readStringList("placements");
        if (deployments.get(id) != null) {
            throw new CodecException("deployment " + id + " appears twice in the snapshot");
        }
        deployments.add(d);
        if (d.isAll()) {
            ledger.nodeBook().addAllReserved(d.reservationBytes);
        }
        for (String nodeId : placements) {
            NodeRecord node = ledger.nodeBook().get(nodeId);
            if (node == null) {
                throw new CodecException("deployment " + id + " placed on unknown node " + nodeId);
            }
            ledger.restoreAttach(d, node);
        }
    }
}
