package org.memledger.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.memledger.coordinator.raft.Replica;
import org.memledger.protocol.Command;
import org.memledger.protocol.ResultKind;

/**
 * Issue 5: report ingestion. A three-replica cluster with an HTTP API on each replica; simulated
 * agents POST {@code /v1/nodes/{id}/reports} with exactly the body and headers the node agent sends
 * ({@code {"seq","declaredBytes","physicalBytes","availableBytes","deploymentUsage"}}), each every
 * {@code interval}, their phases spread evenly over the interval, agent i talking to replica i mod 3.
 * Not real {@code NodeAgent}s: thousands of agents with their own threads and HTTP clients would
 * load the 2 cores more than the coordinator; here one scheduler thread and one shared
 * java.net.http client (keep-alive, at most {@code --max-outstanding} requests in flight) play them.
 * Nodes are registered in setup through {@link Replica#submit} in 1,000-command batches (an agent
 * does it once with PUT).
 *
 * <p>For each agent count: run {@code --intervals} intervals; after the first, every interval read
 * {@code GET /v1/nodes} from replica n1 and count the simulated nodes whose {@code lastReportAt} is
 * more than 2 intervals behind ledger time (n1's status). Kept up = none, ever. Coordinator CPU =
 * the process's CPU time minus the CPU time of the driver's own threads (named {@code bench-*} and
 * the HTTP client's {@code HttpClient-*}), per second of wall time.
 *
 * <pre>java -Xmx3g -cp bench/target/benchmarks.jar org.memledger.bench.ReportIngestion [--agents 1000,2500,5000,10000,20000]
 *     [--interval-ms 5000] [--intervals 6] [--max-outstanding 256]</pre>
 */
public final class ReportIngestion {
    private ReportIngestion() {
    }

