package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.api.ApiHarness.GIB;
import static org.memledger.coordinator.api.ApiHarness.admitBody;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN §8 invariant 6 over HTTP: bad input gets a clear error and changes nothing. Every row is
 * a request that must be refused with its status, error code and (where there is one) field, and
 * after every row the state hash and applied index are what they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestTableTest {
    private ApiHarness api;
    private String hash;
    private long index;

    /** One bad request and the refusal it must get. */
    record Bad(String name, String method, String path, byte[] body, String contentType, List<String> headers,
               int status, String code, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void start() throws InterruptedException {
        api = new ApiHarness();
        api.node("n1", "z1", 8 * GIB, 16 * GIB);
        assertThat(api.post("/v1/deployments", admitBody("d1", "alice", GIB, 1)).status()).isEqualTo(201);
        hash = api.stateHash();
        index = api.appliedIndex();
    }

    @AfterAll
    void stop() {
        api.close();
    }

    static Stream<Bad> table() {
        List<Bad> rows = new ArrayList<>();
        String d = "/v1/deployments";
        // malformed JSON
        rows.add(json("truncated object", "POST", d, "{\"deploymentId\":", 400, "MALFORMED_JSON", null));
        rows.add(json("empty body", "POST", d, "", 400, "MALFORMED_JSON", "body"));
        rows.add(json("array body", "POST", d, "[]", 400, "INVALID_ARGUMENT", "body"));
        rows.add(json("null body", "POST", d, "null", 400, "INVALID_ARGUMENT", "body"));
        rows.add(json("string body", "POST", d, "\"d1\"", 400, "INVALID_ARGUMENT", "body"));
        rows.add(json("trailing garbage", "POST", d, admitBody("x1", "alice", 1024, 1) + " {}", 400,
                "MALFORMED_JSON", "body"));
        rows.add(json("trailing comma", "POST", d, "{\"deploymentId\":\"x1\",}", 400, "MALFORMED_JSON", null));
        rows.add(json("duplicate key", "POST", d, "{\"deploymentId\":\"x1\",\"deploymentId\":\"x2\",\"owner\":\"a\"}",
                400, "MALFORMED_JSON", "deploymentId"));
        rows.add(json("array nesting bomb", "POST", d, "[".repeat(5000) + "]".repeat(5000), 400, "INVALID_ARGUMENT",
                "body"));
        rows.add(json("nesting bomb in a review", "POST", "/k8s/admission", "{\"a\":" + "[".repeat(5000)
                + "]".repeat(5000) + "}", 400, "MALFORMED_JSON", null));
        rows.add(new Bad("invalid UTF-8", "POST", d, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
                "application/json", List.of(), 400, "MALFORMED_JSON", null));
        // unknown fields and wrong types
        rows.add(json("unknown field", "POST", d, "{\"deploymentId\":\"x1\",\"owner\":\"a\",\"colour\":\"blue\"}", 400,
                "UNKNOWN_FIELD", "colour"));
        rows.add(admit("firm as string", "\"firmBytes\":\"12\"", "firmBytes"));
        rows.add(admit("firm with units", "\"firmBytes\":\"512Mi\"", "firmBytes"));
        rows.add(admit("firm as float", "\"firmBytes\":12.5", "firmBytes"));
        rows.add(admit("firm in exponent form", "\"firmBytes\":1e3", "firmBytes"));
        rows.add(admit("firm negative", "\"firmBytes\":-1", "firmBytes"));
        rows.add(admit("firm zero", "\"firmBytes\":0", "firmBytes"));
        rows.add(admit("firm overflows a long", "\"firmBytes\":99999999999999999999", "firmBytes"));
        rows.add(admit("firm as object", "\"firmBytes\":{\"bytes\":1}", "firmBytes"));
        rows.add(admit("min negative", "\"minBytes\":-5", "minBytes"));
        rows.add(admit("replicas zero", "\"replicas\":0", "replicas"));
        rows.add(admit("replicas lower-case all", "\"replicas\":\"all\"", "replicas"));
        rows.add(admit("replicas too many", "\"replicas\":1001", "replicas"));
        rows.add(admit("replicas boolean", "\"replicas\":true", "replicas"));
        rows.add(admit("replicas overflow", "\"replicas\":4294967297", "replicas"));
        rows.add(admit("zoneSpread as string", "\"zoneSpread\":\"yes\"", "zoneSpread"));
        rows.add(admit("zoneSpread as number", "\"zoneSpread\":1", "zoneSpread"));
        rows.add(admit("priority out of range", "\"priority\":2000000", "priority"));
        rows.add(admit("priority as float", "\"priority\":1.5", "priority"));
        rows.add(json("id with a space", "POST", d, admitBody("bad id", "alice", 1024, 1), 400, "INVALID_ARGUMENT",
                "deploymentId"));
        rows.add(json("empty id", "POST", d, admitBody("", "alice", 1024, 1), 400, "INVALID_ARGUMENT", "deploymentId"));
        rows.add(json("id too long", "POST", d, admitBody("x".repeat(129), "alice", 1024, 1), 400, "INVALID_ARGUMENT",
                "deploymentId"));
        rows.add(json("id as number", "POST", d, "{\"deploymentId\":42,\"owner\":\"alice\"}", 400, "INVALID_ARGUMENT",
                "deploymentId"));
        rows.add(json("owner starting with a dash", "POST", d, admitBody("x1", "-alice", 1024, 1), 400,
                "INVALID_ARGUMENT", "owner"));
        rows.add(json("check with unknown field", "POST", d + ":check", "{\"deploymentId\":\"x1\",\"owner\":\"a\","
                + "\"force\":true}", 400, "UNKNOWN_FIELD", "force"));
        rows.add(json("check with negative firm", "POST", d + ":check", admitBody("x1", "alice", -4, 1), 400,
                "INVALID_ARGUMENT", "firmBytes"));
        rows.add(new Bad("text/plain body", "POST", d, bytes(admitBody("x1", "alice", 1024, 1)), "text/plain",
                List.of(), 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type"));
        rows.add(new Bad("body over 1 MiB", "POST", d, bytes("{\"deploymentId\":\"" + "x".repeat(2 << 20) + "\"}"),
                "application/json", List.of(), 413, "PAYLOAD_TOO_LARGE", "body"));
        // paths and methods
        rows.add(json("unknown path", "GET", "/v1/nope", null, 404, "NOT_FOUND", null));
        rows.add(json("dashboard is not served", "GET", "/", null, 404, "NOT_FOUND", null));
        rows.add(json("warnings are not served", "GET", "/v1/warnings", null, 404, "NOT_FOUND", null));
        rows.add(json("warning stream is not served", "GET", "/v1/warnings/stream", null, 404, "NOT_FOUND", null));
        rows.add(json("accounts are not served", "GET", "/v1/accounts/alice", null, 404, "NOT_FOUND", null));
        rows.add(json("deposits are not served", "POST", "/v1/accounts/alice/deposits", "{}", 404, "NOT_FOUND", null));
        rows.add(json("billing is not served", "GET", "/v1/billing/export", null, 404, "NOT_FOUND", null));
        rows.add(json("metrics are not served yet", "GET", "/metrics", null, 404, "NOT_FOUND", null));
        rows.add(json("trailing slash", "GET", d + "/", null, 404, "NOT_FOUND", null));
        rows.add(json("unknown action", "POST", "/v1/nodes/n1:explode", "{}", 404, "NOT_FOUND", null));
        rows.add(json("PATCH deployments", "PATCH", d, "{}", 405, "METHOD_NOT_ALLOWED", null));
        rows.add(json("GET a drain", "GET", "/v1/nodes/n1:drain", null, 405, "METHOD_NOT_ALLOWED", null));
        rows.add(json("POST status", "POST", "/v1/status", "{}", 405, "METHOD_NOT_ALLOWED", null));
        rows.add(json("bad id in path", "GET", d + "/bad%20id", null, 400, "INVALID_ARGUMENT", "deploymentId"));
        rows.add(json("release of a missing deployment", "DELETE", d + "/ghost", null, 404, "NOT_FOUND", null));
        // query parameters and headers
        rows.add(json("limit zero", "GET", d + "?limit=0", null, 400, "INVALID_ARGUMENT", "limit"));
        rows.add(json("limit not a number", "GET", d + "?limit=ten", null, 400, "INVALID_ARGUMENT", "limit"));
        rows.add(json("limit above the page size", "GET", d + "?limit=100000", null, 400, "INVALID_ARGUMENT", "limit"));
        rows.add(json("limit twice", "GET", d + "?limit=1&limit=2", null, 400, "INVALID_ARGUMENT", "limit"));
        rows.add(json("unknown query parameter", "GET", d + "?colour=red", null, 400, "INVALID_ARGUMENT", "colour"));
        rows.add(json("bad owner filter", "GET", d + "?owner=bad%20owner", null, 400, "INVALID_ARGUMENT", "owner"));
        rows.add(json("unknown consistency", "GET", "/v1/nodes?consistency=strong", null, 400, "INVALID_ARGUMENT",
                "consistency"));
        rows.add(withHeader("timeout not a duration", "soon"));
        rows.add(withHeader("timeout zero", "0"));
        rows.add(withHeader("timeout negative", "-5"));
        rows.add(withHeader("timeout with unknown unit", "5h"));
        // nodes
        String n = "/v1/nodes/n9";
        rows.add(json("register without declaredBytes", "PUT", n, "{\"operator\":\"o\",\"zone\":\"z\"}", 400,
                "INVALID_ARGUMENT", "declaredBytes"));
        rows.add(json("register without zone", "PUT", n, "{\"operator\":\"o\",\"declaredBytes\":1}", 400,
                "INVALID_ARGUMENT", "zone"));
        rows.add(json("register with negative size", "PUT", n, "{\"operator\":\"o\",\"zone\":\"z\",\"declaredBytes\":-1}",
                400, "INVALID_ARGUMENT", "declaredBytes"));
        rows.add(json("label value not a string", "PUT", n, "{\"operator\":\"o\",\"zone\":\"z\",\"labels\":{\"a\":1},"
                + "\"declaredBytes\":1}", 400, "INVALID_ARGUMENT", "labels.a"));
        rows.add(json("report available above physical", "POST", "/v1/nodes/n1/reports", "{\"seq\":9,"
                + "\"declaredBytes\":1,\"physicalBytes\":2,\"availableBytes\":3}", 400, "INVALID_ARGUMENT",
                "availableBytes"));
        rows.add(json("report with negative usage", "POST", "/v1/nodes/n1/reports", "{\"seq\":9,\"declaredBytes\":1,"
                + "\"physicalBytes\":2,\"availableBytes\":1,\"deploymentUsage\":{\"d1\":-3}}", 400,
                "INVALID_ARGUMENT", "deploymentUsage.d1"));
        rows.add(json("report without seq", "POST", "/v1/nodes/n1/reports", "{\"declaredBytes\":1,"
                + "\"physicalBytes\":2,\"availableBytes\":1}", 400, "INVALID_ARGUMENT", "seq"));
        rows.add(json("report seq as string", "POST", "/v1/nodes/n1/reports", "{\"seq\":\"9\",\"declaredBytes\":1,"
                + "\"physicalBytes\":2,\"availableBytes\":1}", 400, "INVALID_ARGUMENT", "seq"));
        rows.add(json("drain with a body", "POST", "/v1/nodes/n1:drain", "{\"force\":true}", 400, "UNKNOWN_FIELD",
                "force"));
        // policy and webhook
        rows.add(json("empty policy", "PUT", "/v1/policy", "{}", 400, "INVALID_ARGUMENT", "tickMillis"));
        rows.add(json("policy with unknown field", "PUT", "/v1/policy", "{\"tickMillis\":1000,\"turbo\":true}", 400,
                "UNKNOWN_FIELD", "turbo"));
        rows.add(json("policy with unknown reserve mode", "PUT", "/v1/policy", "{\"reserveMode\":\"SOMETIMES\"}", 400,
                "INVALID_ARGUMENT", "reserveMode"));
        rows.add(json("review without apiVersion", "POST", "/k8s/admission", "{}", 400, "INVALID_ARGUMENT",
                "apiVersion"));
        rows.add(json("review of the wrong kind", "POST", "/k8s/admission", "{\"apiVersion\":\"admission.k8s.io/v1\","
                + "\"kind\":\"Pod\",\"request\":{}}", 400, "INVALID_ARGUMENT", "kind"));
        rows.add(json("review without uid", "POST", "/k8s/admission", "{\"apiVersion\":\"admission.k8s.io/v1\","
                + "\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}}", 400, "INVALID_ARGUMENT",
                "request.uid"));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void isRefusedAndChangesNothing(Bad bad) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.base.resolve(bad.path()))
                .timeout(Duration.ofSeconds(30))
                .method(bad.method(), bad.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bad.body()));
        if (bad.contentType() != null) {
            request.header("Content-Type", bad.contentType());
        }
        for (int i = 0; i < bad.headers().size(); i += 2) {
            request.header(bad.headers().get(i), bad.headers().get(i + 1));
        }
        HttpResponse<String> response = api.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode error = api.mapper.readTree(response.body()).path("error");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(bad.status());
        assertThat(error.path("code").asText()).as(response.body()).isEqualTo(bad.code());
        assertThat(error.path("message").asText()).isNotBlank();
        if (bad.field() != null) {
            assertThat(error.path("field").asText()).as(response.body()).isEqualTo(bad.field());
            assertThat(error.path("message").asText()).as("the message names the field").contains(bad.field());
        }
        if (bad.status() == 405) {
            assertThat(response.headers().firstValue("Allow")).isPresent();
        }
        assertThat(api.stateHash()).as("state hash").isEqualTo(hash);
        assertThat(api.appliedIndex()).as("applied index").isEqualTo(index);
    }

    private static Bad json(String name, String method, String path, String body, int status, String code,
                            String field) {
        return new Bad(name, method, path, body == null ? null : bytes(body), body == null ? null : "application/json",
                List.of(), status, code, field);
    }

    private static Bad admit(String name, String field, String expectedField) {
        return json(name, "POST", "/v1/deployments", "{\"deploymentId\":\"x1\",\"owner\":\"alice\"," + field + "}", 400,
                "INVALID_ARGUMENT", expectedField);
    }

    private static Bad withHeader(String name, String timeout) {
        return new Bad(name, "POST", "/v1/deployments", bytes(admitBody("x1", "alice", 1024, 1)), "application/json",
                List.of("X-Request-Timeout", timeout), 400, "INVALID_ARGUMENT", "X-Request-Timeout");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
