package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.api.ApiHarness.GIB;
import static org.memledger.coordinator.api.ApiHarness.MIB;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memledger.coordinator.api.ApiHarness.Reply;

/** The webhook fed AdmissionReviews shaped as the Kubernetes API server sends them. */
class KubernetesAdmissionTest {
    private static final String UID = "705ab4f5-6393-11e8-b7cc-42010a800002";
    private ApiHarness api;

    @BeforeEach
    void start() throws InterruptedException {
        api = new ApiHarness();
        api.node("n1", "z1", 8 * GIB, 16 * GIB);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** A Pod CREATE review with the given containers JSON (the rest as the API server fills it). */
    static String createReview(String namespace, String name, String generateName, String containers,
                               boolean dryRun) {
        return "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{"
                + "\"uid\":\"" + UID + "\","
                + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                + "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},"
                + "\"requestKind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                + "\"requestResource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},"
                + "\"name\":\"" + name + "\",\"namespace\":\"" + namespace + "\",\"operation\":\"CREATE\","
                + "\"userInfo\":{\"username\":\"system:serviceaccount:kube-system:replicaset-controller\","
                + "\"uid\":\"a7a5ab8c-0e4a-4d2c-9c6e-2f8e8c1b9f00\",\"groups\":[\"system:serviceaccounts\","
                + "\"system:serviceaccounts:kube-system\",\"system:authenticated\"]},"
                + "\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name + "\","
                + (generateName == null ? "" : "\"generateName\":\"" + generateName + "\",")
                + "\"namespace\":\"" + namespace + "\",\"uid\":\"0d3f7c1e-3b0e-4a55-9d0b-1f3e5f6a7b8c\","
                + "\"creationTimestamp\":null,\"labels\":{\"app\":\"web\"},"
                + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"web-7d9f\","
                + "\"uid\":\"5e4c\",\"controller\":true,\"blockOwnerDeletion\":true}]},"
                + "\"spec\":{\"volumes\":[{\"name\":\"kube-api-access\",\"projected\":{\"sources\":[]}}],"
                + "\"containers\":" + containers + ",\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30,"
                + "\"dnsPolicy\":\"ClusterFirst\",\"serviceAccountName\":\"default\",\"schedulerName\":\"default-scheduler\","
                + "\"priority\":0,\"enableServiceLinks\":true,\"preemptionPolicy\":\"PreemptLowerPriority\"},"
                + "\"status\":{}},"
                + "\"oldObject\":null,\"dryRun\":" + dryRun + ","
                + "\"options\":{\"kind\":\"CreateOptions\",\"apiVersion\":\"meta.k8s.io/v1\"}}}";
    }

    static String deleteReview(String namespace, String name) {
        return "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{"
                + "\"uid\":\"" + UID + "\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                + "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},"
                + "\"name\":\"" + name + "\",\"namespace\":\"" + namespace + "\",\"operation\":\"DELETE\","
                + "\"userInfo\":{\"username\":\"kubernetes-admin\",\"groups\":[\"system:masters\"]},"
                + "\"object\":null,\"oldObject\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\""
                + name + "\",\"namespace\":\"" + namespace + "\"},\"spec\":{\"containers\":[]}},"
                + "\"dryRun\":false,\"options\":{\"kind\":\"DeleteOptions\",\"apiVersion\":\"meta.k8s.io/v1\"}}}";
    }

    static String container(String name, String requests, String limits) {
        String resources = "";
        if (requests != null || limits != null) {
            resources = ",\"resources\":{" + (limits == null ? "" : "\"limits\":{\"cpu\":\"500m\",\"memory\":" + limits + "}")
                    + (requests != null && limits != null ? "," : "")
                    + (requests == null ? "" : "\"requests\":{\"cpu\":\"250m\",\"memory\":" + requests + "}") + "}";
        }
        return "{\"name\":\"" + name + "\",\"image\":\"registry.example/" + name + ":1.0\",\"ports\":[{\"containerPort\":"
                + "8080,\"protocol\":\"TCP\"}]" + resources + ",\"terminationMessagePolicy\":\"File\","
                + "\"imagePullPolicy\":\"IfNotPresent\"}";
    }

