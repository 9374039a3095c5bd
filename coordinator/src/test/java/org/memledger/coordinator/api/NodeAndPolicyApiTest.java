package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.api.ApiHarness.GIB;
import static org.memledger.coordinator.api.ApiHarness.admitBody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memledger.coordinator.api.ApiHarness.Reply;

class NodeAndPolicyApiTest {
    private ApiHarness api;

    @BeforeEach
    void start() throws InterruptedException {
        api = new ApiHarness();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void registerAnswersTheNodeAsPendingUntilItsFirstReport() {
        Reply registered = api.put("/v1/nodes/n1", "{\"operator\":\"op-a\",\"zone\":\"z1\",\"labels\":{\"rack\":\"r7\"},"
                + "\"declaredBytes\":" + 8 * GIB + "}");
        assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
        assertThat(registered.json().path("nodeId").asText()).isEqualTo("n1");
        assertThat(registered.json().path("state").asText()).isEqualTo("PENDING");
        assertThat(registered.json().path("labels").path("rack").asText()).isEqualTo("r7");
        assertThat(registered.json().path("lastReportAt").isNull()).isTrue();
        assertThat(registered.json().path("ledgerIndex").asLong()).isEqualTo(api.appliedIndex());

        api.clock.advance(42);
        Reply report = api.post("/v1/nodes/n1/reports", "{\"seq\":1,\"declaredBytes\":" + 8 * GIB
                + ",\"physicalBytes\":" + 16 * GIB + ",\"availableBytes\":" + 12 * GIB + "}");
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.json().path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(report.json().path("seq").asLong()).isEqualTo(1);

        Reply node = api.get("/v1/nodes/n1");
        assertThat(node.json().path("state").asText()).isEqualTo("ACTIVE");
        assertThat(node.json().path("capacityBytes").asLong()).isEqualTo(8 * GIB);
        assertThat(node.json().path("usedBytes").asLong()).isEqualTo(4 * GIB);
        assertThat(node.json().path("lastReportSeq").asLong()).isEqualTo(1);
        assertThat(node.json().path("lastReportAt").asText()).isEqualTo("2026-11-23T02:13:20.042Z");
    }

    @Test
    void aStaleReportIsIgnoredAndAReportForAnUnknownNodeIs404() {
        api.node("n1", "z1", 8 * GIB, 16 * GIB);
        Reply stale = api.post("/v1/nodes/n1/reports", "{\"seq\":1,\"declaredBytes\":1,\"physicalBytes\":2,"
                + "\"availableBytes\":1}");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.json().path("status").asText()).isEqualTo("IGNORED");
        assertThat(stale.json().path("message").asText()).contains("stale");

        Reply unknown = api.post("/v1/nodes/ghost/reports", "{\"seq\":1,\"declaredBytes\":1,\"physicalBytes\":2,"
                + "\"availableBytes\":1}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(unknown.errorField()).isEqualTo("nodeId");
        assertThat(unknown.json().path("error").path("message").asText()).contains("not registered");
    }

    @Test
    void nodesCapacityAndUtilizationAsADecimalFraction() {
        api.node("n1", "z1", 8 * GIB, 16 * GIB);
        api.node("n2", "z2", 8 * GIB, 16 * GIB);
        api.post("/v1/deployments", admitBody("d1", "alice", 4 * GIB, 1));

        Reply nodes = api.get("/v1/nodes");
        assertThat(nodes.status()).isEqualTo(200);
        assertThat(nodes.json().path("nodes")).hasSize(2);
        assertThat(nodes.json().path("nodes").get(0).path("nodeId").asText()).isEqualTo("n1");
        assertThat(nodes.json().path("ledgerIndex").asLong()).isEqualTo(nodes.index());

        Reply capacity = api.get("/v1/capacity");
        assertThat(capacity.status()).isEqualTo(200);
        JsonNode cluster = capacity.json().path("cluster");
        assertThat(cluster.path("capacityBytes").asLong()).isEqualTo(16 * GIB);
        assertThat(cluster.path("reservedBytes").asLong()).isEqualTo(4 * GIB);
        assertThat(cluster.path("utilizationBasisPoints").asLong()).isEqualTo(2500);
        assertThat(capacity.body()).contains("\"utilization\":0.2500");
        assertThat(cluster.path("replicatedAdmissibleBytes").asLong()).isPositive();
        assertThat(capacity.json().path("nodes").get(0).path("admissibleBytes").asLong()).isPositive();
        assertThat(capacity.json().path("ledgerIndex").asLong()).isEqualTo(api.appliedIndex());
    }

    @Test
    void drainStopsAdmissionAndRemoveEjects() {
        api.node("n1", "z1", 8 * GIB, 16 * GIB);
        Reply drained = api.post("/v1/nodes/n1:drain", null);
        assertThat(drained.status()).as(drained.toString()).isEqualTo(200);
        assertThat(drained.json().path("state").asText()).isEqualTo("DRAINING");
        Reply rejected = api.post("/v1/deployments", admitBody("d1", "alice", GIB, 1));
        assertThat(rejected.json().path("reason").asText()).isEqualTo("NO_ELIGIBLE_NODES");

        Reply removed = api.delete("/v1/nodes/n1");
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().path("state").asText()).isEqualTo("EJECTED");
        Reply again = api.delete("/v1/nodes/n1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("state").asText()).isEqualTo("EJECTED");

        Reply comeback = api.put("/v1/nodes/n1", "{\"operator\":\"op\",\"zone\":\"z1\",\"declaredBytes\":1}");
        assertThat(comeback.status()).isEqualTo(409);
        assertThat(comeback.errorCode()).isEqualTo("CONFLICT");
        assertThat(api.delete("/v1/nodes/ghost").status()).isEqualTo(404);
        assertThat(api.post("/v1/nodes/ghost:drain", "{}").status()).isEqualTo(404);
        assertThat(api.get("/v1/nodes/ghost").status()).isEqualTo(404);
    }

    @Test
    void policyIsReadChangedAndWrittenBackWhole() throws Exception {
        Reply read = api.get("/v1/policy");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().has("ledgerIndex")).as("the body is only the policy").isFalse();
        assertThat(read.json().path("defaultFirmBytes").asLong()).isEqualTo(16L << 20);
        assertThat(read.json().path("reserveMode").asText()).isEqualTo("FIRM");
        assertThat(read.json().path("defaultOwnerQuotaBytes").isNull()).isTrue();

        ObjectNode changed = (ObjectNode) read.json().deepCopy();
        changed.put("defaultFirmBytes", 32L << 20);
        changed.putObject("ownerQuotaBytes").put("alice", 10 * GIB);
        Reply written = api.put("/v1/policy", api.mapper.writeValueAsString(changed));
        assertThat(written.status()).as(written.toString()).isEqualTo(200);
        assertThat(written.json().path("defaultFirmBytes").asLong()).isEqualTo(32L << 20);
        assertThat(written.index()).isEqualTo(api.appliedIndex());
        assertThat(api.get("/v1/policy").json().path("ownerQuotaBytes").path("alice").asLong()).isEqualTo(10 * GIB);

        ObjectNode invalid = (ObjectNode) read.json().deepCopy();
        invalid.put("headroomPct", 90);
        Reply refused = api.put("/v1/policy", api.mapper.writeValueAsString(invalid));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorField()).isEqualTo("headroomPct");
    }

    @Test
    void statusHealthAndReadiness() {
        Reply status = api.get("/v1/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().path("replicaId").asText()).isEqualTo("api-test");
        assertThat(status.json().path("role").asText()).isEqualTo("LEADER");
        assertThat(status.json().path("leaderId").asText()).isEqualTo("api-test");
        assertThat(status.json().path("stateHash").asText()).hasSize(64);
        assertThat(status.json().path("peers")).hasSize(1);
        assertThat(status.index()).isEqualTo(status.json().path("appliedIndex").asLong());

        assertThat(api.get("/healthz").status()).isEqualTo(200);
        Reply ready = api.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("status").asText()).isEqualTo("READY");

        api.gateway.close();
        Reply notReady = api.get("/readyz");
        assertThat(notReady.status()).isEqualTo(503);
        assertThat(notReady.json().path("status").asText()).isEqualTo("NOT_READY");
        assertThat(notReady.header("Retry-After")).isEqualTo("1");
        assertThat(api.get("/healthz").status()).as("up even when not ready").isEqualTo(200);
    }
}
