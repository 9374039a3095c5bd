package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.api.ApiHarness.GIB;
import static org.memledger.coordinator.api.ApiHarness.MIB;
import static org.memledger.coordinator.api.ApiHarness.admitBody;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.junit.jupiter.api.Test;
import org.memledger.protocol.Policy;

/**
 * Keeps docs/openapi.yaml true. Every documented path × method × status is produced here against
 * a real server, every answer is checked against its documented schema (required fields, types,
 * enums, and no undocumented fields) and required headers, and every answer produced here must be
 * documented. A route the server has but the document lacks (or the reverse) fails too.
 */
class OpenApiContractTest {
    private static final String ADMIN = "contract-admin";
    private static final String ALICE = "contract-alice";
    private static final String OPERATOR = "contract-operator";
    private static final String VIEWER = "contract-viewer";

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private JsonNode spec;
    private ApiHarness api;
    private final Set<String> exercised = new TreeSet<>();
    private final List<String> problems = new ArrayList<>();

    /** One request of the contract run, with the route template it exercises. */
    private record Call(String method, String template, String path, String token, String body, String contentType,
                        Map<String, String> headers) {
        Call with(String newToken) {
            return new Call(method, template, path, newToken, body, contentType, headers);
        }

        Call header(String name, String value) {
            Map<String, String> more = new TreeMap<>(headers);
            more.put(name, value);
            return new Call(method, template, path, token, body, contentType, more);
        }

        Call body(String newBody, String newContentType) {
            return new Call(method, template, path, token, newBody, newContentType, headers);
        }
    }

    private static Call call(String method, String template, String path, String token, String body) {
        return new Call(method, template, path, token, body, body == null ? null : "application/json", Map.of());
    }

    @Test
    void everyDocumentedResponseIsProducedAndEveryProducedResponseIsDocumented() throws Exception {
        spec = yaml.readTree(Path.of("../docs/openapi.yaml").toFile());
        Map<String, Principal> tokens = new TreeMap<>();
        tokens.put(BearerAuth.sha256Hex(ADMIN), new Principal("admin", Role.ADMIN, null, List.of()));
        tokens.put(BearerAuth.sha256Hex(ALICE), new Principal("alice", Role.CLIENT, "alice", List.of()));
        tokens.put(BearerAuth.sha256Hex(OPERATOR), new Principal("op", Role.OPERATOR, null, List.of("n1")));
        tokens.put(BearerAuth.sha256Hex(VIEWER), new Principal("viewer", Role.VIEWER, null, List.of()));
        api = new ApiHarness(Policy.defaults(), 64, config -> config.auth(BearerAuth.of(tokens)).maxInFlight(2));
        try {
            api.token = ADMIN;
            api.node("n1", "z1", 8 * GIB, 16 * GIB);
            api.node("n2", "z2", 8 * GIB, 16 * GIB);
            api.node("gone", "z2", 8 * GIB, 16 * GIB);
            assertThat(api.delete("/v1/nodes/gone").status()).isEqualTo(200);
            assertThat(api.post("/v1/deployments", admitBody("live-1", "alice", 64 * MIB, 1)).status()).isEqualTo(201);
            api.token = null;

            routesMatchTheDocument();
            specificAnswers();
            List<Call> examples = validExamples();
            for (Call example : examples) {
                if (!example.template().equals("/healthz") && !example.template().equals("/readyz")) {
                    expect(example.with(null), 401);
                }
                if (example.body() != null) {
                    expect(example.body("{\"pad\":\"" + "x".repeat(1 << 20) + "\"}", "application/json"), 413);
                    expect(example.body(example.body(), "text/plain"), 415);
                }
            }
            overloaded(examples);
            timedOut(examples);
            unavailable(examples);
        } finally {
            api.close();
        }

        Set<String> documented = documentedResponses();
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(exercised);
        Set<String> undocumented = new TreeSet<>(exercised);
        undocumented.removeAll(documented);
        assertThat(problems).as("answers that differ from docs/openapi.yaml").isEmpty();
        assertThat(missing).as("documented but never produced by this test").isEmpty();
        assertThat(undocumented).as("produced but not documented in docs/openapi.yaml").isEmpty();
    }

