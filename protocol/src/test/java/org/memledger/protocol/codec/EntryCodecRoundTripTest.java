package org.memledger.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Batch;
import org.memledger.protocol.Command;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.Release;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.ReportNode;
import org.memledger.protocol.SetPolicy;
import org.memledger.protocol.Tick;

class EntryCodecRoundTripTest {
    private static final int SEEDS = 200;
    private static final int ENTRIES_PER_SEED = 50;

    @TestFactory
    Stream<DynamicTest> randomEntriesRoundTrip() {
        return Seeds.each("entries", SEEDS, seed -> {
            RandomProtocol random = new RandomProtocol(seed);
            BinaryWriter reused = new BinaryWriter(16);
            for (int i = 0; i < ENTRIES_PER_SEED; i++) {
                assertRoundTrip(random.logEntry(), reused, "seed " + seed + " entry " + i + ", " + Seeds.replay(seed));
            }
        });
    }

    private static void assertRoundTrip(LogEntry entry, BinaryWriter reused, String context) {
        byte[] bytes = EntryCodec.encode(entry);
        LogEntry decoded = EntryCodec.decode(bytes);
        assertThat(decoded).as(context).isEqualTo(entry);
        assertThat(EntryCodec.encode(decoded)).as(context + ": re-encoding is byte-identical").isEqualTo(bytes);

        reused.reset();
        EntryCodec.encode(entry, reused);
        assertThat(reused.toByteArray()).as(context + ": a reused writer gives the same bytes").isEqualTo(bytes);

        byte[] padded = new byte[bytes.length + 7];
        Arrays.fill(padded, (byte) 0x5A);
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        assertThat(EntryCodec.decode(padded, 3, bytes.length)).as(context + ": decoded from a slice").isEqualTo(entry);
    }

    @Test
    void handPickedEntriesRoundTrip() {
        List<Command> commands = List.of(
                new Tick(),
                new Release("d1"),
                Admit.of("d1", "alice", 512L << 20, Replicas.ALL),
                new Admit("d2", "bob", null, null, Replicas.of(3), true, -7),
                new Admit("d3", "bob", Long.MIN_VALUE, Long.MAX_VALUE, Replicas.of(Integer.MIN_VALUE), false,
                        Integer.MAX_VALUE),
                RegisterNode.of("n1", "op-a", "z1", Map.of("gpu", "a100", "rack", "r7"), 8L << 30),
                new RegisterNode("ñ😀", "", "", new TreeMap<>(), -1),
                new ReportNode("n1", 17, 1, 2, 3, new TreeMap<>(Map.of("d1", -5L, "d2", Long.MAX_VALUE))),
                new SetPolicy(Policy.defaults()),
                new Batch(List.of()),
                new Batch(List.of(new Tick(), new Release("x"), new SetPolicy(Policy.defaults()))));
        for (Command command : commands) {
            for (long time : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1_767_225_600_000L}) {
                assertRoundTrip(new LogEntry(time, command), new BinaryWriter(), command.toString());
            }
        }
    }

    @Test
    void headerIsMagicThenVersion() {
        byte[] bytes = EntryCodec.encode(new LogEntry(0, new Tick()));
        assertThat(bytes).containsExactly(0x4D, 1, 0, 8);
    }

    @Test
    void encodeAppendsToWhatTheWriterAlreadyHolds() {
        BinaryWriter out = new BinaryWriter();
        out.writeByte(0xFF);
        EntryCodec.encode(new LogEntry(5, new Tick()), out);
        assertThat(out.toByteArray()).containsExactly(0xFF, 0x4D, 1, 10, 8);
    }

    @Test
    void mapsAreWrittenInNaturalOrderWhateverTheirComparator() {
        TreeMap<String, String> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.put("a", "1");
        reversed.put("b", "2");
        RegisterNode custom = new RegisterNode("n1", "op", "z", reversed, 1);
        RegisterNode natural = RegisterNode.of("n1", "op", "z", Map.of("a", "1", "b", "2"), 1);
        assertThat(EntryCodec.encode(new LogEntry(1, custom))).isEqualTo(EntryCodec.encode(new LogEntry(1, natural)));
    }

    @Test
    void commandsCanBeEncodedWithoutAnEntryHeader() {
        Command command = new Admit("d1", "o", 1L, 2L, Replicas.of(2), true, 3);
        BinaryWriter out = new BinaryWriter();
        EntryCodec.encodeCommand(command, out);
        BinaryReader in = new BinaryReader(out.toByteArray());
        assertThat(EntryCodec.decodeCommand(in)).isEqualTo(command);
        in.expectEnd("command");
    }

    @Test
    void nullFieldsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> EntryCodec.encode(new LogEntry(1, new Release(null))))
                .isInstanceOf(CodecException.class).hasMessageContaining("Release.deploymentId");
        assertThatThrownBy(() -> EntryCodec.encode(new LogEntry(1, new Admit("d", "o", 1L, 1L, null, false, 0))))
                .isInstanceOf(CodecException.class).hasMessageContaining("Admit.replicas");
        assertThatThrownBy(() -> EntryCodec.encode(new LogEntry(1, new SetPolicy(null))))
                .isInstanceOf(CodecException.class).hasMessageContaining("Policy");
        assertThatThrownBy(() -> EntryCodec.encode(new LogEntry(1, null)))
                .isInstanceOf(CodecException.class).hasMessageContaining("null command");
        TreeMap<String, Long> usage = new TreeMap<>();
        usage.put("d1", null);
        assertThatThrownBy(() -> EntryCodec.encode(new LogEntry(1, new ReportNode("n", 1, 1, 1, 1, usage))))
                .isInstanceOf(CodecException.class).hasMessageContaining("d1");
    }

    @Test
    void nestedBatchesAreRefusedWhenEncoding() {
        Batch nested = new Batch(List.of(new Batch(List.of(new Tick()))));
        assertThatThrownBy(() -> EntryCodec.encode(new LogEntry(1, nested)))
                .isInstanceOf(CodecException.class).hasMessageContaining("batches do not nest");
    }

    @Test
    void unpairedSurrogatesAreRefusedRatherThanReplaced() {
        assertThatThrownBy(() -> EntryCodec.encode(new LogEntry(1, new Release("a\uD800b"))))
                .isInstanceOf(CodecException.class).hasMessageContaining("unpaired surrogate at index 1");
        assertThatThrownBy(() -> EntryCodec.encode(new LogEntry(1, new Release("a\uDC00"))))
                .isInstanceOf(CodecException.class).hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> EntryCodec.encode(new LogEntry(1, new Release("\uD800"))))
                .isInstanceOf(CodecException.class).hasMessageContaining("unpaired surrogate");
    }
}
