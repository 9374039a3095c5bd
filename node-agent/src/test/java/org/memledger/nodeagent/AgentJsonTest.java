package org.memledger.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class AgentJsonTest {
    private final AgentJson json = new AgentJson();

    @Test
    void describesErrorBodiesInOneLine() {
        assertThat(json.describeError(409, "{\"error\":{\"code\":\"CONFLICT\",\"message\":\"node n1 is ejected\"}}"))
                .isEqualTo("409 CONFLICT: node n1 is ejected");
        assertThat(json.describeError(502, "<html>\n<b>Bad gateway</b>\n</html>"))
                .isEqualTo("HTTP 502: <html> <b>Bad gateway</b> </html>");
        assertThat(json.describeError(500, "")).isEqualTo("HTTP 500");
        assertThat(json.describeError(400, "x".repeat(1_000))).hasSize("HTTP 400: ".length() + 300);
    }

    @Test
    void readsWarningsOfAnyShape() {
        assertThat(json.warnings("{\"status\":\"APPLIED\"}")).isEmpty();
        assertThat(json.warnings("not json")).isEmpty();
        assertThat(json.warnings("{\"warnings\":[]}")).contains(List.of());
        assertThat(json.warnings("{\"warnings\":[\"plain text\",{\"kind\":\"NODE_SILENT\",\"message\":\"m\"}]}"))
                .contains(List.of(new AgentJson.LedgerWarning("plain text", "plain text"),
                        new AgentJson.LedgerWarning("NODE_SILENT: m", "NODE_SILENT: m")));
    }

    @Test
    void readsTheReserveFromAPolicyAndDefaultsTheRest() {
        assertThat(json.reserve("{\"systemReservePct\":10,\"systemReserveMaxBytes\":1024}"))
                .isEqualTo(new SystemReserve(10, 1024));
        assertThat(json.reserve("{\"systemReservePct\":\"lots\"}")).isEqualTo(new SystemReserve(20, 4L << 30));
        assertThat(json.reserve(null)).isEqualTo(new SystemReserve(20, 4L << 30));
        assertThat(Optional.of(json.reserve("[]"))).contains(new SystemReserve(20, 4L << 30));
    }
}
