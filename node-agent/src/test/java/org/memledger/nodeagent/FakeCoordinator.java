package org.memledger.nodeagent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the coordinator's HTTP API (DESIGN §5), on loopback at a random port: it keeps
 * the set of registered nodes, answers reports from unknown nodes with 404, and can be told to
 * fail, refuse, forget, or attach warnings. Every request is recorded with the status it got.
 */
final class FakeCoordinator implements AutoCloseable {
    private static final Pattern NODE = Pattern.compile("/v1/nodes/([^/]+)");
    private static final Pattern REPORT = Pattern.compile("/v1/nodes/([^/]+)/reports");

    record Request(String method, String path, String authorization, String body, int status) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        boolean isReport() {
            return method.equals("POST") && REPORT.matcher(path).matches();
        }

        boolean accepted() {
            return status / 100 == 2;
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile int failStatus;
    private volatile int reportRefusalStatus;
    private volatile String reportRefusalBody;
    private volatile String policyBody = "{\"tickMillis\":1000,\"systemReservePct\":20,\"systemReserveMaxBytes\":4294967296}";
    private volatile String warnings;

    private FakeCoordinator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeCoordinator start() throws IOException {
        return new FakeCoordinator();
    }

    /** A loopback URL nothing listens on: connections are refused. */
    static URI deadUri() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers everything with this 5xx/429 status (0: behave). */
    void failWith(int status) {
        failStatus = status;
    }

    /** Refuses reports with this status and error (0: accept). */
    void refuseReports(int status, String code, String message) {
        reportRefusalStatus = status;
        reportRefusalBody = error(code, message);
    }

    /** Forgets every node, as a coordinator whose data was wiped. */
    void wipe() {
        registered.clear();
    }

    /** The body of GET /v1/policy, or null to answer 404. */
    void policy(String body) {
        policyBody = body;
    }

    /** A JSON array attached as "warnings" to register and report answers, or null for none. */
    void warnings(String jsonArray) {
        warnings = jsonArray;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> reports() {
        return requests().stream().filter(Request::isReport).toList();
    }

    List<Request> acceptedReports() {
        return reports().stream().filter(Request::accepted).toList();
    }

    /** Waits, up to {@code timeout}, until {@code count} recorded requests match; false on timeout. */
    synchronized boolean await(Predicate<Request> match, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (requests.stream().filter(match).count() < count) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                return false;
            }
            wait(remainingMillis);
        }
        return true;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Answer answer = answer(method, path);
        synchronized (this) {
            requests.add(new Request(method, path, exchange.getRequestHeaders().getFirst("Authorization"), body,
                    answer.status));
            notifyAll();
        }
        byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Answer answer(String method, String path) {
        if (failStatus != 0) {
            return new Answer(failStatus, error("UNAVAILABLE", "no leader"));
        }
        Matcher report = REPORT.matcher(path);
        Matcher node = NODE.matcher(path);
        if (method.equals("GET") && path.equals("/v1/policy")) {
            String policy = policyBody;
            return policy == null ? new Answer(404, error("NOT_FOUND", "no route")) : new Answer(200, policy);
        }
        if (method.equals("PUT") && node.matches()) {
            registered.add(node.group(1));
            return new Answer(200, "{\"nodeId\":\"" + node.group(1) + "\"" + warningsField() + "}");
        }
        if (method.equals("POST") && report.matches()) {
            if (!registered.contains(report.group(1))) {
                return new Answer(404, error("NOT_FOUND", "node " + report.group(1) + " is not registered"));
            }
            if (reportRefusalStatus != 0) {
                return new Answer(reportRefusalStatus, reportRefusalBody);
            }
            return new Answer(200, "{\"status\":\"APPLIED\"" + warningsField() + "}");
        }
        return new Answer(404, error("NOT_FOUND", "no route " + method + " " + path));
    }

    private String warningsField() {
        String current = warnings;
        return current == null ? "" : ",\"warnings\":" + current;
    }

    private static String error(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    }

    private record Answer(int status, String body) {
    }
}
