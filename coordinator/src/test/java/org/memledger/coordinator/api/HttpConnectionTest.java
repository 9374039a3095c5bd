package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memledger.coordinator.api.ApiHarness.GIB;
import static org.memledger.coordinator.api.ApiHarness.admitBody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 at the byte level: keep-alive, pipelining in order, and requests the codec refuses. */
class HttpConnectionTest {
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

    record Raw(int status, Map<String, String> headers, String body) {
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstWaits() throws IOException {
        api.gateway.pauseApplying();
        try (Socket socket = connect()) {
            String admit = admitBody("d1", "alice", GIB, 1);
            write(socket, "POST /v1/deployments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "X-Request-Timeout: 30s\r\nContent-Length: " + admit.length() + "\r\n\r\n" + admit
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            ApiHarness.await("the admission is held", () -> api.gateway.heldCommands() == 1);
            api.gateway.resumeApplying();

            Raw first = read(socket.getInputStream());
            Raw second = read(socket.getInputStream());
            assertThat(first.status()).as(first.body()).isEqualTo(201);
            assertThat(first.body()).contains("\"deploymentId\":\"d1\"");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains("UP");

            write(socket, "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
            Raw third = read(socket.getInputStream());
            assertThat(third.status()).as("the connection is kept alive").isEqualTo(200);
            assertThat(third.headers().get("x-memledger-index")).isEqualTo(Long.toString(api.appliedIndex()));
        }
    }

    @Test
    void anOversizedBodyIs413AndTheConnectionStaysUsable() throws IOException {
        try (Socket socket = connect()) {
            int size = (1 << 20) + 10;
            write(socket, "POST /v1/deployments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + size + "\r\n\r\n");
            socket.getOutputStream().write(new byte[size]);
            Raw tooLarge = read(socket.getInputStream());
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.body()).contains("PAYLOAD_TOO_LARGE").contains("1048576");

            write(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(read(socket.getInputStream()).status()).isEqualTo(200);
        }
    }

    @Test
    void garbageIs400AndClosesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            write(socket, "THIS IS NOT HTTP\r\n\r\n");
            Raw reply = read(socket.getInputStream());
            assertThat(reply.status()).isIn(400, 404, 405);
        }
        try (Socket socket = connect()) {
            write(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n");
            Raw reply = read(socket.getInputStream());
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.body()).contains("MALFORMED_REQUEST");
            assertThat(reply.headers().get("connection")).isEqualTo("close");
            assertThat(socket.getInputStream().read()).as("closed").isEqualTo(-1);
        }
    }

    @Test
    void anOverlongRequestLineIs414AndOverlongHeadersAre431() throws IOException {
        try (Socket socket = connect()) {
            write(socket, "GET /v1/deployments/" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            Raw reply = read(socket.getInputStream());
            assertThat(reply.status()).isEqualTo(414);
            assertThat(reply.body()).contains("URI_TOO_LONG");
        }
        try (Socket socket = connect()) {
            write(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n");
            Raw reply = read(socket.getInputStream());
            assertThat(reply.status()).isEqualTo(431);
            assertThat(reply.body()).contains("HEADERS_TOO_LARGE");
        }
    }

    @Test
    void http10AndConnectionCloseAreAnsweredThenClosed() throws IOException {
        try (Socket socket = connect()) {
            write(socket, "GET /healthz HTTP/1.0\r\n\r\n");
            assertThat(read(socket.getInputStream()).status()).isEqualTo(200);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket socket = connect()) {
            write(socket, "GET /v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            Raw reply = read(socket.getInputStream());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.headers().get("connection")).isEqualTo("close");
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(api.base.getHost(), api.base.getPort());
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One response: status line, headers (lower-case names), and a Content-Length body. */
    private static Raw read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Raw(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (c != '\r') {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
