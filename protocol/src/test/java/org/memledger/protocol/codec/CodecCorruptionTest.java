package org.memledger.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.memledger.protocol.Ack;
import org.memledger.protocol.CommandKind;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.Policy;
import org.memledger.protocol.Release;
import org.memledger.protocol.ResultKind;
import org.memledger.protocol.SetPolicy;
import org.memledger.protocol.Tick;

/**
 * Corrupt input must end in a {@link CodecException} and nothing else (an exception of another type
 * while applying a Raft entry would stop the replica), and whatever corrupt input does decode must
 * re-encode to the same bytes (the format is canonical, so a flipped bit cannot hide).
 */
class CodecCorruptionTest {
    private static final int SEEDS = 20;
    private static final int SAMPLES_PER_SEED = 20;
    /** Every prefix of every sample is decoded, so fewer samples keep this test quadratic but quick. */
    private static final int TRUNCATED_SAMPLES_PER_SEED = 10;
    private static final int FLIPS_PER_SAMPLE = 200;

    @TestFactory
    Stream<DynamicTest> everyTruncationOfAnEntryIsACodecException() {
        return Seeds.each("entry truncations", SEEDS, seed -> {
            RandomProtocol random = new RandomProtocol(seed);
            for (int i = 0; i < TRUNCATED_SAMPLES_PER_SEED; i++) {
                assertEveryTruncationFails(EntryCodec.encode(random.logEntry()),
                        (b, length) -> EntryCodec.decode(b, 0, length), seed);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> everyTruncationOfAResultIsACodecException() {
        return Seeds.each("result truncations", SEEDS, seed -> {
            RandomProtocol random = new RandomProtocol(seed);
            for (int i = 0; i < TRUNCATED_SAMPLES_PER_SEED; i++) {
                assertEveryTruncationFails(ResultCodec.encode(random.result(true)),
                        (b, length) -> ResultCodec.decode(b, 0, length), seed);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> flippedEntryBytesDecodeCanonicallyOrFailCleanly() {
        return Seeds.each("entry flips", SEEDS, seed -> {
            RandomProtocol random = new RandomProtocol(seed);
            SplittableRandom flips = new SplittableRandom(seed);
            for (int i = 0; i < SAMPLES_PER_SEED; i++) {
                byte[] valid = EntryCodec.encode(random.logEntry());
                for (int f = 0; f < FLIPS_PER_SAMPLE; f++) {
                    byte[] corrupt = flip(valid, flips);
                    assertDecodesCanonicallyOrFails(corrupt, EntryCodec::decode, EntryCodec::encode, seed);
                }
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> flippedResultBytesDecodeCanonicallyOrFailCleanly() {
        return Seeds.each("result flips", SEEDS, seed -> {
            RandomProtocol random = new RandomProtocol(seed);
            SplittableRandom flips = new SplittableRandom(seed);
            for (int i = 0; i < SAMPLES_PER_SEED; i++) {
                byte[] valid = ResultCodec.encode(random.result(true));
                for (int f = 0; f < FLIPS_PER_SAMPLE; f++) {
                    byte[] corrupt = flip(valid, flips);
                    assertDecodesCanonicallyOrFails(corrupt, ResultCodec::decode, ResultCodec::encode, seed);
                }
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> randomGarbageFailsCleanly() {
        return Seeds.each("garbage", SEEDS, seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < 2_000; i++) {
                byte[] garbage = new byte[random.nextInt(0, 64)];
                random.nextBytes(garbage);
                if (garbage.length > 1 && random.nextBoolean()) {
                    // Past the header, so the body parsers see the garbage too.
                    garbage[0] = (byte) (random.nextBoolean() ? EntryCodec.MAGIC : ResultCodec.MAGIC);
                    garbage[1] = 1;
                }
                assertDecodesCanonicallyOrFails(garbage, EntryCodec::decode, EntryCodec::encode, seed);
                assertDecodesCanonicallyOrFails(garbage, ResultCodec::decode, ResultCodec::encode, seed);
            }
        });
    }

    private static byte[] flip(byte[] valid, SplittableRandom random) {
        byte[] corrupt = valid.clone();
        int count = random.nextInt(1, 4);
        for (int i = 0; i < count; i++) {
            corrupt[random.nextInt(corrupt.length)] ^= (byte) random.nextInt(1, 256);
        }
        return corrupt;
    }

    private static void assertEveryTruncationFails(byte[] valid, SliceDecoder decoder, long seed) {
        for (int length = 0; length < valid.length; length++) {
            try {
                Object decoded = decoder.decode(valid, length);
                fail("a " + length + "-byte prefix of a " + valid.length + "-byte encoding decoded to " + decoded
                        + "; " + Seeds.replay(seed));
            } catch (CodecException expected) {
                // The only acceptable outcome.
            }
        }
    }

    private static <T> void assertDecodesCanonicallyOrFails(byte[] bytes, Function<byte[], T> decode,
                                                            Function<T, byte[]> encode, long seed) {
        T decoded;
        try {
            decoded = decode.apply(bytes);
        } catch (CodecException expected) {
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("decoding " + Arrays.toString(bytes) + " threw " + e + " instead of a "
                    + "CodecException; " + Seeds.replay(seed), e);
        }
        assertThat(encode.apply(decoded)).as("corrupt bytes that decode must re-encode identically; "
                + Seeds.replay(seed)).isEqualTo(bytes);
    }

    @FunctionalInterface
    private interface SliceDecoder {
        Object decode(byte[] bytes, int length);
    }

    // ---- specific corruptions, each with the message it must produce ----

    @Test
    void unknownVersionIsNamed() {
        byte[] bytes = EntryCodec.encode(new LogEntry(1, new Tick()));
        bytes[1] = 7;
        assertEntry(bytes).hasMessage("unknown log entry format version 7; this build reads version 1");
        byte[] result = ResultCodec.encode(new Ack());
        result[1] = 9;
        assertResult(result).hasMessage("unknown result format version 9; this build reads version 1");
    }

    @Test
    void wrongMagicIsNamed() {
        byte[] bytes = EntryCodec.encode(new LogEntry(1, new Tick()));
        bytes[0] = 0x52;
        assertEntry(bytes).hasMessageContaining("not a log entry").hasMessageContaining("0x52");
        assertResult(EntryCodec.encode(new LogEntry(1, new Tick()))).hasMessageContaining("not a result");
    }

    @Test
    void unknownTagsAreNamed() {
        assertEntry(entryWith(w -> w.writeByte(42))).hasMessage("unknown command tag 42 at offset 3");
        assertEntry(entryWith(w -> w.writeByte(0))).hasMessageContaining("unknown command tag 0");
        assertEntry(entryWith(w -> w.writeByte(255))).hasMessageContaining("unknown command tag 255");
        assertResult(new byte[] {0x52, 1, 99}).hasMessage("unknown result tag 99 at offset 2");
    }

    @Test
    void unknownEnumCodesAreNamed() {
        assertEntry(entryWith(w -> {
            w.writeByte(CommandKind.SET_POLICY.code());
            writePolicyWithReserveModeCode(w, 9);
        })).hasMessageContaining("unknown reserve mode code 9").hasMessageContaining("Policy.reserveMode");

        BinaryWriter rejected = resultHeader(ResultKind.REJECTED);
        rejected.writeString("d1");
        rejected.writeVarInt(77);
        rejected.writeString("m");
        rejected.writeZigZagLong(0);
        assertResult(rejected.toByteArray()).hasMessageContaining("unknown reject reason code 77");

        BinaryWriter invalid = resultHeader(ResultKind.INVALID);
        invalid.writeVarInt(0);
        invalid.writeString("f");
        invalid.writeString("m");
        assertResult(invalid.toByteArray()).hasMessageContaining("unknown error code 0");
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] valid = EntryCodec.encode(new LogEntry(1, new Release("d1")));
        byte[] longer = Arrays.copyOf(valid, valid.length + 2);
        assertEntry(longer).hasMessage("2 trailing byte(s) after log entry at offset " + valid.length);
        byte[] result = Arrays.copyOf(ResultCodec.encode(new Ack()), 4);
        assertResult(result).hasMessageContaining("trailing byte(s) after result");
    }

    @Test
    void nestedBatchesAreRefused() {
        assertEntry(entryWith(w -> {
            w.writeByte(CommandKind.BATCH.code());
            w.writeVarInt(1);
            w.writeByte(CommandKind.BATCH.code());
            w.writeVarInt(0);
        })).hasMessageContaining("batches do not nest");
        BinaryWriter nested = resultHeader(ResultKind.BATCH);
        nested.writeVarInt(1);
        nested.writeByte(ResultKind.BATCH.code());
        nested.writeVarInt(0);
        assertResult(nested.toByteArray()).hasMessageContaining("batches do not nest");
    }

    @Test
    void hugeCountsFailBeforeAllocating() {
        assertEntry(entryWith(w -> {
            w.writeByte(CommandKind.BATCH.code());
            w.writeVarInt(Integer.MAX_VALUE);
        })).hasMessageContaining("count 2147483647 of Batch.commands").hasMessageContaining("cannot fit");
    }

    @Test
    void malformedPrimitivesAreNamed() {
        assertEntry(new byte[] {0x4D, 1, (byte) 0x80, 0x00, 8})
                .hasMessageContaining("overlong varint for LogEntry.timeMillis");
        assertEntry(new byte[] {0x4D, 1, (byte) 0x80, (byte) 0x80}).hasMessageContaining("truncated varint");
        assertEntry(entryWith(w -> {
            w.writeByte(CommandKind.RELEASE.code());
            w.writeVarInt(2);
            w.writeByte(0xC3);
            w.writeByte(0x28);
        })).hasMessageContaining("invalid UTF-8 in Release.deploymentId at offset 4");
        assertEntry(entryWith(w -> {
            w.writeByte(CommandKind.RELEASE.code());
            w.writeZigZagLong(Long.MIN_VALUE); // all 64 bits set: negative as a signed length
        })).hasMessageContaining("negative length");
        assertEntry(entryWith(w -> {
            w.writeByte(CommandKind.RELEASE.code());
            w.writeVarInt(50);
            w.writeByte('x');
        })).hasMessageContaining("length 50 of Release.deploymentId at offset 4 exceeds the 1 byte(s) remaining");
        assertEntry(entryWith(w -> {
            w.writeByte(CommandKind.ADMIT.code());
            w.writeString("d");
            w.writeString("o");
            w.writeByte(2);
        })).hasMessageContaining("invalid boolean 0x02 for Admit.minBytes presence flag");
    }

    @Test
    void mapKeysMustBeStrictlyIncreasing() {
        assertEntry(reportWithUsageKeys("b", "a")).hasMessageContaining("out of order after 'b'");
        assertEntry(reportWithUsageKeys("a", "a")).hasMessageContaining("is a duplicate");
    }

    @Test
    void invalidSlicesAndNullInputAreCodecExceptions() {
        assertThatThrownBy(() -> EntryCodec.decode(null)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> EntryCodec.decode(new byte[4], 2, 5)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> ResultCodec.decode(null)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> ResultCodec.decode(new byte[4], -1, 2)).isInstanceOf(CodecException.class);
        assertEntry(new byte[0]).hasMessageContaining("truncated input: log entry magic at offset 0");
    }

    private static byte[] reportWithUsageKeys(String first, String second) {
        return entryWith(w -> {
            w.writeByte(CommandKind.REPORT_NODE.code());
            w.writeString("n1");
            for (int i = 0; i < 4; i++) {
                w.writeZigZagLong(1);
            }
            w.writeVarInt(2);
            w.writeString(first);
            w.writeZigZagLong(1);
            w.writeString(second);
            w.writeZigZagLong(2);
        });
    }

    /** Mirrors PolicyCodec's layout by hand so that one field can hold a value the codec never writes. */
    private static void writePolicyWithReserveModeCode(BinaryWriter w, int reserveModeCode) {
        Policy p = Policy.defaults();
        w.writeZigZagLong(p.tickMillis());
        w.writeZigZagInt(p.systemReservePct());
        w.writeZigZagLong(p.systemReserveMaxBytes());
        w.writeZigZagInt(p.headroomPct());
        w.writeVarInt(reserveModeCode);
        w.writeZigZagLong(p.defaultFirmBytes());
        w.writeZigZagLong(p.maxFirmBytes());
        w.writeZigZagLong(p.heartbeatTimeoutMillis());
        w.writeZigZagLong(p.minNodeBytes());
        w.writeZigZagLong(p.ejectionGraceMillis());
        w.writeZigZagInt(p.hysteresisPct());
        w.writeZigZagInt(p.lowCapacityPct());
        w.writeNullableLong(null);
        w.writeVarInt(0);
    }

    @Test
    void handWrittenPolicyLayoutMatchesTheCodec() {
        BinaryWriter byHand = new BinaryWriter();
        writePolicyWithReserveModeCode(byHand, Policy.defaults().reserveMode().code());
        BinaryWriter byCodec = new BinaryWriter();
        PolicyCodec.encode(Policy.defaults(), byCodec);
        assertThat(byHand.toByteArray()).isEqualTo(byCodec.toByteArray());
        assertThat(EntryCodec.decode(entryWith(w -> {
            w.writeByte(CommandKind.SET_POLICY.code());
            w.writeRawBytes(byCodec.array(), 0, byCodec.size());
        })).command()).isEqualTo(new SetPolicy(Policy.defaults()));
    }

    /** An entry header (magic, version, time 0) followed by whatever {@code body} writes. */
    private static byte[] entryWith(Consumer<BinaryWriter> body) {
        BinaryWriter w = new BinaryWriter();
        w.writeByte(EntryCodec.MAGIC);
        w.writeByte(EntryCodec.VERSION);
        w.writeZigZagLong(0);
        body.accept(w);
        return w.toByteArray();
    }

    private static BinaryWriter resultHeader(ResultKind kind) {
        BinaryWriter w = new BinaryWriter();
        w.writeByte(ResultCodec.MAGIC);
        w.writeByte(ResultCodec.VERSION);
        w.writeByte(kind.code());
        return w;
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertEntry(byte[] bytes) {
        return assertThatThrownBy(() -> EntryCodec.decode(bytes)).isExactlyInstanceOf(CodecException.class);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertResult(byte[] bytes) {
        return assertThatThrownBy(() -> ResultCodec.decode(bytes)).isExactlyInstanceOf(CodecException.class);
    }
}
