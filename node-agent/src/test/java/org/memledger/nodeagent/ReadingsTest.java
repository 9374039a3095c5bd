package org.memledger.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import org.memledger.nodeagent.memory.MemoryReading;

class ReadingsTest {
    private static final long MIB = 1L << 20;

    private static MemoryReading reading(long physical, long available, Map<String, Long> usage) {
        return new MemoryReading(physical, available, new TreeMap<>(usage));
    }

    @Test
    void thresholdIsExclusiveAndExact() {
        MemoryReading sent = MemoryReading.of(1_000, 500);

        assertThat(Readings.movedBeyond(sent, MemoryReading.of(1_000, 480), 2)).isFalse(); // exactly 2 %
        assertThat(Readings.movedBeyond(sent, MemoryReading.of(1_000, 479), 2)).isTrue();
        assertThat(Readings.movedBeyond(sent, MemoryReading.of(1_021, 500), 2)).isTrue();
        assertThat(Readings.movedBeyond(sent, MemoryReading.of(1_000, 501), 0)).isTrue();
        assertThat(Readings.movedBeyond(sent, sent, 0)).isFalse();
    }

    @Test
    void availableMovesAreMeasuredAgainstPhysical() {
        // 100 MiB available on a 16 GiB node: moving by 50 MiB is 50 % of available but 0.3 % of the node.
        MemoryReading sent = MemoryReading.of(16_384 * MIB, 100 * MIB);
        assertThat(Readings.movedBeyond(sent, MemoryReading.of(16_384 * MIB, 50 * MIB), 2)).isFalse();
    }

    @Test
    void deploymentUsageMovesAgainstItselfWithAFloor() {
        MemoryReading sent = reading(1L << 34, 1L << 33, Map.of("big", 1_000 * MIB, "tiny", 1_000L));

        assertThat(Readings.movedBeyond(sent, reading(1L << 34, 1L << 33, Map.of("big", 1_021 * MIB, "tiny", 1_000L)), 2))
                .isTrue();
        assertThat(Readings.movedBeyond(sent, reading(1L << 34, 1L << 33, Map.of("big", 1_000 * MIB, "tiny", 20_000L)), 2))
                .as("a few kilobytes on a tiny deployment").isFalse();
    }

    @Test
    void deploymentsAppearingOrLeavingAlwaysCount() {
        MemoryReading sent = reading(1_000, 500, Map.of("d1", 0L));
        assertThat(Readings.movedBeyond(sent, reading(1_000, 500, Map.of("d1", 0L, "d2", 0L)), 100)).isTrue();
        assertThat(Readings.movedBeyond(sent, reading(1_000, 500, Map.of()), 100)).isTrue();
    }

    @Test
    void percentFloorIsExactWithoutOverflow() {
        assertThat(Readings.percentFloor(Long.MAX_VALUE, 100)).isEqualTo(Long.MAX_VALUE);
        assertThat(Readings.percentFloor(Long.MAX_VALUE, 2)).isEqualTo(184_467_440_737_095_516L);
        assertThat(Readings.percentFloor(199, 50)).isEqualTo(99);
    }
}
