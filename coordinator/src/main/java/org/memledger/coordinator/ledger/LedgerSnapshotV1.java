package org.memledger.coordinator.ledger;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.memledger.protocol.DeploymentStatus;
import org.memledger.protocol.Policy;
import org.memledger.protocol.codec.BinaryReader;
import org.memledger.protocol.codec.CodecException;
import org.memledger.protocol.codec.PolicyCodec;

/**
 * Reads snapshots of version 1, which replicas wrote before version 2 (kept so a replica upgraded in
 * place restarts from the snapshot it already has instead of needing the whole log or a transfer).
 * Layout after magic and version: appliedIndex, nowMillis, state hash, policy; the nodes in id order;
 * the deployments in id order, each naming its owner and its placements by id; then for every node,
 * in the same order, its credits as a map from deployment id to bytes. Never written any more.
 */
final class LedgerSnapshotV1 {
    static final int VERSION = 1;

    private LedgerSnapshotV1() {
    }

    /** The rest of a version-1 snapshot, {@code in} positioned after the version byte. */
    static Ledger readAfterVersion(BinaryReader in) {
        long appliedIndex = in.readVarLong("appliedIndex");
        long nowMillis = in.readZigZagLong("nowMillis");
        byte[] hash = in.readRawBytes(StateDigest.SIZE, "stateHash");
        Policy policy = PolicyCodec.decode(in);
        int nodeCount = in.readCount("nodes", 8);
        // The deployment count comes only after the nodes: the book is not pre-sized for this old layout.
        LedgerRestore restore = new LedgerRestore(policy, appliedIndex, nowMillis, hash, 0);
        NodeRecord[] nodes = new NodeRecord[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            nodes[i] = LedgerSnapshot.readNode(in, restore);
        }
        int deploymentCount = in.readCount("deployments", 16);
        for (int i = 0; i < deploymentCount; i++) {
            readDeployment(in, restore);
        }
        for (NodeRecord node : nodes) {
            TreeMap<String, Long> credits = in.readLongMap("credits of " + node.nodeId);
            for (Map.Entry<String, Long> credit : credits.entrySet()) {
                DeploymentRecord deployment = restore.deployment(credit.getKey());
                if (deployment == null) {
                    throw new CodecException("credit on node " + node.nodeId + " for unknown deployment "
                            + credit.getKey());
                }
                restore.addCredit(node, deployment, credit.getValue());
            }
        }
        in.expectEnd("ledger snapshot");
        return restore.finish();
    }

    private static void readDeployment(BinaryReader in, LedgerRestore restore) {
        String id = in.readString("deploymentId");
        OwnerRecord owner = restore.owner(in.readString("owner"));
        DeploymentRecord d = new DeploymentRecord(id, owner, in.readZigZagLong("minBytes"),
                in.readZigZagLong("firmBytes"), in.readZigZagLong("reservationBytes"), in.readVarInt("replicas"),
                in.readBoolean("zoneSpread"), in.readZigZagInt("priority"), in.readZigZagLong("admittedAtMillis"),
                in.readVarLong("admittedIndex"), in.readZigZagLong("remainingBytesAtAdmission"),
                in.readZigZagLong("quotaChargeBytes"));
        d.status = DeploymentStatus.fromCode(in.readByte("deployment status"));
        List<String> placementIds = in.readStringList("placements");
        NodeRecord[] placements = placementIds.isEmpty() ? DeploymentRecord.NO_NODES
                : new NodeRecord[placementIds.size()];
        for (int i = 0; i < placements.length; i++) {
            placements[i] = restore.node(placementIds.get(i));
            if (placements[i] == null) {
                throw new CodecException("deployment " + id + " placed on unknown node " + placementIds.get(i));
            }
        }
        restore.addDeployment(d, placements);
    }
}
