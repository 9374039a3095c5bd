package org.memledger.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpMethod;
import org.HdrHistogram.Histogram;
import org.memledger.coordinator.raft.CommonPoolParallelism;
import org.memledger.coordinator.raft.Replica;
import org.memledger.protocol.Command;
import org.memledger.protocol.ResultKind;

/**
 * Issue 5: report ingestion. A three-replica cluster with an HTTP API on each replica; simulated
 * agents POST {@code /v1/nodes/{id}/reports} with exactly the body the node agent sends
 * ({@code {"seq","declaredBytes","physicalBytes","availableBytes","deploymentUsage"}}), each every
 * {@code interval}, their phases spread evenly over the interval, agent i talking to replica i mod 3.
 * Not real {@code NodeAgent}s: thousands of agents with their own threads and HTTP clients would
 * load the 2 cores more than the coordinator; here one scheduler thread plays every agent and
 * {@link HttpLoadClient} ({@code --connections} keep-alive connections spread over the three
 * replicas, one request outstanding on each, one event-loop thread) carries the reports. A due
 * agent waits for a free connection to its replica; an agent still waiting when it is due again is
 * not queued twice (the agent never queues stale reports; its seq is taken when the report is sent).
 * Nodes are registered in setup through {@link Replica#submit} in 1,000-command batches (an agent
 * does it once with PUT).
 *
 * <p>For each agent count: run {@code --intervals} intervals; after the first, every interval read
 * {@code GET /v1/nodes} from replica n1 and count the simulated nodes whose {@code lastReportAt} is
 * more than 2 intervals behind ledger time (n1's status; a node not yet reported in this phase
 * counts from the phase's start, so the first check does not count reports still in flight). Kept
 * up = none, ever. Coordinator CPU =
 * the process's CPU time minus the CPU time of the driver's own threads ({@code main} and
 * {@code bench-*}), per second of wall time; it includes GC, JIT and the periodic {@code GET /v1/nodes}.
 *
 * <pre>java -Xmx3g -cp bench/target/benchmarks.jar org.memledger.bench.ReportIngestion [--agents 1000,2500,5000,10000,20000]
 *     [--interval-ms 5000] [--intervals 6] [--connections 384] [--client-threads 1]</pre>
 */
public final class ReportIngestion {
    private static final long REQUEST_TIMEOUT_MILLIS = 10_000;

    private ReportIngestion() {
    }

