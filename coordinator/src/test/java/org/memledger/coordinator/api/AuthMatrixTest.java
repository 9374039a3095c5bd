package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.api.ApiHarness.GIB;
import static org.memledger.coordinator.api.ApiHarness.MIB;
import static org.memledger.coordinator.api.ApiHarness.admitBody;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.memledger.coordinator.api.ApiHarness.Reply;

/**
 * The role × endpoint matrix of docs/api.md, over HTTP: each role against each endpoint family,
 * with the status it must get. Writes use ids of their own so that rows do not depend on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthMatrixTest {
    static final String ADMIN = "admin-token-1";
    static final String OPERATOR = "operator-token-1";
    static final String ALICE = "client-alice-token";
    static final String BOB = "client-bob-token";
    static final String VIEWER = "viewer-token-1";
    static final String NONE = null;
    static final String UNKNOWN = "not-a-known-token";

    private ApiHarness api;

    @BeforeAll
    void start() throws InterruptedException {
        Map<String, Principal> tokens = new TreeMap<>();
        tokens.put(BearerAuth.sha256Hex(ADMIN), new Principal("admin", Role.ADMIN, null, List.of()));
        tokens.put(BearerAuth.sha256Hex(OPERATOR), new Principal("op", Role.OPERATOR, null, List.of("n1", "rack-*")));
        tokens.put(BearerAuth.sha256Hex(ALICE), new Principal("alice", Role.CLIENT, "alice", List.of()));
        tokens.put(BearerAuth.sha256Hex(BOB), new Principal("bob", Role.CLIENT, "bob", List.of()));
        tokens.put(BearerAuth.sha256Hex(VIEWER), new Principal("viewer", Role.VIEWER, null, List.of()));
        api = new ApiHarness(config -> config.auth(BearerAuth.of(tokens)));
        api.token = ADMIN;
        for (String node : List.of("n1", "n2", "rack-1", "rack-2", "rack-3", "n-del")) {
            api.node(node, "z1", 8 * GIB, 16 * GIB);
        }
        for (String id : List.of("alice-1", "alice-del-1", "alice-del-2", "alice-del-3", "alice-del-4", "alice-del-5")) {
            assertThat(api.post("/v1/deployments", admitBody(id, "alice", 16 * MIB, 1)).status()).isEqualTo(201);
        }
        assertThat(api.post("/v1/deployments", admitBody("bob-1", "bob", 16 * MIB, 1)).status()).isEqualTo(201);
        api.token = null;
    }

    @AfterAll
    void stop() {
        api.close();
    }

    record Row(String who, String method, String path, String body, int status) {
        @Override
        public String toString() {
            return (who == null ? "no token" : who) + " " + method + " " + path + " -> " + status;
        }
    }

    static Stream<Row> matrix() {
        List<Row> rows = new ArrayList<>();
        // deployments: admit and check (admin, client for its own owner)
        rows.add(new Row(ADMIN, "POST", "/v1/deployments", admitBody("adm-1", "carol", MIB, 1), 201));
        rows.add(new Row(ALICE, "POST", "/v1/deployments", admitBody("alice-2", "alice", MIB, 1), 201));
        rows.add(new Row(ALICE, "POST", "/v1/deployments", "{\"deploymentId\":\"alice-3\",\"firmBytes\":1048576}", 201));
        rows.add(new Row(ALICE, "POST", "/v1/deployments", admitBody("alice-4", "bob", MIB, 1), 403));
        rows.add(new Row(OPERATOR, "POST", "/v1/deployments", admitBody("op-1", "alice", MIB, 1), 403));
        rows.add(new Row(VIEWER, "POST", "/v1/deployments", admitBody("vw-1", "alice", MIB, 1), 403));
        rows.add(new Row(NONE, "POST", "/v1/deployments", admitBody("anon-1", "alice", MIB, 1), 401));
        rows.add(new Row(UNKNOWN, "POST", "/v1/deployments", admitBody("anon-2", "alice", MIB, 1), 401));
        rows.add(new Row(ADMIN, "POST", "/v1/deployments:check", admitBody("c1", "alice", MIB, 1), 200));
        rows.add(new Row(ALICE, "POST", "/v1/deployments:check", admitBody("c1", "alice", MIB, 1), 200));
        rows.add(new Row(ALICE, "POST", "/v1/deployments:check", admitBody("c1", "bob", MIB, 1), 403));
        rows.add(new Row(OPERATOR, "POST", "/v1/deployments:check", admitBody("c1", "alice", MIB, 1), 403));
        rows.add(new Row(VIEWER, "POST", "/v1/deployments:check", admitBody("c1", "alice", MIB, 1), 403));
        rows.add(new Row(NONE, "POST", "/v1/deployments:check", admitBody("c1", "alice", MIB, 1), 401));
        // deployments: read (everyone; a client sees only its owner's, others' are 404)
        for (String who : List.of(ADMIN, OPERATOR, ALICE, VIEWER)) {
            rows.add(new Row(who, "GET", "/v1/deployments/alice-1", null, 200));
            rows.add(new Row(who, "GET", "/v1/deployments", null, 200));
        }
        rows.add(new Row(BOB, "GET", "/v1/deployments/alice-1", null, 404));
        rows.add(new Row(ALICE, "GET", "/v1/deployments?owner=bob", null, 403));
        rows.add(new Row(ALICE, "GET", "/v1/deployments?owner=alice", null, 200));
        rows.add(new Row(NONE, "GET", "/v1/deployments/alice-1", null, 401));
        rows.add(new Row(UNKNOWN, "GET", "/v1/deployments", null, 401));
        // deployments: release (admin, the owning client; another client gets 404)
        rows.add(new Row(ADMIN, "DELETE", "/v1/deployments/alice-del-1", null, 200));
        rows.add(new Row(ALICE, "DELETE", "/v1/deployments/alice-del-2", null, 200));
        rows.add(new Row(BOB, "DELETE", "/v1/deployments/alice-del-3", null, 404));
        rows.add(new Row(OPERATOR, "DELETE", "/v1/deployments/alice-del-4", null, 403));
        rows.add(new Row(VIEWER, "DELETE", "/v1/deployments/alice-del-5", null, 403));
        rows.add(new Row(NONE, "DELETE", "/v1/deployments/alice-del-5", null, 401));
        // nodes: writes (admin, operator within its scope)
        String register = "{\"operator\":\"op-a\",\"zone\":\"z1\",\"declaredBytes\":" + 8 * GIB + "}";
        rows.add(new Row(ADMIN, "PUT", "/v1/nodes/n2", register, 200));
        rows.add(new Row(OPERATOR, "PUT", "/v1/nodes/n1", register, 200));
        rows.add(new Row(OPERATOR, "PUT", "/v1/nodes/rack-9", register, 200));
        rows.add(new Row(OPERATOR, "PUT", "/v1/nodes/n2", register, 403));
        rows.add(new Row(ALICE, "PUT", "/v1/nodes/n1", register, 403));
        rows.add(new Row(VIEWER, "PUT", "/v1/nodes/n1", register, 403));
        rows.add(new Row(NONE, "PUT", "/v1/nodes/n1", register, 401));
        String report = "{\"seq\":50,\"declaredBytes\":" + 8 * GIB + ",\"physicalBytes\":" + 16 * GIB
                + ",\"availableBytes\":" + 16 * GIB + "}";
        rows.add(new Row(ADMIN, "POST", "/v1/nodes/n2/reports", report, 200));
        rows.add(new Row(OPERATOR, "POST", "/v1/nodes/rack-1/reports", report, 200));
        rows.add(new Row(OPERATOR, "POST", "/v1/nodes/n2/reports", report, 403));
        rows.add(new Row(ALICE, "POST", "/v1/nodes/n1/reports", report, 403));
        rows.add(new Row(VIEWER, "POST", "/v1/nodes/n1/reports", report, 403));
        rows.add(new Row(ADMIN, "POST", "/v1/nodes/rack-2:drain", null, 200));
        rows.add(new Row(OPERATOR, "POST", "/v1/nodes/rack-2:drain", null, 200));
        rows.add(new Row(OPERATOR, "POST", "/v1/nodes/n2:drain", null, 403));
        rows.add(new Row(ALICE, "POST", "/v1/nodes/rack-2:drain", null, 403));
        rows.add(new Row(VIEWER, "POST", "/v1/nodes/rack-2:drain", null, 403));
        rows.add(new Row(ADMIN, "DELETE", "/v1/nodes/n-del", null, 200));
        rows.add(new Row(OPERATOR, "DELETE", "/v1/nodes/rack-3", null, 200));
        rows.add(new Row(OPERATOR, "DELETE", "/v1/nodes/n2", null, 403));
        rows.add(new Row(ALICE, "DELETE", "/v1/nodes/n1", null, 403));
        rows.add(new Row(VIEWER, "DELETE", "/v1/nodes/n1", null, 403));
        // cluster reads, policy and status: everyone with a token
        for (String who : List.of(ADMIN, OPERATOR, ALICE, VIEWER)) {
            rows.add(new Row(who, "GET", "/v1/nodes", null, 200));
            rows.add(new Row(who, "GET", "/v1/nodes/n1", null, 200));
            rows.add(new Row(who, "GET", "/v1/capacity", null, 200));
            rows.add(new Row(who, "GET", "/v1/policy", null, 200));
            rows.add(new Row(who, "GET", "/v1/status", null, 200));
        }
        for (String path : List.of("/v1/nodes", "/v1/nodes/n1", "/v1/capacity", "/v1/policy", "/v1/status")) {
            rows.add(new Row(NONE, "GET", path, null, 401));
        }
        // policy writes and the webhook: admin only
        for (String who : List.of(OPERATOR, ALICE, VIEWER)) {
            rows.add(new Row(who, "PUT", "/v1/policy", "{}", 403));
            rows.add(new Row(who, "POST", "/k8s/admission", "{}", 403));
        }
        rows.add(new Row(NONE, "PUT", "/v1/policy", "{}", 401));
        rows.add(new Row(NONE, "POST", "/k8s/admission", "{}", 401));
        rows.add(new Row(ADMIN, "POST", "/k8s/admission", "{}", 400)); // allowed in, then refused as a bad review
        // probes need no token
        rows.add(new Row(NONE, "GET", "/healthz", null, 200));
        rows.add(new Row(NONE, "GET", "/readyz", null, 200));
        rows.add(new Row(UNKNOWN, "GET", "/healthz", null, 200));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void roleMeetsEndpoint(Row row) {
        api.token = row.who();
        Reply reply = api.send(row.method(), row.path(), row.body());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(row.status());
        if (row.status() == 401) {
            assertThat(reply.errorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer realm=\"memledger\"");
        }
        if (row.status() == 403) {
            assertThat(reply.errorCode()).isEqualTo("PERMISSION_DENIED");
        }
    }

    @Test
    void aClientListsOnlyItsOwnDeploymentsAndAnUnknownTokenIsTold() {
        api.token = BOB;
        Reply bobs = api.get("/v1/deployments");
        assertThat(bobs.json().path("deployments")).allSatisfy(d -> assertThat(d.path("owner").asText()).isEqualTo("bob"));
        assertThat(bobs.json().path("deployments")).isNotEmpty();

        api.token = UNKNOWN;
        Reply unknown = api.get("/v1/status");
        assertThat(unknown.header("WWW-Authenticate")).contains("error=\"invalid_token\"");

        api.token = null;
        Reply wrongScheme = api.send("GET", "/v1/status", null, "Authorization", "Basic YWxpY2U6c2VjcmV0");
        assertThat(wrongScheme.status()).isEqualTo(401);
        assertThat(wrongScheme.json().path("error").path("message").asText()).contains("Bearer");
    }
}