    /** The examples every generic check (401, 413, 415, 429, 504, 503) is run with: each valid as is. */
    private List<Call> validExamples() throws IOException {
        String policy = api.mapper.writeValueAsString(api.mapper.readTree(
                api.send("GET", "/v1/policy", null, "Authorization", "Bearer " + ADMIN).body()));
        List<Call> calls = new ArrayList<>();
        calls.add(call("POST", "/v1/deployments", "/v1/deployments", ADMIN, admitBody("ex-1", "alice", MIB, 1)));
        calls.add(call("GET", "/v1/deployments", "/v1/deployments", ADMIN, null));
        calls.add(call("POST", "/v1/deployments:check", "/v1/deployments:check", ADMIN, admitBody("ex-1", "alice", MIB,
                1)));
        calls.add(call("GET", "/v1/deployments/{deploymentId}", "/v1/deployments/live-1", ADMIN, null));
        calls.add(call("DELETE", "/v1/deployments/{deploymentId}", "/v1/deployments/live-1", ADMIN, null));
        calls.add(call("GET", "/v1/nodes", "/v1/nodes", ADMIN, null));
        calls.add(call("GET", "/v1/nodes/{nodeId}", "/v1/nodes/n1", ADMIN, null));
        calls.add(call("PUT", "/v1/nodes/{nodeId}", "/v1/nodes/n1", ADMIN, registration()));
        calls.add(call("DELETE", "/v1/nodes/{nodeId}", "/v1/nodes/n1", ADMIN, null));
        calls.add(call("POST", "/v1/nodes/{nodeId}/reports", "/v1/nodes/n1/reports", ADMIN, report(7)));
        calls.add(call("POST", "/v1/nodes/{nodeId}:drain", "/v1/nodes/n1:drain", ADMIN, "{}"));
        calls.add(call("GET", "/v1/capacity", "/v1/capacity", ADMIN, null));
        calls.add(call("GET", "/v1/policy", "/v1/policy", ADMIN, null));
        calls.add(call("PUT", "/v1/policy", "/v1/policy", ADMIN, policy));
        calls.add(call("GET", "/v1/status", "/v1/status", ADMIN, null));
        calls.add(call("GET", "/healthz", "/healthz", null, null));
        calls.add(call("GET", "/readyz", "/readyz", null, null));
        calls.add(call("POST", "/k8s/admission", "/k8s/admission", ADMIN,
                KubernetesAdmissionTest.createReview("shop", "ex-pod", null,
                        "[" + KubernetesAdmissionTest.container("app", null, "\"64Mi\"") + "]", false)));
        return calls;
    }