    public static void main(String[] args) throws Exception {
        CommonPoolParallelism.ensureAtLeastTwo();
        int[] counts = {1_000, 2_500, 5_000, 10_000, 20_000};
        long interval = 5_000;
        int intervals = 6;
        int connections = 384;
        int clientThreads = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--agents" -> counts = ReplicatedThroughput.ints(args[++i]);
                case "--interval-ms" -> interval = Long.parseLong(args[++i]);
                case "--intervals" -> intervals = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--client-threads" -> clientThreads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        int max = 0;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        System.out.printf("cores=%d maxHeap=%dMiB load1=%s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, BenchCluster.load());
        long[] seq = new long[max];
        List<String> lines = new ArrayList<>();
        try (BenchCluster cluster = BenchCluster.start("report-bench", 3, true);
             HttpLoadClient client = new HttpLoadClient(clientThreads)) {
            Replica leader = cluster.awaitLeader(Duration.ofSeconds(60));
            List<Command> batch = new ArrayList<>();
            for (int n = 0; n < max; n++) {
                batch.add(Workload.register(n));
                if (batch.size() == 1_000 || n == max - 1) {
                    BenchCluster.submitBatch(leader, batch, ResultKind.ACK);
                    batch.clear();
                }
            }
            Pool[] pools = new Pool[cluster.replicas.length];
            for (int r = 0; r < pools.length; r++) {
                int share = connections / pools.length + (r < connections % pools.length ? 1 : 0);
                pools[r] = new Pool(client.connect(cluster.api(r), Math.max(1, share)));
            }
            HttpLoadClient.Connection checker = client.connect(cluster.api(0), 1).get(0);
            System.out.printf("setup: %d nodes registered, %d connections, load1=%s%n", max, connections,
                    BenchCluster.load());
            for (int agents : counts) {
                String line = phase(cluster, pools, checker, agents, seq, interval, intervals);
                System.out.println(line);
                lines.add(line);
            }
        }
        System.out.println();
        lines.forEach(System.out::println);
        System.exit(0);
    }

    /** One replica's connections: the idle ones and the agents waiting for one. */
    private static final class Pool {
        final ConcurrentLinkedQueue<HttpLoadClient.Connection> idle;
        final ConcurrentLinkedQueue<Integer> waiting = new ConcurrentLinkedQueue<>();

        Pool(List<HttpLoadClient.Connection> connections) {
            this.idle = new ConcurrentLinkedQueue<>(connections);
        }
    }

    /** What one phase counts; shared between the scheduler thread and the event loop. */
    private static final class Counts {
        final Latency latency = new Latency();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong late = new AtomicLong();
        final AtomicLong stillWaiting = new AtomicLong();
        final AtomicLong inFlight = new AtomicLong();
    }

    private static String phase(BenchCluster cluster, Pool[] pools, HttpLoadClient.Connection checker, int agents,
                                long[] seq, long interval, int intervals) throws Exception {
        Counts counts = new Counts();
        long phaseStartLedgerMillis = cluster.replicas[0].status().ledgerNowMillis();
        long startMillis = System.currentTimeMillis();
        long endMillis = startMillis + intervals * interval;
        long[] due = new long[agents];
        long[] dueWhenQueued = new long[agents];
        AtomicIntegerArray queued = new AtomicIntegerArray(agents);
        for (int i = 0; i < agents; i++) {
            due[i] = startMillis + (i * interval) / agents;
        }
        int[] stale = {0};
        int worstStale = 0;
        long[] worstLagMillis = {0};
        int checks = 0;
        long nextCheck = startMillis + interval;
        Cpu cpu0 = Cpu.now();
        long wall0 = System.nanoTime();
        // One scheduler thread (this one) plays every agent: each is due once per interval.
        int cursor = 0;
        while (System.currentTimeMillis() < endMillis) {
            long now = System.currentTimeMillis();
            for (int scanned = 0; scanned < agents && due[cursor] <= now; scanned++) {
                int i = cursor;
                if (queued.compareAndSet(i, 0, 1)) {
                    dueWhenQueued[i] = due[i];
                    pools[i % pools.length].waiting.add(i);
                } else {
                    counts.stillWaiting.incrementAndGet(); // the previous report has not even been sent yet
                }
                due[i] += interval;
                cursor = (cursor + 1) % agents;
            }
            for (Pool pool : pools) {
                drain(pool, seq, dueWhenQueued, queued, interval, counts);
            }
            if (now >= nextCheck) {
                checks++;
                check(checker, cluster, agents, interval, phaseStartLedgerMillis, stale, worstLagMillis);
                worstStale = Math.max(worstStale, stale[0]);
                nextCheck += interval;
            }
            Thread.sleep(2);
        }
        long drainEnd = System.currentTimeMillis() + 30_000;
        while (counts.inFlight.get() > 0 && System.currentTimeMillis() < drainEnd) {
            Thread.sleep(5);
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        Cpu cpu1 = Cpu.now();
        for (Pool pool : pools) {
            Integer left;
            while ((left = pool.waiting.poll()) != null) {
                queued.set(left, 0);
            }
        }
        Histogram h = counts.latency.take();
        double coordinatorCores = cpu1.coordinatorCores(cpu0, wall);
        double driverCores = cpu1.driverCores(cpu0, wall);
        double rate = counts.accepted.get() / wall;
        System.out.println("  CPU by thread group: " + cpu1.topGroups(cpu0, wall, 14));
        return String.format("agents=%6d interval=%d ms reports/s=%7.0f (needed %.0f; sent %d, accepted %d, errors %d, "
                        + "sent > 1 interval late %d, due again while still waiting %d) "
                        + "p50=%s ms p99=%s ms max=%s ms | stale nodes (> 2 intervals) worst check: %d of %d over %d checks, "
                        + "worst lag %.1f s | coordinator CPU %.2f cores (%.0f %% of %d) = %.0f us/report, driver %.2f cores "
                        + "| load1=%s | %s",
                agents, interval, rate, agents * 1000.0 / interval, counts.sent.get(), counts.accepted.get(),
                counts.errors.get(), counts.late.get(), counts.stillWaiting.get(),
                Latency.ms(h, 50), Latency.ms(h, 99), Latency.ms(h, 100), worstStale, agents, checks,
                worstLagMillis[0] / 1000.0, coordinatorCores,
                100 * coordinatorCores / Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors(), rate > 0 ? coordinatorCores * 1e6 / rate : 0, driverCores,
                BenchCluster.load(), worstStale == 0 && counts.errors.get() == 0 ? "KEPT UP" : "DID NOT KEEP UP");
    }

    /** Gives waiting agents the idle connections of {@code pool}. Any thread. */
    private static void drain(Pool pool, long[] seq, long[] dueWhenQueued, AtomicIntegerArray queued, long interval,
                              Counts counts) {
        while (!pool.waiting.isEmpty()) {
            HttpLoadClient.Connection connection = pool.idle.poll();
            if (connection == null) {
                return;
            }
            Integer agent = pool.waiting.poll();
            if (agent == null) {
                pool.idle.add(connection);
                return;
            }
            send(connection, pool, agent, seq, dueWhenQueued, queued, interval, counts);
        }
    }

    private static void send(HttpLoadClient.Connection connection, Pool pool, int agent, long[] seq,
                             long[] dueWhenQueued, AtomicIntegerArray queued, long interval, Counts counts) {
        long reportSeq;
        long dueMillis;
        synchronized (seq) {
            reportSeq = ++seq[agent];
            dueMillis = dueWhenQueued[agent];
        }
        queued.set(agent, 0);
        if (System.currentTimeMillis() - dueMillis > interval) {
            counts.late.incrementAndGet();
        }
        long declared = Workload.nodeDeclaredBytes(agent);
        long physical = declared + 4 * Workload.GIB;
        long available = physical - (reportSeq % 7) * Workload.MIB;
        byte[] body = ("{\"seq\":" + reportSeq + ",\"declaredBytes\":" + declared + ",\"physicalBytes\":" + physical
                + ",\"availableBytes\":" + available + ",\"deploymentUsage\":{}}").getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        counts.sent.incrementAndGet();
        counts.inFlight.incrementAndGet();
        connection.send(HttpMethod.POST, "/v1/nodes/" + Workload.nodeId(agent) + "/reports", body,
                REQUEST_TIMEOUT_MILLIS, response -> {
                    counts.latency.recordNanos(System.nanoTime() - start);
                    if (response.status() == 200) {
                        counts.accepted.incrementAndGet();
                    } else if (counts.errors.incrementAndGet() <= 5) {
                        System.err.println("report of " + Workload.nodeId(agent) + ": " + response.status() + " "
                                + response.body());
                    }
                    counts.inFlight.decrementAndGet();
                    if (!connection.isOpen()) {
                        return; // lost; the pool carries on with the others
                    }
                    Integer next = pool.waiting.poll();
                    if (next != null) {
                        send(connection, pool, next, seq, dueWhenQueued, queued, interval, counts);
                    } else {
                        pool.idle.add(connection);
                    }
                });
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** GET /v1/nodes on n1; counts simulated nodes more than 2 intervals behind n1's ledger time. */
    private static void check(HttpLoadClient.Connection checker, BenchCluster cluster, int agents, long interval,
                              long phaseStartLedgerMillis, int[] stale, long[] worstLag) throws Exception {
        long ledgerNow = cluster.replicas[0].status().ledgerNowMillis();
        CompletableFuture<HttpLoadClient.Response> answer = new CompletableFuture<>();
        checker.send(HttpMethod.GET, "/v1/nodes", null, 30_000, answer::complete);
        HttpLoadClient.Response response = answer.get(60, TimeUnit.SECONDS);
        if (response.status() != 200) {
            throw new IllegalStateException("GET /v1/nodes: " + response.status() + " " + response.body());
        }
        JsonNode nodes = MAPPER.readTree(response.body()).get("nodes");
        Map<String, Long> last = new HashMap<>();
        for (JsonNode node : nodes) {
            JsonNode at = node.get("lastReportAt");
            last.put(node.get("nodeId").asText(), at == null || at.isNull() ? -1L : Instant.parse(at.asText()).toEpochMilli());
        }
        int count = 0;
        for (int i = 0; i < agents; i++) {
            Long at = last.get(Workload.nodeId(i));
            // A node whose first report of this phase is not in yet counts from the phase's start.
            long lag = ledgerNow - Math.max(at == null ? -1 : at, phaseStartLedgerMillis);
            if (lag > 2 * interval) {
                count++;
            }
            if (at != null && at >= 0) {
                worstLag[0] = Math.max(worstLag[0], lag);
            }
        }
        stale[0] = count;
    }

    /**
     * Process CPU time and the CPU time of the driver's own threads ({@code main}, {@code bench-*}), in
     * ns; and every live thread's CPU time by thread group (the name with digits blanked), so a phase
     * can say which of the coordinator's threads took the time, kernel time included (JFR's execution
     * samples miss time spent in system calls and thread hand-offs). Threads that ended between two
     * snapshots drop out of the groups, not out of the process total.
     */
    record Cpu(long process, long driver, Map<String, Long> groups, long jitMillis, long gcMillis, long threadsStarted) {
        /** Cores used by everything but the driver between {@code before} and this, over {@code seconds} of wall time. */
        double coordinatorCores(Cpu before, double seconds) {
            return ((process - before.process) - (driver - before.driver)) / 1e9 / seconds;
        }

        double driverCores(Cpu before, double seconds) {
            return (driver - before.driver) / 1e9 / seconds;
        }

        /** The {@code top} thread groups by CPU since {@code before}, as "group 0.12" in cores, and the rest. */
        String topGroups(Cpu before, double seconds, int top) {
            List<Map.Entry<String, Long>> used = new ArrayList<>();
            for (Map.Entry<String, Long> group : groups.entrySet()) {
                long delta = group.getValue() - before.groups.getOrDefault(group.getKey(), 0L);
                if (delta > 0) {
                    used.add(Map.entry(group.getKey(), delta));
                }
            }
            used.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
            StringBuilder out = new StringBuilder();
            long rest = 0;
            for (int i = 0; i < used.size(); i++) {
                if (i < top) {
                    out.append(String.format("%s%s %.3f", i == 0 ? "" : ", ", used.get(i).getKey(),
                            used.get(i).getValue() / 1e9 / seconds));
                } else {
                    rest += used.get(i).getValue();
                }
            }
            long unattributed = (process - before.process) - used.stream().mapToLong(Map.Entry::getValue).sum();
            return out + String.format(", other threads %.3f, ended threads/GC/JIT %.3f (cores); JIT %.3f cores, "
                            + "GC %.3f s/s (collector time), %.0f threads started/s", rest / 1e9 / seconds,
                    unattributed / 1e9 / seconds, (jitMillis - before.jitMillis) / 1e3 / seconds,
                    (gcMillis - before.gcMillis) / 1e3 / seconds, (threadsStarted - before.threadsStarted) / seconds);
        }

        static Cpu now() {
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long driver = 0;
            Map<String, Long> groups = new HashMap<>();
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                String name = info.getThreadName();
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t <= 0) {
                    continue;
                }
                if (name.startsWith("bench-") || name.equals("main")) {
                    driver += t;
                }
                groups.merge(name.replaceAll("[0-9A-F]{6,}", "#").replaceAll("[0-9]+", "N"), t, Long::sum);
            }
            long gc = 0;
            for (java.lang.management.GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                gc += Math.max(0, collector.getCollectionTime());
            }
            return new Cpu(os.getProcessCpuTime(), driver, groups,
                    ManagementFactory.getCompilationMXBean().getTotalCompilationTime(), gc,
                    threads.getTotalStartedThreadCount());
        }
    }
}