    public static void main(String[] args) throws Exception {
        int[] counts = {1_000, 2_500, 5_000, 10_000, 20_000};
        long interval = 5_000;
        int intervals = 6;
        int maxOutstanding = 256;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--agents" -> counts = ReplicatedThroughput.ints(args[++i]);
                case "--interval-ms" -> interval = Long.parseLong(args[++i]);
                case "--intervals" -> intervals = Integer.parseInt(args[++i]);
                case "--max-outstanding" -> maxOutstanding = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        int max = 0;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        System.out.printf("cores=%d maxHeap=%dMiB load1=%s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, BenchCluster.load());
        ExecutorService clientPool = Executors.newFixedThreadPool(2, ReplicatedThroughput.daemon("bench-http-client"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientPool)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long[] seq = new long[max];
        List<String> lines = new ArrayList<>();
        try (BenchCluster cluster = BenchCluster.start("report-bench", 3, true)) {
            Replica leader = cluster.awaitLeader(Duration.ofSeconds(60));
            List<Command> batch = new ArrayList<>();
            for (int n = 0; n < max; n++) {
                batch.add(Workload.register(n));
                if (batch.size() == 1_000 || n == max - 1) {
                    BenchCluster.submitBatch(leader, batch, ResultKind.ACK);
                    batch.clear();
                }
            }
            System.out.printf("setup: %d nodes registered, load1=%s%n", max, BenchCluster.load());
            for (int agents : counts) {
                String line = phase(cluster, client, agents, seq, interval, intervals, maxOutstanding);
                System.out.println(line);
                lines.add(line);
            }
        }
        System.out.println();
        lines.forEach(System.out::println);
        System.exit(0);
    }

    private static String phase(BenchCluster cluster, HttpClient client, int agents, long[] seq, long interval,
                                int intervals, int maxOutstanding) throws Exception {
        Latency latency = new Latency();
        AtomicLong sent = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong late = new AtomicLong();
        AtomicLong capped = new AtomicLong();
        Semaphore permits = new Semaphore(maxOutstanding);
        long startMillis = System.currentTimeMillis();
        long endMillis = startMillis + intervals * interval;
        long[] due = new long[agents];
        for (int i = 0; i < agents; i++) {
            due[i] = startMillis + (i * interval) / agents;
        }
        int[] stale = {0};
        int[] worstStale = {0};
        long[] worstLagMillis = {0};
        int checks = 0;
        long nextCheck = startMillis + interval;
        Cpu cpu0 = Cpu.now();
        long wall0 = System.nanoTime();
        // One scheduler thread (this one) plays every agent: each is due once per interval.
        int cursor = 0;
        while (System.currentTimeMillis() < endMillis) {
            long now = System.currentTimeMillis();
            int scanned = 0;
            while (scanned < agents) {
                int i = cursor;
                if (due[i] > now) {
                    break; // agents are due in index order within an interval
                }
                if (!permits.tryAcquire()) {
                    capped.incrementAndGet();
                    break;
                }
                if (now - due[i] > interval) {
                    late.incrementAndGet();
                }
                due[i] += interval;
                send(client, cluster.api(i % 3), i, ++seq[i], latency, sent, accepted, errors, permits);
                cursor = (cursor + 1) % agents;
                scanned++;
            }
            if (now >= nextCheck) {
                checks++;
                check(client, cluster, agents, interval, stale, worstLagMillis);
                worstStale[0] = Math.max(worstStale[0], stale[0]);
                nextCheck += interval;
            }
            Thread.sleep(2);
        }
        permits.tryAcquire(maxOutstanding, 30, TimeUnit.SECONDS);
        permits.release(maxOutstanding);
        double wall = (System.nanoTime() - wall0) / 1e9;
        Cpu cpu1 = Cpu.now();
        Histogram h = latency.take();
        double coordinatorCores = ((cpu1.process - cpu0.process) - (cpu1.driver - cpu0.driver)) / 1e9 / wall;
        double driverCores = (cpu1.driver - cpu0.driver) / 1e9 / wall;
        return String.format("agents=%6d interval=%d ms reports/s=%7.0f (sent %d, accepted %d, errors %d, sent > 1 interval late %d, "
                        + "scheduler passes held at the in-flight cap %d) "
                        + "p50=%s ms p99=%s ms max=%s ms | stale nodes (> 2 intervals) worst check: %d of %d over %d checks, "
                        + "worst lag %.1f s | coordinator CPU %.2f cores (%.0f %% of %d), driver %.2f cores | load1=%s | %s",
                agents, interval, accepted.get() / wall, sent.get(), accepted.get(), errors.get(), late.get(), capped.get(),
                Latency.ms(h, 50), Latency.ms(h, 99), Latency.ms(h, 100), worstStale[0], agents, checks,
                worstLagMillis[0] / 1000.0, coordinatorCores,
                100 * coordinatorCores / Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors(), driverCores, BenchCluster.load(),
                worstStale[0] == 0 && errors.get() == 0 ? "KEPT UP" : "DID NOT KEEP UP");
    }

    private static void send(HttpClient client, URI base, int agent, long seq, Latency latency, AtomicLong sent,
                             AtomicLong accepted, AtomicLong errors, Semaphore permits) {
        long declared = Workload.nodeDeclaredBytes(agent);
        long physical = declared + 4 * Workload.GIB;
        long available = physical - (seq % 7) * Workload.MIB;
        String body = "{\"seq\":" + seq + ",\"declaredBytes\":" + declared + ",\"physicalBytes\":" + physical
                + ",\"availableBytes\":" + available + ",\"deploymentUsage\":{}}";
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/nodes/" + Workload.nodeId(agent) + "/reports"))
                .header("Accept", "application/json")
                .header("User-Agent", "memledger-agent-sim")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .timeout(Duration.ofSeconds(10)).build();
        long start = System.nanoTime();
        sent.incrementAndGet();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            permits.release();
            latency.recordNanos(System.nanoTime() - start);
            if (error == null && response.statusCode() == 200) {
                accepted.incrementAndGet();
            } else if (errors.incrementAndGet() <= 5) {
                System.err.println("report of " + Workload.nodeId(agent) + ": "
                        + (error != null ? error : response.statusCode() + " " + response.body()));
            }
        });
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** GET /v1/nodes on n1; counts simulated nodes more than 2 intervals behind n1's ledger time. */
    private static void check(HttpClient client, BenchCluster cluster, int agents, long interval, int[] stale,
                              long[] worstLag) throws Exception {
        long ledgerNow = cluster.replicas[0].status().ledgerNowMillis();
        HttpRequest request = HttpRequest.newBuilder(cluster.api(0).resolve("/v1/nodes"))
                .timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode nodes = MAPPER.readTree(response.body()).get("nodes");
        Map<String, Long> last = new HashMap<>();
        for (JsonNode node : nodes) {
            JsonNode at = node.get("lastReportAt");
            last.put(node.get("nodeId").asText(), at == null || at.isNull() ? -1L : Instant.parse(at.asText()).toEpochMilli());
        }
        int count = 0;
        for (int i = 0; i < agents; i++) {
            Long at = last.get(Workload.nodeId(i));
            long lag = at == null || at < 0 ? Long.MAX_VALUE : ledgerNow - at;
            if (lag > 2 * interval) {
                count++;
            }
            if (at != null && at >= 0) {
                worstLag[0] = Math.max(worstLag[0], lag);
            }
        }
        stale[0] = count;
    }

    /** Process CPU time and the CPU time of the driver's own threads, in ns. */
    private record Cpu(long process, long driver) {
        static Cpu now() {
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long driver = 0;
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                String name = info.getThreadName();
                if (name.startsWith("bench-") || name.startsWith("HttpClient-") || name.equals("main")) {
                    long t = threads.getThreadCpuTime(info.getThreadId());
                    if (t > 0) {
                        driver += t;
                    }
                }
            }
            return new Cpu(os.getProcessCpuTime(), driver);
        }
    }
}
