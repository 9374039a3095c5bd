package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.ledger.LedgerDriver.GIB;
import static org.memledger.coordinator.ledger.LedgerDriver.MIB;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.memledger.protocol.Admit;
import org.memledger.protocol.DrainNode;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.RemoveNode;
import org.memledger.protocol.Replicas;

/**
 * Snapshots written by earlier builds still restore. {@code snapshots/ledger-v1.snapshot} was written
 * by the version-1 writer from {@link #scenario()}'s ledger; restoring it must give exactly the
 * ledger this build reaches by applying the same entries: same hash, same snapshot bytes in the
 * current format, same answers to the next entries.
 */
class SnapshotCompatibilityTest {

    /**
     * Every kind of state a snapshot carries: several zones, k-placed (spread and not) and ALL
     * deployments, two owners, credits on k-placed and ALL deployments, labels, a registered node that never reported, a draining node, an ejected
     * node whose deployments were re-placed or displaced, a released deployment and a node gone DOWN.
     */
    static LedgerDriver scenario() {
        LedgerDriver d = new LedgerDriver();
        d.node("a", "z1", 64 * GIB, 96 * GIB);
        d.node("b", "z2", 16 * GIB, 32 * GIB);
        d.node("c", "z2", 16 * GIB, 32 * GIB);
        d.node("d", "z3", 8 * GIB, 16 * GIB);
        d.node("e", "z1", 32 * GIB, 48 * GIB);
        d.apply(new RegisterNode("e", "op-e", "z1", new TreeMap<>(Map.of("rack", "r7", "gpu", "none")), 32 * GIB));
        d.apply(RegisterNode.of("f", "op-f", "z4", 8 * GIB));
        d.admit("d1", GIB);
        d.admit("d2", 2 * GIB, Replicas.of(2));
        d.apply(new Admit("d3", "bob", null, 3 * GIB, Replicas.of(3), true, 5));
        d.apply(new Admit("d4", "bob", 256 * MIB, GIB, Replicas.of(2), false, -1));
        d.admit("all-1", 512 * MIB, Replicas.ALL);
        d.admit("big", 40 * GIB);
        d.admit("gone", GIB, Replicas.of(2));
        d.release("gone");
        d.report("a", 64 * GIB, 96 * GIB, 50 * GIB, Map.of("big", 10 * GIB, "all-1", 100 * MIB, "d1", 9 * GIB));
        d.report("b", 16 * GIB, 32 * GIB, 12 * GIB, Map.of("all-1", 600 * MIB, "d2", MIB, "unknown", GIB));
        d.apply(new DrainNode("c"));
        d.apply(new RemoveNode("a"));
        d.admit("all-2", 128 * MIB, Replicas.ALL);
        d.advance(d.ledger.policy().heartbeatTimeoutMillis() / 2);
        d.report("b", 16 * GIB, 32 * GIB, 11 * GIB, Map.of("all-1", 300 * MIB, "all-2", 64 * MIB, "d2", 2 * MIB));
        d.report("e", 32 * GIB, 48 * GIB, 30 * GIB, Map.of("all-2", 100 * MIB));
        d.advance(d.ledger.policy().heartbeatTimeoutMillis() / 2 + 1);
        d.tick();
        return d;
    }

    @Test
    void version1SnapshotRestoresToTheSameLedger() throws IOException {
        LedgerDriver d = scenario();
        byte[] v1 = resource("snapshots/ledger-v1.snapshot");
        assertThat(v1[1]).isEqualTo((byte) 1);

        Ledger restored = Ledger.restore(v1);
        restored.verifyBooks();
        assertThat(restored.stateHashHex()).isEqualTo(d.ledger.stateHashHex());
        assertThat(restored.snapshot()).isEqualTo(d.ledger.snapshot());
        assertThat(restored.views().nodes()).isEqualTo(d.ledger.views().nodes());

        long next = d.ledger.appliedIndex() + 1;
        LogEntry entry = new LogEntry(d.time() + 5, Admit.of("d5", "bob", 3 * GIB, Replicas.of(2)));
        AppliedEntry original = d.ledger.apply(next, entry);
        AppliedEntry replayed = restored.apply(next, entry);
        assertThat(replayed.resultBytes()).isEqualTo(original.resultBytes());
        assertThat(replayed.stateHash()).isEqualTo(original.stateHash());
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SnapshotCompatibilityTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
