package org.memledger.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.http.HttpMethod;
import org.memledger.coordinator.api.EmbeddedLedgerGateway;
import org.memledger.coordinator.api.HttpApiConfig;
import org.memledger.coordinator.api.HttpApiServer;
import org.memledger.coordinator.api.SocketTransport;
import org.memledger.protocol.Policy;
import org.memledger.protocol.SetPolicy;

/**
 * A diagnostic for issue 4: the HTTP API alone, over an {@link EmbeddedLedgerGateway} (one
 * in-process ledger, no Raft), driven by {@link HttpLoadClient} exactly as the HTTP phase of
 * {@link ReplicatedThroughput} drives the cluster (POST /v1/deployments then DELETE, one request
 * outstanding per connection). What the API layer costs per request without the replication
 * path's thread hand-offs.
 *
 * <pre>java -Xmx2g -cp bench/target/benchmarks.jar org.memledger.bench.HttpServerOnly [--connections 256]
 *     [--warmup 5] [--seconds 15] [--io-threads 0] [--transport epoll|nio]</pre>
 */
public final class HttpServerOnly {
    private HttpServerOnly() {
    }

    public static void main(String[] args) throws Exception {
        int connections = 256;
        double warmup = 5;
        double seconds = 15;
        int ioThreads = 0;
        SocketTransport transport = SocketTransport.best();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--io-threads" -> ioThreads = Integer.parseInt(args[++i]);
                case "--transport" -> transport = SocketTransport.parse(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        EmbeddedLedgerGateway gateway = EmbeddedLedgerGateway.create();
        Policy policy = gateway.read(views -> views.policy()).value().toBuilder().heartbeatTimeoutMillis(3_600_000).build();
        gateway.submit(new SetPolicy(policy), 10_000).get(); // the nodes report once only
        for (int n = 0; n < Workload.NODES; n++) {
            gateway.submit(Workload.register(n), 10_000).get();
            gateway.submit(Workload.report(n), 10_000).get();
        }
        HttpApiConfig.Builder config = HttpApiConfig.builder().host("127.0.0.1").port(0).transport(transport);
        if (ioThreads > 0) {
            config.ioThreads(ioThreads);
        }
        HttpApiServer server = new HttpApiServer(gateway, config.build());
        server.start();
        try (HttpLoadClient client = new HttpLoadClient(1)) {
            List<HttpLoadClient.Connection> open = client.connect(server.uri(), connections);
            long measureStart = System.nanoTime() + (long) (warmup * 1e9);
            long measureEnd = measureStart + (long) (seconds * 1e9);
            AtomicLong answered = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            Latency latency = new Latency();
            for (int c = 0; c < connections; c++) {
                step(open.get(c), c, 0, true, measureStart, measureEnd, answered, errors, latency);
            }
            ReplicatedThroughput.sleepUntil(measureStart);
            ReportIngestion.Cpu cpu0 = ReportIngestion.Cpu.now();
            ReplicatedThroughput.sleepUntil(measureEnd);
            ReportIngestion.Cpu cpu1 = ReportIngestion.Cpu.now();
            double rate = answered.get() / seconds;
            double cores = cpu1.coordinatorCores(cpu0, seconds);
            var h = latency.take();
            System.out.printf("HTTP API alone (embedded ledger, %s), %d connections: %.0f requests/s, p50 %s ms, p99 %s ms, "
                            + "errors %d | server CPU %.2f cores = %.0f us/request, driver %.2f cores | load1=%s%n",
                    transport.label(), connections, rate, Latency.ms(h, 50), Latency.ms(h, 99), errors.get(), cores,
                    rate > 0 ? cores * 1e6 / rate : 0, cpu1.driverCores(cpu0, seconds), BenchCluster.load());
            System.out.println("  CPU by thread group: " + cpu1.topGroups(cpu0, seconds, 8));
            TimeUnit.MILLISECONDS.sleep(500);
        } finally {
            server.close();
        }
        System.exit(0);
    }

    private static void step(HttpLoadClient.Connection connection, int slot, long gen, boolean admit,
                             long measureStart, long measureEnd, AtomicLong answered, AtomicLong errors,
                             Latency latency) {
        long start = System.nanoTime();
        if (start >= measureEnd) {
            return;
        }
        String id = "s" + slot + "-g" + gen;
        byte[] body = admit ? ("{\"deploymentId\":\"" + id + "\",\"owner\":\"owner-" + (slot % 100)
                + "\",\"firmBytes\":" + ((16 + gen % 497) * Workload.MIB) + ",\"replicas\":1}").getBytes() : null;
        connection.send(admit ? HttpMethod.POST : HttpMethod.DELETE, admit ? "/v1/deployments" : "/v1/deployments/" + id,
                body, 30_000, response -> {
                    long end = System.nanoTime();
                    if (response.status() != (admit ? 201 : 200)) {
                        if (errors.incrementAndGet() <= 5) {
                            System.err.println(response.status() + " " + response.body());
                        }
                    } else if (start >= measureStart && end <= measureEnd) {
                        answered.incrementAndGet();
                        latency.recordNanos(end - start);
                    }
                    if (response.status() > 0) {
                        step(connection, slot, admit ? gen : gen + 1, !admit, measureStart, measureEnd, answered,
                                errors, latency);
                    }
                });
    }
}
