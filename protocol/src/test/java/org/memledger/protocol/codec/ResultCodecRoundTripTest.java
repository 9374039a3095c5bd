package org.memledger.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.memledger.protocol.Ack;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.BatchResult;
import org.memledger.protocol.ErrorCode;
import org.memledger.protocol.Ignored;
import org.memledger.protocol.Invalid;
import org.memledger.protocol.RejectReason;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.Released;
import org.memledger.protocol.Result;

class ResultCodecRoundTripTest {
    private static final int SEEDS = 200;
    private static final int RESULTS_PER_SEED = 50;

    @TestFactory
    Stream<DynamicTest> randomResultsRoundTrip() {
        return Seeds.each("results", SEEDS, seed -> {
            RandomProtocol random = new RandomProtocol(seed);
            BinaryWriter reused = new BinaryWriter(16);
            for (int i = 0; i < RESULTS_PER_SEED; i++) {
                String context = "seed " + seed + " result " + i + ", " + Seeds.replay(seed);
                assertRoundTrip(random.result(true), reused, context);
            }
        });
    }

    private static void assertRoundTrip(Result result, BinaryWriter reused, String context) {
        byte[] bytes = ResultCodec.encode(result);
        Result decoded = ResultCodec.decode(bytes);
        assertThat(decoded).as(context).isEqualTo(result);
        assertThat(ResultCodec.encode(decoded)).as(context + ": re-encoding is byte-identical").isEqualTo(bytes);

        reused.reset();
        ResultCodec.encodeBody(result, reused);
        assertThat(reused.toByteArray()).as(context + ": the body is the encoding without its 2-byte header")
                .isEqualTo(Arrays.copyOfRange(bytes, 2, bytes.length));
        BinaryReader body = new BinaryReader(reused.array(), 0, reused.size());
        assertThat(ResultCodec.decodeBody(body)).as(context + ": body decodes").isEqualTo(result);
        body.expectEnd("result body");
    }

    @Test
    void handPickedResultsRoundTrip() {
        List<Result> results = List.of(
                new Ack(),
                new Admitted("d1", List.of("n2", "n1"), 1L << 30, 42, false),
                new Admitted("d1", List.of(), Long.MIN_VALUE, Long.MAX_VALUE, true),
                new Rejected("d1", RejectReason.INSUFFICIENT_MEMORY, "needs 2Gi, 1Gi free", 1L << 30),
                new Rejected("d2", RejectReason.NO_ELIGIBLE_NODES, "", 0),
                new Released("d1", -1),
                new Ignored("stale seq 3 ≤ 5"),
                new Invalid(ErrorCode.NOT_FOUND, "", "no such node"),
                new BatchResult(List.of()),
                new BatchResult(List.of(new Ack(), new Ignored("x"), new Invalid(ErrorCode.CONFLICT, "f", "m"))));
        for (Result result : results) {
            assertRoundTrip(result, new BinaryWriter(), result.toString());
        }
    }

    @Test
    void headerIsMagicThenVersion() {
        assertThat(ResultCodec.encode(new Ack())).containsExactly(0x52, 1, 4);
    }

    @Test
    void encodeAppendsToWhatTheWriterAlreadyHolds() {
        BinaryWriter out = new BinaryWriter();
        ResultCodec.encode(new Ack(), out);
        ResultCodec.encode(new Ack(), out);
        ResultCodec.encodeBody(new Ack(), out);
        assertThat(out.toByteArray()).containsExactly(0x52, 1, 4, 0x52, 1, 4, 4);
    }

    @Test
    void nullsAndNestedBatchesAreRefusedWhenEncoding() {
        assertThatThrownBy(() -> ResultCodec.encode(new Ignored(null)))
                .isInstanceOf(CodecException.class).hasMessageContaining("Ignored.message");
        assertThatThrownBy(() -> ResultCodec.encode(new Rejected("d", null, "m", 0)))
                .isInstanceOf(CodecException.class).hasMessageContaining("Rejected.reason");
        assertThatThrownBy(() -> ResultCodec.encode(new Invalid(null, "f", "m")))
                .isInstanceOf(CodecException.class).hasMessageContaining("Invalid.code");
        assertThatThrownBy(() -> ResultCodec.encode(new BatchResult(List.of(new BatchResult(List.of())))))
                .isInstanceOf(CodecException.class).hasMessageContaining("batches do not nest");
    }
}
