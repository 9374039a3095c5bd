package org.memledger.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromMinToTheCapWithTenPercentJitter() {
        Backoff backoff = new Backoff(200, 10_000);
        SplittableRandom random = new SplittableRandom(7);
        long[] base = {200, 400, 800, 1_600, 3_200, 6_400, 10_000, 10_000};

        for (long expected : base) {
            assertThat(backoff.nextDelayMillis(random)).isBetween(expected - expected / 10, expected + expected / 10);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.nextDelayMillis(random)).as("no overflow after many failures").isBetween(9_000L, 11_000L);
        }
        backoff.reset();
        assertThat(backoff.nextDelayMillis(random)).isBetween(180L, 220L);
    }

    @Test
    void sameSeedSameDelays() {
        assertThat(delays(42)).isEqualTo(delays(42)).isNotEqualTo(delays(43));
    }

    private static List<Long> delays(long seed) {
        Backoff backoff = new Backoff(200, 10_000);
        SplittableRandom random = new SplittableRandom(seed);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            delays.add(backoff.nextDelayMillis(random));
        }
        return delays;
    }
}
