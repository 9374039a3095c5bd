package org.memledger.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.memledger.protocol.Policy;

class SystemReserveTest {
    private static final long GIB = 1L << 30;
    private final SystemReserve defaults = SystemReserve.of(Policy.defaults());

    @Test
    void reservesTwentyPercentRoundedUpCappedAtFourGib() {
        assertThat(defaults.bytesFor(16 * GIB)).isEqualTo(3_435_973_837L); // 3435973836.8 rounded up
        assertThat(defaults.bytesFor(64 * GIB)).isEqualTo(4 * GIB);
        assertThat(defaults.bytesFor(100)).isEqualTo(20);
        assertThat(defaults.bytesFor(0)).isZero();
    }

    @Test
    void capacityIsDeclaredBoundedByPhysicalMinusReserve() {
        assertThat(defaults.capacityFor(8 * GIB, 16 * GIB)).isEqualTo(8 * GIB);
        assertThat(defaults.capacityFor(16 * GIB, 16 * GIB)).isEqualTo(16 * GIB - 3_435_973_837L);
        assertThat(defaults.capacityFor(16 * GIB, 0)).isZero();
    }

    @Test
    void warnsOnlyWhenDeclaredExceedsWhatTheNodeCanGive() {
        assertThat(defaults.warning(16 * GIB - 3_435_973_837L, 16 * GIB)).isNull();
        assertThat(defaults.warning(16 * GIB - 3_435_973_836L, 16 * GIB)).isNotNull();
        assertThat(defaults.warning(60 * GIB, 64 * GIB)).isNull();
        assertThat(defaults.warning(61 * GIB, 64 * GIB)).isEqualTo("--declare 61Gi exceeds physical memory 64.00 GiB "
                + "minus the system reserve 4.00 GiB (20 %, at most 4Gi): the ledger will count at most 60.00 GiB");
    }
}
