package org.memledger.nodeagent.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class StaticSourceTest {

    @Test
    void changesFiguresAndUsageIndependently() {
        StaticSource source = new StaticSource(100, 50);
        source.setDeploymentUsage(new TreeMap<>(java.util.Map.of("d1", 10L)));
        source.set(200, 150);

        assertThat(source.read()).isEqualTo(new MemoryReading(200, 150, new TreeMap<>(java.util.Map.of("d1", 10L))));
    }

    @Test
    void refusesAnInvalidReadingAndKeepsTheOldOne() {
        StaticSource source = new StaticSource(100, 50);

        assertThatThrownBy(() -> source.set(100, 150)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("available memory must be between 0 and physical (100), was 150");
        assertThatThrownBy(() -> source.setDeploymentUsage(new TreeMap<>(java.util.Map.of("bad id", 1L))))
                .hasMessageContaining("deployment id 'bad id'");
        assertThat(source.read()).isEqualTo(MemoryReading.of(100, 50));
    }
}