    /** The answers that need a particular state or caller. */
    private void specificAnswers() throws IOException {
        String d = "/v1/deployments";
        expect(call("POST", d, d, ALICE, admitBody("spec-1", "alice", MIB, 1)), 201);
        expect(call("POST", d, d, ALICE, admitBody("spec-1", "alice", MIB, 1)), 200);
        expect(call("POST", d, d, ALICE, admitBody("spec-2", "alice", 100 * GIB, 1)), 409);
        expect(call("POST", d, d, ALICE, admitBody("spec-3", "bob", MIB, 1)), 403);
        expect(call("POST", d, d, ALICE, "{\"deploymentId\":\"x\",\"firmBytes\":\"1Mi\"}"), 400);
        expect(call("GET", d, d + "?owner=alice&limit=1", ALICE, null), 200);
        expect(call("GET", d, d + "?limit=0", ADMIN, null), 400);
        expect(call("GET", d, d + "?owner=bob", ALICE, null), 403);
        String check = d + ":check";
        expect(call("POST", check, check + "?consistency=linearizable", ALICE, admitBody("c1", "alice", MIB, 1)), 200);
        expect(call("POST", check, check, ALICE, admitBody("c2", "alice", 100 * GIB, 1)), 200);
        expect(call("POST", check, check, ALICE, admitBody("c3", "alice", -1, 1)), 400);
        expect(call("POST", check, check, VIEWER, admitBody("c4", "alice", MIB, 1)), 403);
        String one = d + "/{deploymentId}";
        expect(call("GET", one, d + "/spec-1", VIEWER, null), 200);
        expect(call("GET", one, d + "/bad%20id", ADMIN, null), 400);
        expect(call("GET", one, d + "/ghost", ADMIN, null), 404);
        expect(call("DELETE", one, d + "/spec-1", VIEWER, null), 403);
        expect(call("DELETE", one, d + "/spec-1", ALICE, null), 200);
        expect(call("DELETE", one, d + "/bad%20id", ADMIN, null), 400);
        expect(call("DELETE", one, d + "/spec-1", ALICE, null), 404);

        expect(call("GET", "/v1/nodes", "/v1/nodes?consistency=linearizable", VIEWER, null), 200);
        expect(call("GET", "/v1/nodes", "/v1/nodes?consistency=eventually", VIEWER, null), 400);
        String node = "/v1/nodes/{nodeId}";
        expect(call("GET", node, "/v1/nodes/n1", VIEWER, null), 200);
        expect(call("GET", node, "/v1/nodes/n1?x=1", VIEWER, null), 400);
        expect(call("GET", node, "/v1/nodes/ghost", VIEWER, null), 404);
        expect(call("PUT", node, "/v1/nodes/n1", OPERATOR, registration()), 200);
        expect(call("PUT", node, "/v1/nodes/n1", OPERATOR, "{\"zone\":\"z1\"}"), 400);
        expect(call("PUT", node, "/v1/nodes/n2", OPERATOR, registration()), 403);
        expect(call("PUT", node, "/v1/nodes/gone", ADMIN, registration()), 409);
        expect(call("DELETE", node, "/v1/nodes/bad%20id", ADMIN, null), 400);
        expect(call("DELETE", node, "/v1/nodes/n2", OPERATOR, null), 403);
        expect(call("DELETE", node, "/v1/nodes/ghost", ADMIN, null), 404);
        expect(call("DELETE", node, "/v1/nodes/gone", ADMIN, null), 200);
        String reports = "/v1/nodes/{nodeId}/reports";
        expect(call("POST", reports, "/v1/nodes/n1/reports", OPERATOR, report(2)), 200);
        expect(call("POST", reports, "/v1/nodes/n1/reports", OPERATOR, report(2)), 200);
        expect(call("POST", reports, "/v1/nodes/n1/reports", OPERATOR, "{\"seq\":-1}"), 400);
        expect(call("POST", reports, "/v1/nodes/n2/reports", OPERATOR, report(3)), 403);
        expect(call("POST", reports, "/v1/nodes/ghost/reports", ADMIN, report(3)), 404);
        expect(call("POST", reports, "/v1/nodes/gone/reports", ADMIN, report(3)), 409);
        String drain = "/v1/nodes/{nodeId}:drain";
        expect(call("POST", drain, "/v1/nodes/n2:drain", ADMIN, null), 200);
        expect(call("POST", drain, "/v1/nodes/n2:drain", ADMIN, "{\"now\":true}"), 400);
        expect(call("POST", drain, "/v1/nodes/n2:drain", OPERATOR, null), 403);
        expect(call("POST", drain, "/v1/nodes/ghost:drain", ADMIN, null), 404);
        expect(call("POST", drain, "/v1/nodes/gone:drain", ADMIN, null), 409);

        expect(call("GET", "/v1/capacity", "/v1/capacity", ALICE, null), 200);
        expect(call("GET", "/v1/capacity", "/v1/capacity?consistency=x", ALICE, null), 400);
        expect(call("GET", "/v1/policy", "/v1/policy", VIEWER, null), 200);
        expect(call("GET", "/v1/policy", "/v1/policy?consistency=x", VIEWER, null), 400);
        String policy = api.send("GET", "/v1/policy", null, "Authorization", "Bearer " + ADMIN).body();
        expect(call("PUT", "/v1/policy", "/v1/policy", ADMIN, policy.replace("\"tickMillis\":1000",
                "\"tickMillis\":500")), 200);
        expect(call("PUT", "/v1/policy", "/v1/policy", ADMIN, "{\"tickMillis\":5}"), 400);
        expect(call("PUT", "/v1/policy", "/v1/policy", OPERATOR, "{}"), 403);
        expect(call("GET", "/v1/status", "/v1/status", OPERATOR, null), 200);
        expect(call("GET", "/v1/status", "/v1/status?verbose=1", OPERATOR, null), 400);
        expect(call("GET", "/healthz", "/healthz", null, null), 200);
        expect(call("GET", "/readyz", "/readyz", null, null), 200);
        String review = KubernetesAdmissionTest.createReview("shop", "pod-1", null,
                "[" + KubernetesAdmissionTest.container("app", "\"32Mi\"", "\"64Mi\"") + "]", false);
        expect(call("POST", "/k8s/admission", "/k8s/admission?timeout=10s", ADMIN, review), 200);
        expect(call("POST", "/k8s/admission", "/k8s/admission", ADMIN, "{\"apiVersion\":\"v1\"}"), 400);
        expect(call("POST", "/k8s/admission", "/k8s/admission", ALICE, review), 403);
    }

