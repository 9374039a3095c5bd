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
}
