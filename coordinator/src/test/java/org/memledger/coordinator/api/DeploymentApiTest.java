package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.api.ApiHarness.GIB;
import static org.memledger.coordinator.api.ApiHarness.MIB;
import static org.memledger.coordinator.api.ApiHarness.admitBody;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memledger.coordinator.api.ApiHarness.Reply;

class DeploymentApiTest {
    private ApiHarness api;

    @BeforeEach
    void start() throws InterruptedException {
        api = new ApiHarness();
        api.node("n1", "z1", 8 * GIB, 16 * GIB);
        api.node("n2", "z2", 4 * GIB, 16 * GIB);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void admitAnswers201WithPlacementsRemainingBytesAndTheEntryIndex() {
        Reply reply = api.post("/v1/deployments", admitBody("d1", "alice", GIB, 1));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.json().path("status").asText()).isEqualTo("ADMITTED");
        assertThat(reply.json().path("deploymentId").asText()).isEqualTo("d1");
        assertThat(reply.json().path("placements")).hasSize(1);
        assertThat(reply.json().path("placements").get(0).asText()).isEqualTo("n2"); // best fit: the smaller node
        assertThat(reply.json().path("remainingBytes").asLong()).isPositive();
        assertThat(reply.json().path("warnings").isArray()).isTrue();
        assertThat(reply.json().path("ledgerIndex").asLong()).isEqualTo(api.appliedIndex());
        assertThat(reply.index()).isEqualTo(api.appliedIndex());
    }

