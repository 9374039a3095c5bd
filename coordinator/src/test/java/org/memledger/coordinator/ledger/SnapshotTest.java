package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memledger.coordinator.ledger.LedgerDriver.GIB;
import static org.memledger.coordinator.ledger.LedgerDriver.MIB;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.memledger.protocol.DrainNode;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.codec.CodecException;

class SnapshotTest {

    @Test
    void restoredLedgerHasTheSameSnapshotViewsAndFuture() {
        LedgerDriver d = new LedgerDriver();
        d.node("a", "z1", 16 * GIB, 32 * GIB);
        d.node("b", "z2", 8 * GIB, 16 * GIB);
        d.node("c", "z2", 8 * GIB, 16 * GIB);
        d.admit("d1", GIB);
        d.admit("d2", 2 * GIB, Replicas.of(2));
        d.admit("all", 512 * MIB, Replicas.ALL);
        d.report("a", 16 * GIB, 32 * GIB, 20 * GIB, Map.of("d1", 300 * MIB, "all", GIB));
        d.apply(new DrainNode("c"));

        byte[] snapshot = d.ledger.snapshot();
        Ledger restored = Ledger.restore(snapshot);
        restored.verifyBooks();
        assertThat(restored.snapshot()).isEqualTo(snapshot);
        assertThat(restored.stateHashHex()).isEqualTo(d.ledger.stateHashHex());
        assertThat(restored.views().capacity()).isEqualTo(d.ledger.views().capacity());
        assertThat(restored.appliedIndex()).isEqualTo(d.ledger.appliedIndex());

        long next = d.ledger.appliedIndex() + 1;
        LogEntry entry = new LogEntry(d.time() + 5, org.memledger.protocol.Admit.of("d3", "bob", 3 * GIB,
                Replicas.of(1)));
        AppliedEntry original = d.ledger.apply(next, entry);
        AppliedEntry replayed = restored.apply(next, entry);
        assertThat(replayed.resultBytes()).isEqualTo(original.resultBytes());
        assertThat(replayed.stateHash()).isEqualTo(original.stateHash());
    }

    @Test
    void corruptOrForeignSnapshotsAreRefusedClearly() {
        byte[] snapshot = new Ledger().snapshot();
        byte[] wrongVersion = snapshot.clone();
        wrongVersion[1] = 9;
        assertThatThrownBy(() -> Ledger.restore(wrongVersion)).isInstanceOf(CodecException.class)
                .hasMessageContaining("version 9");
        byte[] truncated = java.util.Arrays.copyOf(snapshot, snapshot.length - 1);
        assertThatThrownBy(() -> Ledger.restore(truncated)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> Ledger.restore(new byte[] {1, 2, 3})).isInstanceOf(CodecException.class)
                .hasMessageContaining("not a ledger snapshot");
    }

    /**
     * The bulk restore (records filled in directly, every node filed once at the end) must leave the
     * same ledger as the entries that built it: same books (the audit), every node filed under its
     * current key, and the same decisions and hashes for whatever comes next, which exercises the
     * placement index and heartbeat queue it rebuilt.
     */
    @Test
    void bulkRestoreEqualsTheIncrementallyBuiltLedger() {
        LedgerDriver d = new LedgerDriver();
        for (int n = 0; n < 24; n++) {
            d.node(String.format("n%02d", n), "z" + (n % 4), (8 + n) * GIB, (16 + n) * GIB);
        }
        for (int i = 0; i < 600; i++) {
            d.apply(new org.memledger.protocol.Admit(String.format("d%04d", i), "owner" + (i % 7), null,
                    (64 + i % 50) * MIB, Replicas.of(1 + i % 3), i % 5 == 0, i % 3));
        }
        d.admit("all", 256 * MIB, Replicas.ALL);
        for (int i = 0; i < 600; i += 4) {
            d.release(String.format("d%04d", i));
        }
        d.report("n03", 11 * GIB, 19 * GIB, 9 * GIB, Map.of("d0001", 10 * MIB, "all", 100 * MIB, "d0005", MIB));
        d.apply(new DrainNode("n07"));
        d.apply(new org.memledger.protocol.RemoveNode("n02"));

        Ledger restored = Ledger.restore(d.ledger.snapshot());
        restored.verifyBooks();
        for (NodeRecord node : restored.nodeBook().all()) {
            assertThat(restored.nodeBook().filedCorrectly(node)).as("node %s filed", node.nodeId).isTrue();
        }
        assertThat(restored.nodeBook().placement().size()).isEqualTo(d.ledger.nodeBook().placement().size());
        assertThat(restored.views().nodes()).isEqualTo(d.ledger.views().nodes());

        long index = d.ledger.appliedIndex();
        long time = d.time();
        for (int i = 0; i < 200; i++) {
            org.memledger.protocol.Command command = i % 4 == 3
                    ? new org.memledger.protocol.Release(String.format("d%04d", i * 2 + 1))
                    : new org.memledger.protocol.Admit("e" + i, "owner" + (i % 3), null, (100 + i) * MIB,
                    Replicas.of(1 + i % 2), i % 2 == 0, 0);
            LogEntry entry = new LogEntry(time + i, command);
            AppliedEntry original = d.ledger.apply(++index, entry);
            AppliedEntry replayed = restored.apply(index, entry);
            assertThat(replayed.resultBytes()).as("result of entry %d", index).isEqualTo(original.resultBytes());
            assertThat(replayed.stateHash()).isEqualTo(original.stateHash());
        }
        restored.verifyBooks();
        assertThat(restored.snapshot()).isEqualTo(d.ledger.snapshot());
    }

    @Test
    void aVersion2SnapshotIsSmallerThanVersion1ForTheSameState() throws Exception {
        // Nodes and owners by ordinal instead of by id: the point of version 2 besides speed.
        byte[] v1;
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream("snapshots/ledger-v1.snapshot")) {
            v1 = in.readAllBytes();
        }
        byte[] v2 = SnapshotCompatibilityTest.scenario().ledger.snapshot();
        assertThat(v2[1]).isEqualTo((byte) LedgerSnapshot.VERSION);
        assertThat(v2.length).isLessThan(v1.length);
    }
}
