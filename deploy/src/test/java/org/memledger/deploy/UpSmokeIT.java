package org.memledger.deploy;

import org.memledger.coordinator.raft.LoopbackPorts;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memledger.protocol.json.Json;
import picocli.CommandLine;

/**
 * Issue 5 smoke test of the distribution: {@code java -jar memledger.jar up} as a real process.
 * It comes up and reports capacity, takes an admission from the CLI, stops cleanly on SIGTERM,
 * and on a second start with the same data dir still has the deployment.
 */
class UpSmokeIT {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration SHUTDOWN = Duration.ofSeconds(60);
    /**
     * The JVM's exit status when SIGTERM ended it after its shutdown hooks ran (128 + 15); {@code up}
     * does its graceful close in such a hook, and "replica n1 closed" on stderr shows it completed.
     */
    private static final int EXIT_ON_SIGTERM = 143;

    @TempDir
    Path dir;

    @Test
    void upTakesAnAdmissionStopsOnSigtermAndKeepsItAcrossARestart() throws Exception {
        Path jar = Path.of(System.getProperty("memledger.jar", "target/memledger.jar"));
        assertThat(jar).as("the distribution jar (built in package, before failsafe runs)").isRegularFile();
        Path data = dir.resolve("data");
        int[] ports = freePorts(2);
        String api = "http://127.0.0.1:" + ports[0];

        try (Up first = Up.start(jar, data, ports[0], ports[1])) {
            String capacity = first.awaitStdout("memledger up: capacity", STARTUP);
            assertThat(capacity).contains("on 1 node(s)");
            assertThat(first.stdout()).anyMatch(line -> line.contains("API") && line.contains(api));

            Cli admit = cli("admit", "smoke-1", "--owner", "alice", "--firm", "512Mi", "--api", api, "--timeout", "30s");
            assertThat(admit.exitCode()).as("admit: %s", admit).isZero();
            assertThat(admit.out()).startsWith("admitted smoke-1 on smoke;");

            int exit = first.stop(SHUTDOWN);
            assertThat(exit).as("exit status after SIGTERM; stderr:%n%s", first.stderrText())
                    .isEqualTo(EXIT_ON_SIGTERM);
            assertThat(first.stderr()).as("stderr").contains("memledger up: stopping")
                    .anyMatch(line -> line.contains("replica n1 closed"));
        }
        try (var files = Files.list(data)) {
            assertThat(files.count()).as("files in the data dir").isPositive();
        }

        try (Up second = Up.start(jar, data, ports[0], ports[1])) {
            second.awaitStdout("memledger up: capacity", STARTUP);

            HttpResponse<String> read = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(api + "/v1/deployments/smoke-1")).timeout(Duration.ofSeconds(30))
                            .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(read.statusCode()).as("GET /v1/deployments/smoke-1: %s", read.body()).isEqualTo(200);
            JsonNode deployment = Json.lenient().readTree(read.body());
            assertThat(deployment.path("owner").asText()).isEqualTo("alice");
            assertThat(deployment.path("firmBytes").asLong()).isEqualTo(512L << 20);
            assertThat(deployment.path("placements").get(0).asText()).isEqualTo("smoke");
            assertThat(deployment.path("status").asText()).isEqualTo("PLACED");

            Cli get = cli("get", "smoke-1", "--api", api, "--timeout", "30s");
            assertThat(get.exitCode()).as("get: %s", get).isZero();
            assertThat(get.out()).contains("smoke-1").contains("alice");

            int exit = second.stop(SHUTDOWN);
            assertThat(exit).as("exit status after SIGTERM; stderr:%n%s", second.stderrText())
                    .isEqualTo(EXIT_ON_SIGTERM);
            assertThat(second.stderr()).as("stderr").contains("memledger up: stopping")
                    .anyMatch(line -> line.contains("replica n1 closed"));
        }
    }

    record Cli(int exitCode, String out, String err) {
    }

    private static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = MemledgerCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Cli(exitCode, out.toString(), err.toString());
    }

    /** One {@code memledger up} process; its output is collected line by line while it runs. */
    static final class Up implements AutoCloseable {
        private final Process process;
        private final List<String> stdout = new CopyOnWriteArrayList<>();
        private final List<String> stderr = new CopyOnWriteArrayList<>();
        private final List<Thread> readers = new ArrayList<>();

        private Up(Process process) {
            this.process = process;
            readers.add(drain(process.getInputStream(), stdout, "up-stdout"));
            readers.add(drain(process.getErrorStream(), stderr, "up-stderr"));
        }

        static Up start(Path jar, Path data, int httpPort, int raftPort) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString(), "up", "--data-dir", data.toString(),
                    "--http-port", String.valueOf(httpPort), "--raft-port", String.valueOf(raftPort),
                    "--memory-source", "static:16GiB,10GiB", "--interval", "500", "--node-id", "smoke");
            builder.environment().remove("MEMLEDGER_API");
            builder.environment().remove("MEMLEDGER_TOKEN");
            return new Up(builder.start());
        }

        private static Thread drain(InputStream stream, List<String> into, String name) {
            Thread thread = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        into.add(line);
                    }
                } catch (IOException e) {
                    into.add("<read failed: " + e + ">");
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        /** The first stdout line containing {@code text}; fails if the process exits or the deadline passes first. */
        String awaitStdout(String text, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (String line : stdout) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
                if (!process.isAlive()) {
                    awaitReaders();
                    throw new AssertionError("memledger up exited with " + process.exitValue() + " before printing '"
                            + text + "'; stdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + stderrText());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("no '" + text + "' from memledger up within " + timeout.toSeconds()
                            + " s; stdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + stderrText());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // poll interval
            }
        }

        /** SIGTERM, then waits (bounded) for the process to exit; returns its exit status. */
        int stop(Duration timeout) throws InterruptedException {
            // SIGTERM through the ProcessHandle: Process.destroy() sends the same signal but also closes
            // our ends of stdout and stderr at once, losing what the process says while it shuts down.
            assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(exited).as("memledger up exited within %s s of SIGTERM", timeout.toSeconds()).isTrue();
            awaitReaders();
            return process.exitValue();
        }

        private void awaitReaders() {
            for (Thread reader : readers) {
                try {
                    reader.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        List<String> stdout() {
            return stdout;
        }

        List<String> stderr() {
            return stderr;
        }

        String stderrText() {
            return String.join("\n", stderr);
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int[] freePorts(int count) {
        return LoopbackPorts.free(count);
    }
}