    /** 429 from every counted route while the in-flight bound is taken by held writes. */
    private void overloaded(List<Call> examples) {
        api.gateway.pauseApplying();
        List<CompletableFuture<ApiHarness.Reply>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(api.sendAsync("POST", "/v1/deployments", admitBody("held-" + i, "alice", MIB, 1),
                    "Authorization", "Bearer " + ADMIN, "X-Request-Timeout", "30s"));
        }
        ApiHarness.await("the in-flight bound is taken", () -> api.server.inFlightRequests() == 2);
        for (Call example : examples) {
            if (!example.template().equals("/healthz") && !example.template().equals("/readyz")) {
                expect(example, 429);
            }
        }
        api.gateway.resumeApplying();
        held.forEach(ApiHarness::join);
    }

    /** 504 from every route that writes, while applying is paused. */
    private void timedOut(List<Call> examples) {
        api.gateway.pauseApplying();
        for (Call example : writes(examples)) {
            expect(example.header("X-Request-Timeout", "150ms"), 504);
        }
        ApiHarness.await("held writes dropped", () -> api.gateway.heldCommands() == 0);
        api.gateway.resumeApplying();
    }

    /** 503 from every route that writes, and from readiness, once the ledger stops taking writes. */
    private void unavailable(List<Call> examples) {
        api.gateway.close();
        for (Call example : writes(examples)) {
            expect(example, 503);
        }
        expect(call("GET", "/readyz", "/readyz", null, null), 503);
    }

    private static List<Call> writes(List<Call> examples) {
        List<Call> writes = new ArrayList<>();
        for (Call example : examples) {
            boolean read = example.method().equals("GET") || example.template().equals("/v1/deployments:check");
            if (!read) {
                writes.add(example);
            }
        }
        return writes;
    }

    private void routesMatchTheDocument() {
        Set<String> served = new TreeSet<>();
        for (Router.Route route : api.server.routes()) {
            served.add(route.method().name() + " " + route.pattern().replace("{id}", "{" + paramName(route) + "}"));
        }
        Set<String> documented = new TreeSet<>();
        spec.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (!method.equals("parameters")) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        assertThat(documented).as("routes in docs/openapi.yaml").isEqualTo(served);
    }

    private static String paramName(Router.Route route) {
        return route.pattern().startsWith("/v1/deployments") ? "deploymentId" : "nodeId";
    }

    // ---- one call: send, record, check against the document ----------------------------------

    private void expect(Call call, int status) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.base.resolve(call.path()))
                .timeout(Duration.ofSeconds(30))
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
        if (call.contentType() != null) {
            request.header("Content-Type", call.contentType());
        }
        if (call.token() != null) {
            request.header("Authorization", "Bearer " + call.token());
        }
        if (!call.headers().containsKey("X-Request-Timeout")) {
            request.header("X-Request-Timeout", "30s");
        }
        call.headers().forEach(request::header);
        HttpResponse<String> response;
        try {
            response = api.http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(call + " failed: " + e, e);
        }
        String key = call.method() + " " + call.template() + " " + response.statusCode();
        String where = call.method() + " " + call.path() + " -> " + response.statusCode();
        if (response.statusCode() != status) {
            problems.add(where + ": expected " + status + " (" + shorten(response.body()) + ")");
            return;
        }
        exercised.add(key);
        JsonNode documented = spec.path("paths").path(call.template()).path(call.method().toLowerCase(Locale.ROOT))
                .path("responses").path(Integer.toString(status));
        if (documented.isMissingNode()) {
            return; // reported as undocumented
        }
        documented = resolve(documented);
        checkHeaders(documented.path("headers"), response, where);
        JsonNode schema = documented.path("content").path("application/json").path("schema");
        try {
            JsonNode body = api.mapper.readTree(response.body());
            check(body, schema, where + " body", true);
        } catch (IOException e) {
            problems.add(where + ": body is not JSON");
        }
    }

    private void checkHeaders(JsonNode headers, HttpResponse<String> response, String where) {
        Iterator<Map.Entry<String, JsonNode>> fields = headers.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> header = fields.next();
            if (resolve(header.getValue()).path("required").asBoolean()
                    && response.headers().firstValue(header.getKey()).isEmpty()) {
                problems.add(where + ": missing required header " + header.getKey());
            }
        }
    }

    /** A small JSON Schema check: $ref, anyOf, type (or types), enum, required, properties, items, maps. */
    private void check(JsonNode value, JsonNode schema, String at, boolean strictFields) {
        schema = resolve(schema);
        if (schema.has("anyOf")) {
            for (JsonNode option : schema.path("anyOf")) {
                int before = problems.size();
                check(value, option, at, strictFields);
                if (problems.size() == before) {
                    return;
                }
                problems.subList(before, problems.size()).clear();
            }
            problems.add(at + ": matches none of anyOf: " + shorten(value.toString()));
            return;
        }
        if (schema.has("type") && !typeMatches(value, schema.path("type"))) {
            problems.add(at + ": expected type " + schema.path("type") + ", got " + shorten(value.toString()));
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode allowed : schema.path("enum")) {
                found |= allowed.asText().equals(value.asText());
            }
            if (!found) {
                problems.add(at + ": " + value + " is not one of " + schema.path("enum"));
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(at + ": missing required field " + required.asText());
                }
            }
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            value.fields().forEachRemaining(field -> {
                if (properties.has(field.getKey())) {
                    check(field.getValue(), properties.path(field.getKey()), at + "." + field.getKey(), strictFields);
                } else if (additional.isObject()) {
                    check(field.getValue(), additional, at + "." + field.getKey(), strictFields);
                } else if (strictFields && properties.size() > 0) {
                    problems.add(at + ": field " + field.getKey() + " is not documented");
                }
            });
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.path("items"), at + "[" + i + "]", strictFields);
            }
        }
    }

    private static boolean typeMatches(JsonNode value, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode one : type) {
                if (typeMatches(value, one)) {
                    return true;
                }
            }
            return false;
        }
        switch (type.asText()) {
            case "object":
                return value.isObject();
            case "array":
                return value.isArray();
            case "string":
                return value.isTextual();
            case "integer":
                return value.isIntegralNumber();
            case "number":
                return value.isNumber();
            case "boolean":
                return value.isBoolean();
            case "null":
                return value.isNull();
            default:
                return false;
        }
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.path("$ref").asText();
            JsonNode target = spec;
            for (String part : ref.substring(2).split("/")) {
                target = target.path(part);
            }
            if (target.isMissingNode()) {
                problems.add("unresolvable $ref " + ref);
                return target;
            }
            node = target;
        }
        return node;
    }

    private Set<String> documentedResponses() {
        Set<String> documented = new TreeSet<>();
        spec.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            if (!method.getKey().equals("parameters")) {
                method.getValue().path("responses").fieldNames().forEachRemaining(status -> documented.add(
                        method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " " + status));
            }
        }));
        return documented;
    }

    private static String registration() {
        return "{\"operator\":\"op-a\",\"zone\":\"z1\",\"labels\":{},\"declaredBytes\":" + 8 * GIB + "}";
    }

    private static String report(long seq) {
        return "{\"seq\":" + seq + ",\"declaredBytes\":" + 8 * GIB + ",\"physicalBytes\":" + 16 * GIB
                + ",\"availableBytes\":" + 16 * GIB + ",\"deploymentUsage\":{}}";
    }

    private static String shorten(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
