package org.memledger.coordinator.ledger;

import java.util.Map;
import java.util.TreeMap;

import org.memledger.protocol.Admit;
import org.memledger.protocol.Command;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.NodeView;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.Release;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.ReportNode;
import org.memledger.protocol.Result;
import org.memledger.protocol.Tick;

/**
 * Feeds a real {@link Ledger} one command per entry with increasing indexes and a test-controlled
 * clock, and audits the books after every apply.
 */
final class LedgerDriver {
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;

    final Ledger ledger;
    private long index;
    private long timeMillis = 1_000_000;
    private final Map<String, Long> seqs = new TreeMap<>();

    LedgerDriver() {
        this(Policy.defaults());
    }

    LedgerDriver(Policy policy) {
        this.ledger = new Ledger(policy);
    }

    Result apply(Command command) {
        AppliedEntry applied = ledger.apply(++index, new LogEntry(timeMillis, command));
        ledger.verifyBooks();
        return applied.result();
    }

    void advance(long millis) {
        timeMillis += millis;
    }

    long time() {
        return timeMillis;
    }

    /** Registers a node and reports it with the given physical memory, all of it available. */
    void node(String id, String zone, long declaredBytes, long physicalBytes) {
        apply(RegisterNode.of(id, "op-" + id, zone, declaredBytes));
        report(id, declaredBytes, physicalBytes, physicalBytes, Map.of());
    }

    /** A node with no system reserve or headroom effects worth thinking about: capacity = declared. */
    void plainNode(String id, String zone, long capacityBytes) {
        node(id, zone, capacityBytes, capacityBytes * 10);
    }

    Result report(String id, long declared, long physical, long available, Map<String, Long> usage) {
        long seq = seqs.merge(id, 1L, Long::sum);
        return apply(new ReportNode(id, seq, declared, physical, available, new TreeMap<>(usage)));
    }

    Result admit(String id, long firmBytes) {
        return apply(Admit.of(id, "alice", firmBytes, Replicas.of(1)));
    }

    Result admit(String id, long firmBytes, Replicas replicas) {
        return apply(Admit.of(id, "alice", firmBytes, replicas));
    }

    Result release(String id) {
        return apply(new Release(id));
    }

    Result tick() {
        return apply(new Tick());
    }

    NodeView view(String nodeId) {
        return ledger.views().node(nodeId).orElseThrow();
    }

    /** Defaults without system reserve or headroom, so capacity = min(declared, physical) in tests. */
    static Policy noHeadroom() {
        return Policy.defaults().toBuilder().systemReservePct(0).headroomPct(0).build();
    }
}