    private JsonNode review(String body) {
        Reply reply = api.post("/k8s/admission?timeout=10s", body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(reply.json().path("kind").asText()).isEqualTo("AdmissionReview");
        JsonNode response = reply.json().path("response");
        assertThat(response.path("uid").asText()).isEqualTo(UID);
        return response;
    }

    @Test
    void aPodWithSeveralContainersIsAdmittedWithRequestsAsMinAndLimitsAsFirm() {
        String containers = "[" + container("app", "\"256Mi\"", "\"512Mi\"") + ","
                + container("cache", "\"64Mi\"", null) + "," + container("logger", null, null) + "]";

        JsonNode response = review(createReview("shop", "web-0", null, containers, false));

        assertThat(response.path("allowed").asBoolean()).as(response.toString()).isTrue();
        assertThat(response.path("status").path("message").asText()).contains("admitted shop.web-0");
        Reply deployment = api.get("/v1/deployments/shop.web-0");
        assertThat(deployment.status()).isEqualTo(200);
        assertThat(deployment.json().path("owner").asText()).isEqualTo("shop");
        // app 512Mi limit; cache has no limit: its 64Mi request exceeds the 16Mi default; logger: the 16Mi default
        assertThat(deployment.json().path("firmBytes").asLong()).isEqualTo((512 + 64 + 16) * MIB);
        assertThat(deployment.json().path("minBytes").asLong()).isEqualTo((256 + 64 + 16) * MIB);
        assertThat(deployment.json().path("replicas").asInt()).isEqualTo(1);
    }

    @Test
    void anInvalidQuantityIsDeniedWithAClearMessageAndNothingWritten() {
        String hash = api.stateHash();
        String containers = "[" + container("app", "\"256Mi\"", "\"1m\"") + "]";

        JsonNode response = review(createReview("shop", "web-1", null, containers, false));

        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(400);
        assertThat(response.path("status").path("message").asText())
                .contains("spec.containers[0] (app).resources.limits.memory").contains("'1m'");
        assertThat(api.stateHash()).isEqualTo(hash);
    }

    @Test
    void aDryRunWritesNothing() {
        String hash = api.stateHash();
        long index = api.appliedIndex();

        JsonNode response = review(createReview("shop", "web-2", null, "[" + container("app", null, "\"1Gi\"") + "]",
                true));

        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.path("status").path("message").asText()).contains("dry run");
        assertThat(api.stateHash()).isEqualTo(hash);
        assertThat(api.appliedIndex()).isEqualTo(index);
        assertThat(api.get("/v1/deployments/shop.web-2").status()).isEqualTo(404);
    }

    @Test
    void aPodThatDoesNotFitIsDeniedWithTheReasonAndMaxAdmissibleBytes() {
        JsonNode response = review(createReview("shop", "huge", null, "[" + container("app", null, "\"20Gi\"") + "]",
                false));

        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
        assertThat(response.path("status").path("message").asText()).contains("INSUFFICIENT_MEMORY")
                .contains("maxAdmissibleBytes=");
    }

    @Test
    void aPodLeavingItsNodeNearlyFullIsAdmittedWithAWarning() {
        JsonNode response = review(createReview("shop", "big", null, "[" + container("app", null, "\"7.25Gi\"") + "]",
                false));

        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.path("warnings")).hasSize(1);
        assertThat(response.path("warnings").get(0).asText()).contains("node n1").contains("below 10 %");

