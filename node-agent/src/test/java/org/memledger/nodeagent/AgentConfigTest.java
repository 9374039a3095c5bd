package org.memledger.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

class AgentConfigTest {

    @Test
    void defaultsAreThoseOfTheCommand() {
        AgentConfig config = AgentConfig.builder("n1", 1).build();

        assertThat(config.coordinators()).containsExactly(URI.create("http://127.0.0.1:7070"));
        assertThat(config.operator()).isEqualTo("local");
        assertThat(config.zone()).isEqualTo("default");
        assertThat(config.intervalMillis()).isEqualTo(5_000);
        assertThat(config.sampleMillis()).isEqualTo(1_000);
        assertThat(config.changeThresholdPct()).isEqualTo(2);
        assertThat(config.backoffMinMillis()).isEqualTo(200);
        assertThat(config.backoffMaxMillis()).isEqualTo(10_000);
    }

    @Test
    void coordinatorUrlsAreCheckedAndNormalised() {
        assertThat(AgentConfig.parseCoordinator("http://10.0.0.1:7070/")).isEqualTo(URI.create("http://10.0.0.1:7070"));
        assertThat(AgentConfig.parseCoordinator("https://lb.example/memledger"))
                .isEqualTo(URI.create("https://lb.example/memledger"));
        assertThatThrownBy(() -> AgentConfig.parseCoordinator("10.0.0.1:7070"))
                .hasMessage("'10.0.0.1:7070' is not a coordinator URL (example: http://10.0.0.1:7070)");
        assertThatThrownBy(() -> AgentConfig.parseCoordinator("http://h:1/?x=1")).hasMessageContaining("not a coordinator URL");
        assertThatThrownBy(() -> AgentConfig.parseCoordinator("http://user:pw@h:1")).hasMessageContaining("not a coordinator URL");
    }

    @Test
    void refusesBadSettingsWithTheirName() {
        assertThatThrownBy(() -> AgentConfig.builder("n 1", 1).build())
                .hasMessage("nodeId 'n 1' may only contain letters, digits and . _ - and must start with a letter or digit");
        assertThatThrownBy(() -> AgentConfig.builder("n1", 1).labels(java.util.Map.of("rack", "r".repeat(300))).build())
                .hasMessage("labels.rack: must be a string of at most 256 characters");
        assertThatThrownBy(() -> AgentConfig.builder("n1", 0).build())
                .hasMessage("declared memory must be positive, was 0");
        assertThatThrownBy(() -> AgentConfig.builder("n1", 1).coordinators(List.of()).build())
                .hasMessage("between 1 and 32 coordinator URLs are needed, got 0");
        assertThatThrownBy(() -> AgentConfig.builder("n1", 1).intervalMillis(10).build())
                .hasMessage("the report interval must be between 100ms and 1h, was 10ms");
        assertThatThrownBy(() -> AgentConfig.builder("n1", 1).token("two words").build())
                .hasMessage("the token must be non-empty printable ASCII without spaces");
    }

    @Test
    void neverPrintsTheToken() {
        assertThat(AgentConfig.builder("n1", 1).token("s3cret").build().toString()).doesNotContain("s3cret").contains("***");
    }
}
