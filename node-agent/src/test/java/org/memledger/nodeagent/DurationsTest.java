package org.memledger.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesOperatorForms() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1_500));
        assertThat(Durations.parse(" 1m ")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("2 h")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void refusesWhatIsAmbiguousOrInexact() {
        assertThatThrownBy(() -> Durations.parse("5")).hasMessage("'5' is not a duration (examples: 500ms, 5s, 1.5s, 1m)");
        assertThatThrownBy(() -> Durations.parse("-5s")).hasMessageStartingWith("'-5s' is not a duration");
        assertThatThrownBy(() -> Durations.parse("0.5ms")).hasMessage("'0.5ms' is not a whole number of milliseconds");
    }
}
