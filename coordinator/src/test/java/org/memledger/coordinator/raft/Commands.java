package org.memledger.coordinator.raft;

import java.util.TreeMap;

import org.memledger.protocol.Admit;
import org.memledger.protocol.Command;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.ReportNode;

/** Small command builders for the Raft tests. */
final class Commands {
    static final long GIB = Policy.GIB;
    static final long MIB = Policy.MIB;

    private Commands() {
    }

    static Command register(String nodeId, String zone, long declaredBytes) {
        return RegisterNode.of(nodeId, "op-" + nodeId, zone, declaredBytes);
    }

    /** A report with all physical memory available; physical is large enough that capacity = declared. */
    static Command report(String nodeId, long seq, long declaredBytes) {
        long physical = declaredBytes * 2;
        return new ReportNode(nodeId, seq, declaredBytes, physical, physical, new TreeMap<>());
    }

    static Command admit(String id, long firmBytes) {
        return Admit.of(id, "owner-" + (Math.abs(id.hashCode()) % 7), firmBytes, Replicas.of(1));
    }
}
