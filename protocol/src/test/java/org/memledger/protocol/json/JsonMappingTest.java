package org.memledger.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RejectReason;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.Replicas;

class JsonMappingTest {
    private final ObjectMapper strict = Json.strict();
    private final ObjectMapper lenient = Json.lenient();

    @Test
    void admitRequestReadsCountOrAllAndDefaultsOptionalFields() throws Exception {
        Admit three = strict.readValue("{\"deploymentId\":\"d1\",\"owner\":\"alice\",\"firmBytes\":1024,"
                + "\"replicas\":3,\"zoneSpread\":true,\"priority\":5}", AdmitRequest.class).toCommand();
        assertThat(three).isEqualTo(new Admit("d1", "alice", null, 1024L, Replicas.of(3), true, 5));

        Admit all = strict.readValue("{\"deploymentId\":\"d2\",\"owner\":\"bob\",\"replicas\":\"ALL\"}",
                AdmitRequest.class).toCommand();
        assertThat(all).isEqualTo(new Admit("d2", "bob", null, null, Replicas.ALL, false, 0));

        Admit defaults = strict.readValue("{\"deploymentId\":\"d3\",\"owner\":\"bob\"}", AdmitRequest.class)
                .toCommand();
        assertThat(defaults.replicas()).isEqualTo(Replicas.of(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"deploymentId\":\"d\",\"firmBytes\":\"12\"}",
        "{\"deploymentId\":\"d\",\"firmBytes\":12.0}",
        "{\"deploymentId\":\"d\",\"firmBytes\":1e3}",
        "{\"deploymentId\":\"d\",\"firmBytes\":true}",
        "{\"deploymentId\":\"d\",\"firmBytes\":\"\"}",
        "{\"deploymentId\":\"d\",\"firmBytes\":[1]}",
        "{\"deploymentId\":\"d\",\"firmBytes\":{}}",
        "{\"deploymentId\":\"d\",\"firmBytes\":99999999999999999999}",
        "{\"deploymentId\":7}",
        "{\"deploymentId\":true}",
        "{\"deploymentId\":\"d\",\"zoneSpread\":1}",
        "{\"deploymentId\":\"d\",\"zoneSpread\":\"true\"}",
        "{\"deploymentId\":\"d\",\"priority\":3000000000}",
        "{\"deploymentId\":\"d\",\"replicas\":0}",
        "{\"deploymentId\":\"d\",\"replicas\":-1}",
        "{\"deploymentId\":\"d\",\"replicas\":\"all\"}",
        "{\"deploymentId\":\"d\",\"replicas\":\"3\"}",
        "{\"deploymentId\":\"d\",\"replicas\":2.5}",
        "{\"deploymentId\":\"d\",\"replicas\":99999999999}",
        "{\"deploymentId\":\"d\",\"deploymentId\":\"e\"}",
        "{\"deploymentId\":\"d\"} {}",
        "{\"deploymentId\":\"d\",}",
    })
    void strictMapperRefusesCoercionsOverflowsAndDuplicates(String body) {
        assertThatThrownBy(() -> strict.readValue(body, AdmitRequest.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void unknownFieldsAreRefusedByTheStrictMapperAndIgnoredByTheLenientOne() throws Exception {
        String body = "{\"deploymentId\":\"d\",\"colour\":\"blue\"}";
        assertThatThrownBy(() -> strict.readValue(body, AdmitRequest.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
        assertThat(lenient.readValue(body, AdmitRequest.class).deploymentId()).isEqualTo("d");
    }

    @Test
    void nonPositiveSizesNameTheField() throws Exception {
        AdmitRequest request = strict.readValue("{\"deploymentId\":\"d\",\"owner\":\"o\",\"minBytes\":-5}",
                AdmitRequest.class);
        assertThatThrownBy(request::toCommand).isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("minBytes").extracting("field").isEqualTo("minBytes");
    }

    @Test
    void admissionAnswersCarryOnlyTheirOwnFields() throws Exception {
        String admitted = strict.writeValueAsString(AdmissionResponse.admitted(
                new Admitted("d1", List.of("n2"), 100, 42, false), 42));
        assertThat(admitted).isEqualTo("{\"status\":\"ADMITTED\",\"deploymentId\":\"d1\",\"placements\":[\"n2\"],"
                + "\"remainingBytes\":100,\"warnings\":[],\"duplicate\":false,\"ledgerIndex\":42}");
        String rejected = strict.writeValueAsString(AdmissionResponse.rejected(
                new Rejected("d1", RejectReason.INSUFFICIENT_MEMORY, "no room", 7), 43));
        assertThat(rejected).isEqualTo("{\"status\":\"REJECTED\",\"deploymentId\":\"d1\","
                + "\"reason\":\"INSUFFICIENT_MEMORY\",\"message\":\"no room\",\"maxAdmissibleBytes\":7,"
                + "\"ledgerIndex\":43}");
    }

    @Test
    void replicasWriteAsNumberOrAll() throws Exception {
        assertThat(strict.writeValueAsString(Map.of("r", Replicas.ALL))).isEqualTo("{\"r\":\"ALL\"}");
        assertThat(strict.writeValueAsString(Map.of("r", Replicas.of(3)))).isEqualTo("{\"r\":3}");
    }

    @Test
    void policyRoundTripsAndNamesMissingOrInvalidFields() throws Exception {
        Policy policy = Policy.defaults().toBuilder().defaultOwnerQuotaBytes(5L << 30).build();
        String json = strict.writeValueAsString(PolicyJson.from(policy));
        assertThat(strict.readValue(json, PolicyJson.class).toPolicy()).isEqualTo(policy);

        String missing = json.replace("\"tickMillis\":1000,", "");
        assertThatThrownBy(() -> strict.readValue(missing, PolicyJson.class).toPolicy())
                .isInstanceOf(InvalidFieldException.class).extracting("field").isEqualTo("tickMillis");
        String invalid = json.replace("\"headroomPct\":2", "\"headroomPct\":77");
        assertThatThrownBy(() -> strict.readValue(invalid, PolicyJson.class).toPolicy())
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("headroomPct")
                .extracting("field").isEqualTo("headroomPct");
        String badMode = json.replace("\"FIRM\"", "\"SOMETIMES\"");
        assertThatThrownBy(() -> strict.readValue(badMode, PolicyJson.class))
                .isInstanceOf(JsonProcessingException.class);
        String numericMode = json.replace("\"FIRM\"", "1");
        assertThatThrownBy(() -> strict.readValue(numericMode, PolicyJson.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void nodeListsOmitThePerItemIndexAndTimesHaveMilliseconds() throws Exception {
        assertThat(Times.format(1_795_400_000_123L)).isEqualTo("2026-11-23T02:13:20.123Z");
        assertThat(Times.formatOrNull(-1)).isNull();
        DeploymentJson inList = new DeploymentJson("d", "o", 1, 2, 2, Replicas.ALL, false, 0, "PLACED",
                List.of(), Times.format(0), 3, null);
        assertThat(strict.writeValueAsString(inList)).doesNotContain("ledgerIndex").contains("\"replicas\":\"ALL\"")
                .contains("\"admittedAt\":\"1970-01-01T00:00:00.000Z\"");
    }

    @Test
    void labelValuesMustBeStrings() {
        assertThatThrownBy(() -> strict.readValue("{\"operator\":\"o\",\"zone\":\"z\",\"labels\":{\"a\":1},"
                + "\"declaredBytes\":1}", RegisterNodeRequest.class)).isInstanceOf(JsonProcessingException.class);
    }
}