    @Test
    void anIdenticalRepeatReturnsTheFirstAnswerWith200AndADifferentSpecIsADuplicate() {
        Reply first = api.post("/v1/deployments", admitBody("d1", "alice", GIB, 1));
        long index = api.appliedIndex();

        Reply again = api.post("/v1/deployments", admitBody("d1", "alice", GIB, 1));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(again.json().path("placements")).isEqualTo(first.json().path("placements"));
        assertThat(again.json().path("remainingBytes")).isEqualTo(first.json().path("remainingBytes"));
        assertThat(again.json().path("ledgerIndex").asLong()).isEqualTo(index);

        Reply different = api.post("/v1/deployments", admitBody("d1", "alice", 2 * GIB, 1));
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.json().path("status").asText()).isEqualTo("REJECTED");
        assertThat(different.json().path("reason").asText()).isEqualTo("DUPLICATE_ID");
    }

    @Test
    void aRejectionIs409WithReasonMessageAndMaxAdmissibleBytes() {
        Reply reply = api.post("/v1/deployments", admitBody("big", "alice", 20 * GIB, 1));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().path("status").asText()).isEqualTo("REJECTED");
        assertThat(reply.json().path("reason").asText()).isEqualTo("INSUFFICIENT_MEMORY");
        assertThat(reply.json().path("message").asText()).isNotBlank();
        long max = reply.json().path("maxAdmissibleBytes").asLong();
        assertThat(max).isBetween(7 * GIB, 8 * GIB);
        assertThat(reply.json().path("ledgerIndex").asLong()).isEqualTo(api.appliedIndex());

        Reply resized = api.post("/v1/deployments", admitBody("big", "alice", max, 1));
        assertThat(resized.status()).as(resized.toString()).isEqualTo(201);
    }

    @Test
    void replicasAllAndZoneSpreadAreAccepted() {
        Reply all = api.post("/v1/deployments", admitBody("everywhere", "chain", 256 * MIB, "ALL"));
        assertThat(all.status()).as(all.toString()).isEqualTo(201);
        assertThat(all.json().path("placements")).isEmpty();

        Reply spread = api.post("/v1/deployments", "{\"deploymentId\":\"spread\",\"owner\":\"alice\","
                + "\"minBytes\":" + 64 * MIB + ",\"firmBytes\":" + 128 * MIB + ",\"replicas\":2,\"zoneSpread\":true,"
                + "\"priority\":3}");
        assertThat(spread.status()).as(spread.toString()).isEqualTo(201);
        assertThat(spread.json().path("placements")).hasSize(2);

        Reply read = api.get("/v1/deployments/everywhere");
        assertThat(read.json().path("replicas").asText()).isEqualTo("ALL");
        Reply spreadRead = api.get("/v1/deployments/spread");
        assertThat(spreadRead.json().path("replicas").asInt()).isEqualTo(2);
        assertThat(spreadRead.json().path("minBytes").asLong()).isEqualTo(64 * MIB);
        assertThat(spreadRead.json().path("zoneSpread").asBoolean()).isTrue();
        assertThat(spreadRead.json().path("priority").asInt()).isEqualTo(3);
    }

    @Test
    void checkAnswersLikeAdmitButWritesNothing() {
        String hash = api.stateHash();
        long index = api.appliedIndex();

        Reply fits = api.post("/v1/deployments:check", admitBody("d1", "alice", GIB, 1));
        assertThat(fits.status()).isEqualTo(200);
        assertThat(fits.json().path("status").asText()).isEqualTo("ADMITTED");
        assertThat(fits.json().path("placements").get(0).asText()).isEqualTo("n2");
        assertThat(fits.json().path("ledgerIndex").asLong()).isEqualTo(index);

        Reply tooBig = api.post("/v1/deployments:check", admitBody("d2", "alice", 20 * GIB, 1));
        assertThat(tooBig.status()).isEqualTo(200);
        assertThat(tooBig.json().path("status").asText()).isEqualTo("REJECTED");
        assertThat(tooBig.json().path("maxAdmissibleBytes").asLong()).isPositive();

        Reply linearizable = api.post("/v1/deployments:check?consistency=linearizable",
                admitBody("d1", "alice", GIB, 1));
        assertThat(linearizable.status()).isEqualTo(200);

        assertThat(api.stateHash()).isEqualTo(hash);
        assertThat(api.appliedIndex()).isEqualTo(index);
        assertThat(api.get("/v1/deployments/d1").status()).isEqualTo(404);
    }

    @Test
    void getReadsTheDeploymentWithTimesInIsoMillis() {
        api.clock.advance(123);
        api.post("/v1/deployments", admitBody("d1", "alice", GIB, 1));

        Reply reply = api.get("/v1/deployments/d1");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("owner").asText()).isEqualTo("alice");
        assertThat(reply.json().path("firmBytes").asLong()).isEqualTo(GIB);
        assertThat(reply.json().path("minBytes").asLong()).isEqualTo(GIB);
        assertThat(reply.json().path("status").asText()).isEqualTo("PLACED");
        assertThat(reply.json().path("admittedAt").asText()).isEqualTo("2026-11-23T02:13:20.123Z");
        assertThat(reply.json().path("ledgerIndex").asLong()).isEqualTo(reply.index());

        Reply linearizable = api.get("/v1/deployments/d1?consistency=linearizable");
        assertThat(linearizable.status()).isEqualTo(200);
        assertThat(linearizable.index()).isEqualTo(api.appliedIndex());
    }

    @Test
    void releaseAnswersReleasedAtAndThen404() {
        api.post("/v1/deployments", admitBody("d1", "alice", GIB, 1));
        api.clock.advance(5_000);

        Reply released = api.delete("/v1/deployments/d1");
        assertThat(released.status()).as(released.toString()).isEqualTo(200);
        assertThat(released.json().path("status").asText()).isEqualTo("RELEASED");
        assertThat(released.json().path("deploymentId").asText()).isEqualTo("d1");
        assertThat(released.json().path("releasedAt").asText()).isEqualTo("2026-11-23T02:13:25.000Z");
        assertThat(released.json().path("ledgerIndex").asLong()).isEqualTo(api.appliedIndex());

        long index = api.appliedIndex();
        Reply again = api.delete("/v1/deployments/d1");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(api.appliedIndex()).as("a release of nothing is not written").isEqualTo(index);
        assertThat(api.get("/v1/deployments/d1").status()).isEqualTo(404);
    }

    @Test
    void listPagesInIdOrderWithACursorAndFiltersByOwner() {
        for (int i = 0; i < 5; i++) {
            api.post("/v1/deployments", admitBody("a" + i, "alice", 64 * MIB, 1));
            api.post("/v1/deployments", admitBody("b" + i, "bob", 64 * MIB, 1));
        }

        Reply first = api.get("/v1/deployments?owner=alice&limit=2");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("deployments")).hasSize(2);
        assertThat(first.json().path("deployments").get(0).path("deploymentId").asText()).isEqualTo("a0");
        assertThat(first.json().path("deployments").get(0).has("ledgerIndex")).isFalse();
        assertThat(first.json().path("next").asText()).isEqualTo("a1");

        Reply second = api.get("/v1/deployments?owner=alice&limit=2&after=a1");
        assertThat(second.json().path("deployments").get(0).path("deploymentId").asText()).isEqualTo("a2");
        Reply last = api.get("/v1/deployments?owner=alice&limit=2&after=a3");
        assertThat(last.json().path("deployments")).hasSize(1);
        assertThat(last.json().path("next").isNull()).isTrue();

        Reply everyone = api.get("/v1/deployments");
        assertThat(everyone.json().path("deployments")).hasSize(10);
        assertThat(everyone.json().path("ledgerIndex").asLong()).isEqualTo(api.appliedIndex());
    }

    @Test
    void aMissingOwnerIsInvalidAndWritesNothing() {
        long index = api.appliedIndex();
        Reply reply = api.post("/v1/deployments", "{\"deploymentId\":\"d1\",\"firmBytes\":1024}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("INVALID_ARGUMENT");
        assertThat(reply.errorField()).isEqualTo("owner");
        assertThat(api.appliedIndex()).isEqualTo(index);
    }

    @Test
    void boundsThePolicyRefusesAreRejectionsWithReasonInvalidBounds() {
        Reply reply = api.post("/v1/deployments", "{\"deploymentId\":\"d1\",\"owner\":\"alice\","
                + "\"minBytes\":" + 2 * GIB + ",\"firmBytes\":" + GIB + "}");
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().path("reason").asText()).isEqualTo("INVALID_BOUNDS");
    }
}