        JsonNode small = review(createReview("shop", "small", null, "[" + container("app", null, "\"64Mi\"") + "]",
                false));
        assertThat(small.path("allowed").asBoolean()).isTrue();
        assertThat(small.path("warnings").size()).isEqualTo(1);
    }

    @Test
    void deletingThePodReleasesItsDeploymentAndNeverBlocks() {
        review(createReview("shop", "web-3", null, "[" + container("app", null, "\"128Mi\"") + "]", false));
        assertThat(api.get("/v1/deployments/shop.web-3").status()).isEqualTo(200);

        JsonNode released = review(deleteReview("shop", "web-3"));
        assertThat(released.path("allowed").asBoolean()).isTrue();
        assertThat(released.path("status").path("message").asText()).contains("released shop.web-3");
        assertThat(api.get("/v1/deployments/shop.web-3").status()).isEqualTo(404);

        JsonNode unknown = review(deleteReview("shop", "never-admitted"));
        assertThat(unknown.path("allowed").asBoolean()).isTrue();
    }

    @Test
    void generatedAndOverlongNamesGiveValidDeterministicIds() {
        JsonNode generated = review(createReview("shop", "", "web-7d9f-", "[" + container("app", null, "\"32Mi\"")
                + "]", false));
        assertThat(generated.path("allowed").asBoolean()).isTrue();
        assertThat(api.get("/v1/deployments/shop.web-7d9f-0d3f7c1e-3b0e-4a55-9d0b-1f3e5f6a7b8c").status())
                .isEqualTo(200);

        String longName = "statefulset-with-a-very-long-name-" + "x".repeat(150);
        String id = KubernetesAdmission.deploymentId("shop", longName);
        assertThat(id).hasSize(128).startsWith("shop.statefulset-with").matches("[A-Za-z0-9][A-Za-z0-9._-]*");
        assertThat(KubernetesAdmission.deploymentId("shop", longName)).isEqualTo(id);
        assertThat(KubernetesAdmission.deploymentId("shop", longName + "y")).isNotEqualTo(id);
        review(createReview("shop", longName, null, "[" + container("app", null, "\"32Mi\"") + "]", false));
        assertThat(api.get("/v1/deployments/" + id).status()).isEqualTo(200);
        review(deleteReview("shop", longName));
        assertThat(api.get("/v1/deployments/" + id).status()).isEqualTo(404);
    }

    @Test
    void initContainersRunAloneAndSidecarsAddUp() {
        String body = createReview("batch", "job-1", null, "[" + container("main", "\"100Mi\"", "\"200Mi\"") + "]", false)
                .replace("\"restartPolicy\":\"Always\"", "\"restartPolicy\":\"Always\",\"initContainers\":["
                        + container("migrate", "\"300Mi\"", "\"300Mi\"") + ","
                        + container("proxy", "\"10Mi\"", "\"20Mi\"").replace("{\"name\"",
                        "{\"restartPolicy\":\"Always\",\"name\"") + "],\"overhead\":{\"memory\":\"1Mi\"}");

        JsonNode response = review(body);

        assertThat(response.path("allowed").asBoolean()).as(response.toString()).isTrue();
        JsonNode deployment = api.get("/v1/deployments/batch.job-1").json();
        // firm: max(main 200 + sidecar 20, init 300) + overhead 1; min: max(100 + 10, 300) + 1
        assertThat(deployment.path("firmBytes").asLong()).isEqualTo(301 * MIB);
        assertThat(deployment.path("minBytes").asLong()).isEqualTo(301 * MIB);
    }

    @Test
    void otherKindsAndOperationsPassUntouched() {
        String notAPod = createReview("shop", "cfg", null, "[]", false)
                .replace("\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"}",
                        "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"ConfigMap\"}");
        assertThat(review(notAPod).path("allowed").asBoolean()).isTrue();
        String update = createReview("shop", "web-0", null, "[" + container("app", null, "\"1Gi\"") + "]", false)
                .replace("\"operation\":\"CREATE\"", "\"operation\":\"UPDATE\"");
        assertThat(review(update).path("allowed").asBoolean()).isTrue();
        assertThat(api.get("/v1/deployments/shop.web-0").status()).isEqualTo(404);
    }
}
