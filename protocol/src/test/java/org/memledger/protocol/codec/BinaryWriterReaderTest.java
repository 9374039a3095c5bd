package org.memledger.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BinaryWriterReaderTest {

    @Test
    void varintLengthsAreMinimal() {
        assertThat(varLongSize(0)).isEqualTo(1);
        assertThat(varLongSize(127)).isEqualTo(1);
        assertThat(varLongSize(128)).isEqualTo(2);
        assertThat(varLongSize(16_383)).isEqualTo(2);
        assertThat(varLongSize(16_384)).isEqualTo(3);
        assertThat(varLongSize(Long.MAX_VALUE)).isEqualTo(9);
        assertThat(zigZagSize(-1)).isEqualTo(1);
        assertThat(zigZagSize(63)).isEqualTo(1);
        assertThat(zigZagSize(64)).isEqualTo(2);
        assertThat(zigZagSize(-64)).isEqualTo(1);
        assertThat(zigZagSize(Long.MIN_VALUE)).isEqualTo(10);
        assertThat(zigZagSize(Long.MAX_VALUE)).isEqualTo(10);
    }

    @Test
    void everyPrimitiveRoundTrips() {
        SplittableRandom random = new SplittableRandom(7);
        BinaryWriter w = new BinaryWriter(1);
        long[] longs = new long[2_000];
        int[] ints = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            long[] edges = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE};
            longs[i] = i < edges.length ? edges[i] : random.nextLong() >> random.nextInt(64);
            ints[i] = (int) longs[i];
            w.writeZigZagLong(longs[i]);
            w.writeVarLong(longs[i] & Long.MAX_VALUE);
            w.writeZigZagInt(ints[i]);
            w.writeVarInt(ints[i] & Integer.MAX_VALUE);
            w.writeFixedLong(longs[i]);
            w.writeBoolean((longs[i] & 1) == 0);
            w.writeByte(ints[i]);
            w.writeNullableLong(i % 3 == 0 ? null : longs[i]);
        }
        BinaryReader r = new BinaryReader(w.toByteArray());
        for (int i = 0; i < longs.length; i++) {
            assertThat(r.readZigZagLong("l")).isEqualTo(longs[i]);
            assertThat(r.readVarLong("v")).isEqualTo(longs[i] & Long.MAX_VALUE);
            assertThat(r.readZigZagInt("i")).isEqualTo(ints[i]);
            assertThat(r.readVarInt("vi")).isEqualTo(ints[i] & Integer.MAX_VALUE);
            assertThat(r.readFixedLong("f")).isEqualTo(longs[i]);
            assertThat(r.readBoolean("b")).isEqualTo((longs[i] & 1) == 0);
            assertThat(r.readByte("byte")).isEqualTo(ints[i] & 0xFF);
            assertThat(r.readNullableLong("n")).isEqualTo(i % 3 == 0 ? null : longs[i]);
        }
        r.expectEnd("primitives");
    }

    @Test
    void fixedLongIsBigEndian() {
        BinaryWriter w = new BinaryWriter();
        w.writeFixedLong(0x0102030405060708L);
        assertThat(w.toByteArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void stringsAreUtf8WithAVarintLength() {
        for (String s : List.of("", "a", "plain ascii", "é", "日本語", "😀", "a😀b\u0000c", "x".repeat(300),
                "ü".repeat(200))) {
            BinaryWriter w = new BinaryWriter(2);
            w.writeString(s);
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            BinaryWriter expected = new BinaryWriter();
            expected.writeVarInt(utf8.length);
            expected.writeRawBytes(utf8, 0, utf8.length);
            assertThat(w.toByteArray()).as(s).isEqualTo(expected.toByteArray());
            BinaryReader r = new BinaryReader(w.toByteArray());
            assertThat(r.readString("s")).isEqualTo(s);
            r.expectEnd("string");
        }
    }

    @Test
    void overlongAndSurrogateUtf8IsRefused() {
        // "/" encoded in two bytes, and U+D800 encoded as if it were a character (CESU-8).
        for (byte[] bad : List.of(new byte[] {2, (byte) 0xC0, (byte) 0xAF},
                new byte[] {3, (byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {1, (byte) 0xFF})) {
            assertThatThrownBy(() -> new BinaryReader(bad).readString("s"))
                    .isInstanceOf(CodecException.class).hasMessageContaining("invalid UTF-8 in s at offset 0");
        }
    }

    @Test
    void writerGrowsAndResets() {
        BinaryWriter w = new BinaryWriter(1);
        for (int i = 0; i < 100_000; i++) {
            w.writeFixedLong(i);
        }
        assertThat(w.size()).isEqualTo(800_000);
        byte[] grown = w.array();
        w.reset();
        assertThat(w.size()).isZero();
        w.writeString("again");
        assertThat(w.array()).isSameAs(grown);
        assertThat(w.toByteArray()).containsExactly(5, 'a', 'g', 'a', 'i', 'n');
    }

    @Test
    void unsignedWritesRefuseNegatives() {
        assertThatThrownBy(() -> new BinaryWriter().writeVarLong(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BinaryWriter().writeVarInt(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapsAndListsRoundTrip() {
        BinaryWriter w = new BinaryWriter();
        TreeMap<String, String> strings = new TreeMap<>(Map.of("b", "2", "a", "1", "é", ""));
        TreeMap<String, Long> longs = new TreeMap<>(Map.of("x", Long.MIN_VALUE, "y", 0L));
        w.writeStringMap(strings);
        w.writeLongMap(longs);
        w.writeLongMap(new TreeMap<>());
        w.writeStringList(List.of("n2", "n1", "n2"));
        w.writeBytes(new byte[] {9, 8, 7});
        BinaryReader r = new BinaryReader(w.toByteArray());
        assertThat(r.readStringMap("m")).isEqualTo(strings);
        assertThat(r.readLongMap("l")).isEqualTo(longs);
        assertThat(r.readLongMap("e")).isEmpty();
        assertThat(r.readStringList("list")).containsExactly("n2", "n1", "n2");
        assertThat(r.readBytes("bytes")).containsExactly(9, 8, 7);
        r.expectEnd("maps");
    }

    @Test
    void positionsCountFromTheStartOfTheSlice() {
        byte[] bytes = {99, 99, 5, 1, 2};
        BinaryReader r = new BinaryReader(bytes, 2, 2);
        assertThat(r.position()).isZero();
        assertThat(r.remaining()).isEqualTo(2);
        assertThat(r.readVarInt("a")).isEqualTo(5);
        assertThat(r.position()).isEqualTo(1);
        assertThatThrownBy(() -> r.expectEnd("slice")).isInstanceOf(CodecException.class)
                .hasMessage("1 trailing byte(s) after slice at offset 1");
        assertThat(r.readByte("b")).isEqualTo(1);
        r.expectEnd("slice");
        assertThatThrownBy(() -> r.readFixedLong("tail")).isInstanceOf(CodecException.class)
                .hasMessage("truncated input: tail at offset 2 needs 8 byte(s), 0 left");
    }

    @Test
    void varintsBeyondTheirRangeAreRefused() {
        byte[] elevenBytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1};
        assertThatThrownBy(() -> new BinaryReader(elevenBytes).readZigZagLong("x"))
                .isInstanceOf(CodecException.class).hasMessageContaining("more than 10 bytes");
        byte[] sixtyFiveBits = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 2};
        assertThatThrownBy(() -> new BinaryReader(sixtyFiveBits).readZigZagLong("x"))
                .isInstanceOf(CodecException.class).hasMessageContaining("exceeds 64 bits");
        BinaryWriter big = new BinaryWriter();
        big.writeVarLong(1L << 31);
        assertThatThrownBy(() -> new BinaryReader(big.toByteArray()).readVarInt("count"))
                .isInstanceOf(CodecException.class).hasMessageContaining("beyond 2147483647");
        BinaryWriter thirtyThreeBits = new BinaryWriter();
        thirtyThreeBits.writeVarLong(1L << 32);
        assertThatThrownBy(() -> new BinaryReader(thirtyThreeBits.toByteArray()).readZigZagInt("i"))
                .isInstanceOf(CodecException.class).hasMessageContaining("beyond 32 bits");
        BinaryWriter huge = new BinaryWriter();
        huge.writeZigZagLong(Long.MIN_VALUE);
        assertThatThrownBy(() -> new BinaryReader(huge.toByteArray()).readVarLong("v"))
                .isInstanceOf(CodecException.class).hasMessageContaining("exceeds " + Long.MAX_VALUE);
    }

    private static int varLongSize(long value) {
        BinaryWriter w = new BinaryWriter();
        w.writeVarLong(value);
        return w.size();
    }

    private static int zigZagSize(long value) {
        BinaryWriter w = new BinaryWriter();
        w.writeZigZagLong(value);
        return w.size();
    }
}
