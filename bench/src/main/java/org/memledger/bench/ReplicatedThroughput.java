package org.memledger.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;

import io.netty.handler.codec.http.HttpMethod;
import org.HdrHistogram.Histogram;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.memledger.coordinator.raft.CommonPoolParallelism;
import org.memledger.coordinator.raft.RaftTransport;
import org.memledger.coordinator.raft.Replica;
import org.memledger.coordinator.raft.SubmitterConfig;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Command;
import org.memledger.protocol.Release;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.Result;
import org.memledger.protocol.ResultKind;
import org.memledger.protocol.codec.BinaryWriter;
import org.memledger.protocol.codec.EntryCodec;

/**
 * Issues 3 and 4 in one run (plain main, loopback only, every loop bounded in time and count):
 *
 * <ol>
 * <li><b>Coordinator, in-process.</b> Three replicas ({@link BenchCluster}), 10,000 registered and
 *     reported nodes ({@link Workload}). {@code window} callers each admit a deployment through
 *     {@link Replica#submit} on the leader, then release it, then admit the next: at most
 *     {@code window} outstanding commands, a population of at most {@code window} deployments. One
 *     decision = one applied Admit or Release.</li>
 * <li><b>Coordinator over HTTP.</b> The same cluster with an {@code HttpApiServer} on each replica;
 *     {@code connections} keep-alive HTTP/1.1 connections ({@link HttpLoadClient}, asynchronous Netty,
 *     connection i to replica i mod 3), each with one request outstanding: POST /v1/deployments, then
 *     DELETE it, then the next. Also the coordinator's CPU per answered request. With
 *     {@code --http-leader-only} every connection goes to the leader (a diagnostic: what the
 *     followers' forwarding costs). With {@code --http-admit-only} the connections only admit (POST
 *     with a new id each time, nothing released, so the population grows by the rate times the run:
 *     give the JVM heap for it); every answered request is then an admission. {@code --http-io-threads N}
 *     sets each API server's event loops. With {@code --http2-streams S} the "connections" are HTTP/2
 *     (cleartext, prior knowledge) stream slots, S per TCP connection, each request on a new stream.</li>
 * <li><b>Raw Ratis baseline.</b> The same three-server Netty group with a no-op state machine
 *     ({@link NoopRatisCluster}), running beside the coordinator in this JVM; {@code window} async calls
 *     outstanding (over clients of at most {@value #RAW_CLIENT_WINDOW} each), each entry as many bytes as
 *     the coordinator's average entry at that window.</li>
 * </ol>
 *
 * <p>Phases 1 and 3 alternate, {@code --rounds} times per window (coordinator first in odd rounds,
 * raw first in even ones), and the ratio is taken within each round, so that the machine's drifting
 * load and the JIT's progress fall on both sides alike; the table reports medians.
 *
 * <pre>java -Xmx3g -cp bench/target/benchmarks.jar org.memledger.bench.ReplicatedThroughput [--warmup 5] [--seconds 15]
 *     [--windows 1,64,1024] [--rounds 3] [--http-connections 64,256,1024] [--http-client-threads 1]
 *     [--http-leader-only] [--http-admit-only] [--http-io-threads N] [--http2-streams S]</pre>
 */
public final class ReplicatedThroughput {
    private static final long MAX_OPS_PER_PHASE = 20_000_000;
    private static final long SUBMIT_TIMEOUT_MILLIS = 30_000;
    /** Most async calls the raw baseline keeps outstanding on one Ratis client (see {@link #raw}). */
    static final int RAW_CLIENT_WINDOW = 64;

    private ReplicatedThroughput() {
    }

    record Figures(String what, int window, double decisionsPerSecond, double entriesPerSecond, Histogram latency,
                   long errors, double bytesPerEntry, String load) {
        double decisionsPerEntry() {
            return entriesPerSecond > 0 ? decisionsPerSecond / entriesPerSecond : 0;
        }

        String line() {
            return String.format("%-22s window=%5d decisions/s=%10.0f index-steps/s=%8.0f decisions/step=%7.1f "
                            + "bytes/entry=%8.0f p50=%8s ms p99=%8s ms max=%8s ms n=%d errors=%d load1=%s",
                    what, window, decisionsPerSecond, entriesPerSecond, decisionsPerEntry(), bytesPerEntry,
                    Latency.ms(latency, 50), Latency.ms(latency, 99), Latency.ms(latency, 100),
                    latency.getTotalCount(), errors, load);
        }
    }

    public static void main(String[] args) throws Exception {
        CommonPoolParallelism.ensureAtLeastTwo();
        double warmup = 5;
        double seconds = 15;
        int[] windows = {1, 64, 1024};
        int[] httpConnections = {64, 256, 1024};
        int httpClientThreads = 1;
        int httpIoThreads = 0;
        boolean httpLeaderOnly = false;
        boolean httpAdmitOnly = false;
        int http2Streams = 0;
        int rounds = 3;
        RaftTransport transport = RaftTransport.NETTY;
        SubmitterConfig submitterConfig = SubmitterConfig.defaults();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--transport" -> transport = RaftTransport.parse(args[++i]);
                case "--in-flight-batches" ->
                        submitterConfig = submitterConfig.withMaxInFlightBatches(Integer.parseInt(args[++i]));
                case "--batch-commands" ->
                        submitterConfig = submitterConfig.withMaxBatchCommands(Integer.parseInt(args[++i]));
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--windows" -> windows = ints(args[++i]);
                case "--http-connections" -> httpConnections = ints(args[++i]);
                case "--http-client-threads" -> httpClientThreads = Integer.parseInt(args[++i]);
                case "--http-leader-only" -> httpLeaderOnly = true;
                case "--http-admit-only" -> httpAdmitOnly = true;
                case "--http-io-threads" -> httpIoThreads = Integer.parseInt(args[++i]);
                case "--http2-streams" -> http2Streams = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf("cores=%d maxHeap=%dMiB transport=%s submitter=%s httpIoThreads=%s http=%s load1=%s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, transport,
                submitterConfig, httpIoThreads == 0 ? "default" : httpIoThreads,
                http2Streams == 0 ? "HTTP/1.1" : "HTTP/2 (h2c), " + http2Streams + " streams per TCP connection",
                BenchCluster.load());
        RaftTransport chosenTransport = transport;
        SubmitterConfig chosenSubmitter = submitterConfig;
        int chosenIoThreads = httpIoThreads;
        double commandBytes = averageCommandBytes();
        List<WindowFigures> byWindow = new ArrayList<>();
        List<HttpFigures> http = new ArrayList<>();
        try (BenchCluster cluster = BenchCluster.start("coord-bench", 3, !isEmpty(httpConnections),
                b -> b.transport(chosenTransport).submitter(chosenSubmitter), b -> b.ioThreads(chosenIoThreads));
             NoopRatisCluster raw = isEmpty(windows) ? null : new NoopRatisCluster(3, transport)) {
            Replica leader = cluster.awaitLeader(Duration.ofSeconds(60));
            BenchCluster.longHeartbeat(leader);
            BenchCluster.registerAndReport(leader, Workload.NODES);
            System.out.printf("setup: %d nodes registered and reported, leader %s, load1=%s%n",
                    Workload.NODES, leader.id(), BenchCluster.load());
            for (int w : windows) {
                byWindow.add(interleaved(leader, raw, w, rounds, warmup, seconds, commandBytes));
            }
            for (int p = 0; p < httpConnections.length; p++) {
                HttpFigures f = overHttp(cluster, leader, httpConnections[p], p + 1, httpClientThreads, http2Streams,
                        httpLeaderOnly, httpAdmitOnly, warmup, seconds);
                System.out.println(f.line());
                http.add(f);
            }
        }
        System.out.println();
        System.out.println("| window | coordinator decisions/s | p50 / p99 ms | Raft index steps/s | decisions per entry "
                + "| bytes/entry | raw Ratis requests/s | Raft index steps/s | p50 / p99 ms | ratio per entry, median "
                + "(rounds) | ratio per decision | load1 |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");
        for (WindowFigures w : byWindow) {
            System.out.println(w.row());
        }
        System.out.println();
        System.out.println("| HTTP connections | admissions+releases/s | p50 / p99 ms | index steps/s | errors "
                + "| DELETEs first 404 | coordinator CPU (cores) | coordinator CPU per decision | driver CPU | load1 |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (HttpFigures x : http) {
            Figures h = x.figures();
            System.out.printf("| %d | %.0f | %s / %s | %.0f | %d | %d | %.2f | %.0f us | %.2f | %s |%n", h.window(),
                    h.decisionsPerSecond(), Latency.ms(h.latency(), 50), Latency.ms(h.latency(), 99),
                    h.entriesPerSecond(), h.errors(), x.staleDeletes(), x.coordinatorCores(),
                    x.coordinatorMicrosPerDecision(), x.driverCores(), h.load());
        }
        System.exit(0);
    }

    // ---- coordinator, in-process ----------------------------------------------------------------

    /** Mean encoded size of the commands the driver sends (EntryCodec form, as they sit in a Batch). */
    static double averageCommandBytes() {
        long total = 0;
        int n = 0;
        for (int s = 0; s < 1_000; s++) {
            for (Command c : List.of(admit(1024, s, 123_456), release(1024, s, 123_456))) {
                BinaryWriter out = new BinaryWriter(64);
                EntryCodec.encodeCommand(c, out);
                total += out.size();
                n++;
            }
        }
        return (double) total / n;
    }

    static String id(int window, int slot, long gen) {
        return "w" + window + "-s" + slot + "-g" + gen;
    }

    static Admit admit(int window, int slot, long gen) {
        long h = Workload.mix(slot * 1_000_003L + gen);
        return new Admit(id(window, slot, gen), "owner-" + (h % 100), null, (16 + h % 497) * Workload.MIB,
                Replicas.of(1), false, 0);
    }

    static Release release(int window, int slot, long gen) {
        return new Release(id(window, slot, gen));
    }

    /** Shared between the callers of one phase. */
    private static final class Phase {
        final long measureStart;
        final long measureEnd;
        final Latency latency = new Latency();
        final AtomicLong decisions = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong ops = new AtomicLong();
        /** HTTP: DELETEs answered 404 at first because the follower had not applied the caller's own admission. */
        final AtomicLong staleDeletes = new AtomicLong();
        final CountDownLatch done;

        Phase(double warmup, double seconds, int callers) {
            measureStart = System.nanoTime() + (long) (warmup * 1e9);
            measureEnd = measureStart + (long) (seconds * 1e9);
            done = new CountDownLatch(callers);
        }

        boolean inWindow(long startNanos, long endNanos) {
            return startNanos >= measureStart && endNanos <= measureEnd;
        }

        boolean goOn() {
            return System.nanoTime() < measureEnd && ops.incrementAndGet() < MAX_OPS_PER_PHASE;
        }
    }

    static Figures submitter(Replica leader, int window, double warmup, double seconds, double commandBytes)
            throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(2, daemon("bench-callers"));
        Phase phase = new Phase(warmup, seconds, window);
        for (int s = 0; s < window; s++) {
            int slot = s;
            callers.execute(() -> step(leader, phase, callers, window, slot, 0, true));
        }
        sleepUntil(phase.measureStart);
        long entries0 = leader.status().appliedIndex();
        sleepUntil(phase.measureEnd);
        long entries1 = leader.status().appliedIndex();
        String load = BenchCluster.load();
        if (!phase.done.await(60, TimeUnit.SECONDS)) {
            System.err.println("callers did not finish within 60 s");
        }
        callers.shutdownNow();
        // The ledger index is the Raft index. Ratis writes no metadata entries here (RaftSettings turns them off,
        // and NoopRatisCluster alike), so an index step is one entry: ours, or now and then a leader's no-op
        // or configuration entry; the raw phase prints steps against requests to show it.
        double entriesPerSecond = (entries1 - entries0) / seconds;
        double decisionsPerSecond = phase.decisions.get() / seconds;
        double bytesPerEntry = entriesPerSecond > 0
                ? (decisionsPerSecond / entriesPerSecond) * commandBytes + 16 : 0;
        return new Figures("coordinator submit", window, decisionsPerSecond, entriesPerSecond, phase.latency.take(),
                phase.errors.get(), bytesPerEntry, load);
    }

    /** One caller's next command; the next step is chained on the answer (on the callers pool). */
    private static void step(Replica leader, Phase phase, ExecutorService callers, int window, int slot, long gen,
                             boolean admitNext) {
        if (!phase.goOn()) {
            phase.done.countDown();
            return;
        }
        Command command = admitNext ? admit(window, slot, gen) : release(window, slot, gen);
        ResultKind expected = admitNext ? ResultKind.ADMITTED : ResultKind.RELEASED;
        long start = System.nanoTime();
        CompletableFuture<Result> answer;
        try {
            answer = leader.submit(command, SUBMIT_TIMEOUT_MILLIS);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // The next command goes out from the thread that completed this one, as the raw baseline's sender
        // is woken by its completion: one hand-off per round trip on both sides. An answer that is already
        // there (refused at once) continues on the pool instead, so a run of refusals cannot deepen the stack.
        BiConsumer<Result, Throwable> next = (result, error) -> {
            long end = System.nanoTime();
            boolean ok = error == null && result.kind() == expected;
            if (!ok) {
                if (phase.errors.incrementAndGet() <= 5) {
                    System.err.println("unexpected answer to " + command + ": " + (error != null ? error : result));
                }
            }
            if (phase.inWindow(start, end)) {
                phase.latency.recordNanos(end - start);
                if (ok) {
                    phase.decisions.incrementAndGet();
                }
            }
            step(leader, phase, callers, window, slot, admitNext ? gen : gen + 1, !admitNext);
        };
        if (answer.isDone()) {
            answer.whenCompleteAsync(next, callers);
        } else {
            answer.whenComplete(next);
        }
    }

    // ---- coordinator against raw Ratis, interleaved ----------------------------------------------

    /** Every round of one window, both systems, and the figures the table reports. */
    record WindowFigures(int window, List<Figures> coordinator, List<Figures> raw) {
        /** Median of the per-round ratios of Raft entries per second (coordinator over raw). */
        double medianEntryRatio() {
            return median(ratios(Figures::entriesPerSecond));
        }

        double medianDecisionRatio() {
            return median(ratios(Figures::decisionsPerSecond));
        }

        private List<Double> ratios(ToDoubleFunction<Figures> figure) {
            List<Double> out = new ArrayList<>();
            for (int r = 0; r < coordinator.size(); r++) {
                double base = figure.applyAsDouble(raw.get(r));
                out.add(base > 0 ? figure.applyAsDouble(coordinator.get(r)) / base : Double.NaN);
            }
            return out;
        }

        String row() {
            Figures c = medianBy(coordinator, Figures::decisionsPerSecond);
            Figures b = medianBy(raw, Figures::decisionsPerSecond);
            StringBuilder each = new StringBuilder();
            for (double ratio : ratios(Figures::entriesPerSecond)) {
                each.append(each.length() == 0 ? "" : ", ").append(String.format("%.2f", ratio));
            }
            return String.format("| %d | %.0f | %s / %s | %.0f | %.1f | %.0f | %.0f | %.0f | %s / %s | **%.2f** (%s) | %.1f "
                            + "| %s, %s |", window, c.decisionsPerSecond(), Latency.ms(c.latency(), 50),
                    Latency.ms(c.latency(), 99), c.entriesPerSecond(), c.decisionsPerEntry(), c.bytesPerEntry(),
                    b.decisionsPerSecond(), b.entriesPerSecond(), Latency.ms(b.latency(), 50), Latency.ms(b.latency(), 99),
                    medianEntryRatio(), each, medianDecisionRatio(), c.load(), b.load());
        }
    }

    /**
     * {@code rounds} rounds of a coordinator phase and a raw phase at {@code window}, alternating which goes
     * first (coordinator, raw; raw, coordinator; ...), so that drift in the machine's load or in the JIT
     * falls on both sides alike. The ratio is taken within each round; the table reports its median.
     * The raw entries have the coordinator's mean entry size at this window, measured in the first round.
     */
    static WindowFigures interleaved(Replica leader, NoopRatisCluster raw, int window, int rounds, double warmup,
                                     double seconds, double commandBytes) throws Exception {
        List<Figures> coordinator = new ArrayList<>();
        List<Figures> baseline = new ArrayList<>();
        int entryBytes = 0;
        for (int r = 0; r < rounds; r++) {
            boolean rawFirst = r % 2 == 1;
            if (rawFirst) {
                baseline.add(printed(raw(raw, window, entryBytes, warmup, seconds)));
            }
            Figures c = printed(submitter(leader, window, warmup, seconds, commandBytes));
            coordinator.add(c);
            if (r == 0) {
                entryBytes = (int) Math.round(c.bytesPerEntry());
            }
            if (!rawFirst) {
                baseline.add(printed(raw(raw, window, entryBytes, warmup, seconds)));
            }
        }
        return new WindowFigures(window, coordinator, baseline);
    }

    private static Figures printed(Figures f) {
        System.out.println(f.line());
        return f;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The figures whose {@code key} is the median (the lower middle one for an even count). */
    static Figures medianBy(List<Figures> figures, ToDoubleFunction<Figures> key) {
        List<Figures> sorted = new ArrayList<>(figures);
        sorted.sort(Comparator.comparingDouble(key));
        return sorted.get((sorted.size() - 1) / 2);
    }

    // ---- coordinator over HTTP ------------------------------------------------------------------

    /** An HTTP phase: the figures plus the coordinator CPU it cost (process CPU minus the driver's threads). */
    record HttpFigures(Figures figures, long staleDeletes, double coordinatorCores, double driverCores) {
        /** Coordinator CPU per answered request (one decision), in microseconds. */
        double coordinatorMicrosPerDecision() {
            return figures.decisionsPerSecond() > 0 ? coordinatorCores * 1e6 / figures.decisionsPerSecond() : 0;
        }

        String line() {
            return String.format("%s | coordinator CPU %.2f cores = %.0f us/decision, driver %.2f cores, "
                            + "DELETEs first answered 404: %d", figures.line(), coordinatorCores,
                    coordinatorMicrosPerDecision(), driverCores, staleDeletes);
        }
    }

    /**
     * {@code connections} keep-alive connections ({@link HttpLoadClient}, connection i to replica i mod 3),
     * each with one request outstanding: POST /v1/deployments, then DELETE it, then the next (with
     * {@code admitOnly}, POST after POST). With {@code http2Streams} > 0 they are HTTP/2 stream slots,
     * that many per TCP connection.
     */
    static HttpFigures overHttp(BenchCluster cluster, Replica leader, int connections, int phaseNumber, int clientThreads,
                                int http2Streams, boolean leaderOnly, boolean admitOnly, double warmup, double seconds)
            throws Exception {
        // Ids differ between phases: a phase ends with some deployments still admitted, and the same ids in
        // a later phase would be answered as repeats (200, not 201).
        String tag = connections + "p" + phaseNumber;
        Phase phase = new Phase(warmup, seconds, connections);
        try (HttpLoadClient client = new HttpLoadClient(clientThreads, http2Streams)) {
            int leaderIndex = java.util.Arrays.asList(cluster.replicas).indexOf(leader);
            int targets = leaderOnly ? 1 : cluster.replicas.length;
            List<List<HttpLoadClient.Connection>> byTarget = new ArrayList<>();
            for (int t = 0; t < targets; t++) {
                int count = connections / targets + (t < connections % targets ? 1 : 0);
                byTarget.add(client.connect(cluster.api(leaderOnly ? leaderIndex : t), count));
            }
            List<HttpLoadClient.Connection> open = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                open.add(byTarget.get(c % targets).get(c / targets));
            }
            for (int c = 0; c < connections; c++) {
                httpStep(open.get(c), phase, tag, c, 0, true, admitOnly, 0, 0);
            }
            sleepUntil(phase.measureStart);
            long entries0 = leader.status().appliedIndex();
            ReportIngestion.Cpu cpu0 = ReportIngestion.Cpu.now();
            sleepUntil(phase.measureEnd);
            long entries1 = leader.status().appliedIndex();
            ReportIngestion.Cpu cpu1 = ReportIngestion.Cpu.now();
            String load = BenchCluster.load();
            System.out.println("  CPU by thread group: " + cpu1.topGroups(cpu0, seconds, 14));
            if (!phase.done.await(60, TimeUnit.SECONDS)) {
                System.err.println("HTTP connections did not finish within 60 s");
            }
            Figures figures = new Figures("coordinator HTTP", connections, phase.decisions.get() / seconds,
                    (entries1 - entries0) / seconds, phase.latency.take(), phase.errors.get(), 0, load);
            return new HttpFigures(figures, phase.staleDeletes.get(), cpu1.coordinatorCores(cpu0, seconds),
                    cpu1.driverCores(cpu0, seconds));
        }
    }

    /**
     * One connection's next request, sent from its event loop when the previous answer arrives. A
     * DELETE answered 404 (the follower has not applied this connection's own admission yet) is
     * retried after 1 ms, at most 200 times, and counted once in {@code Phase.staleDeletes}.
     */
    private static void httpStep(HttpLoadClient.Connection connection, Phase phase, String tag, int slot,
                                 long gen, boolean admitNext, boolean admitOnly, int attempt, long startNanos) {
        if (attempt == 0 && !phase.goOn()) {
            phase.done.countDown();
            return;
        }
        String id = "h" + tag + "-c" + slot + "-g" + gen;
        long start = attempt == 0 ? System.nanoTime() : startNanos;
        HttpMethod method = admitNext ? HttpMethod.POST : HttpMethod.DELETE;
        String path = admitNext ? "/v1/deployments" : "/v1/deployments/" + id;
        byte[] body = admitNext ? ("{\"deploymentId\":\"" + id + "\",\"owner\":\"owner-" + (slot % 100)
                + "\",\"firmBytes\":" + ((16 + gen % 497) * Workload.MIB) + ",\"replicas\":1}")
                .getBytes(StandardCharsets.UTF_8) : null;
        int expected = admitNext ? 201 : 200;
        connection.send(method, path, body, SUBMIT_TIMEOUT_MILLIS, response -> {
            if (!admitNext && response.status() == 404 && attempt < 200) {
                if (attempt == 0) {
                    phase.staleDeletes.incrementAndGet();
                }
                connection.loop().schedule(() -> httpStep(connection, phase, tag, slot, gen, false, false,
                        attempt + 1, start), 1, TimeUnit.MILLISECONDS);
                return;
            }
            long end = System.nanoTime();
            if (!response.ok(expected)) {
                if (phase.errors.incrementAndGet() <= 5) {
                    System.err.println("HTTP " + response.status() + " for " + method + " " + path + ": "
                            + response.body());
                }
            } else if (phase.inWindow(start, end)) {
                phase.decisions.incrementAndGet();
            }
            if (phase.inWindow(start, end)) {
                phase.latency.recordNanos(end - start);
            }
            if (response.status() < 0) {
                phase.done.countDown(); // the connection is gone; the others go on
                return;
            }
            if (admitOnly) {
                httpStep(connection, phase, tag, slot, gen + 1, true, true, 0, 0);
            } else {
                httpStep(connection, phase, tag, slot, admitNext ? gen : gen + 1, !admitNext, false, 0, 0);
            }
        });
    }

    // ---- raw Ratis --------------------------------------------------------------------------------

    /**
     * The raw baseline at {@code window}: {@code window} async calls outstanding, spread over clients of at
     * most {@value #RAW_CLIENT_WINDOW} calls each, one sender thread per client. One Netty client with
     * about a thousand calls outstanding stalls in Ratis 3.3.0 (entries commit, no reply arrives within a
     * minute); the coordinator never does that, since it keeps two calls in flight per replica.
     */
    static Figures raw(NoopRatisCluster raw, int window, int entryBytes, double warmup, double seconds)
            throws Exception {
        byte[] payload = new byte[Math.max(1, entryBytes)];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        Message message = Message.valueOf(ByteString.copyFrom(payload));
        int perClient = Math.min(window, RAW_CLIENT_WINDOW);
        int clientCount = (window + perClient - 1) / perClient;
        List<RaftClient> clients = new ArrayList<>();
        List<Semaphore> permits = new ArrayList<>();
        try {
            for (int c = 0; c < clientCount; c++) {
                RaftClient client = raw.client(perClient);
                clients.add(client);
                client.io().send(message); // find the leader before the clock starts
                permits.add(new Semaphore(Math.min(perClient, window - c * perClient)));
            }
            // The phase's clock starts once every client is ready: connecting sixteen of them can take longer
            // than the warm-up, and would leave the measured interval behind before the senders start.
            Phase phase = new Phase(warmup, seconds, clientCount);
            for (int c = 0; c < clientCount; c++) {
                RaftClient client = clients.get(c);
                Semaphore callPermits = permits.get(c);
                Thread sender = new Thread(() -> rawSender(client, message, callPermits, phase), "bench-raw-sender-" + c);
                sender.setDaemon(true);
                sender.start();
            }
            sleepUntil(phase.measureStart);
            long entries0 = raw.highestAppliedEntries();
            sleepUntil(phase.measureEnd);
            long entries1 = raw.highestAppliedEntries();
            String load = BenchCluster.load();
            phase.done.await(60, TimeUnit.SECONDS);
            long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // one bound for all clients
            for (int c = 0; c < clientCount; c++) { // let outstanding calls finish before closing
                long left = Math.max(0, drainEnd - System.nanoTime());
                permits.get(c).tryAcquire(Math.min(perClient, window - c * perClient), left, TimeUnit.NANOSECONDS);
            }
            System.out.printf("raw Ratis window %d (%d clients): %d entries applied for %d requests answered%n", window,
                    clientCount, entries1 - entries0, phase.decisions.get());
            return new Figures("raw Ratis no-op", window, phase.decisions.get() / seconds,
                    (entries1 - entries0) / seconds, phase.latency.take(), phase.errors.get(), entryBytes, load);
        } finally {
            closeWithin(clients, 10);
        }
    }

    /** Closes the clients on a daemon thread, waiting at most {@code seconds}: a stalled client's close can hang. */
    private static void closeWithin(List<RaftClient> clients, long seconds) throws InterruptedException {
        Thread closer = new Thread(() -> {
            for (RaftClient client : clients) {
                try {
                    client.close();
                } catch (java.io.IOException | RuntimeException e) {
                    System.err.println("closing a raw Ratis client: " + e);
                }
            }
        }, "bench-raw-closer");
        closer.setDaemon(true);
        closer.start();
        closer.join(TimeUnit.SECONDS.toMillis(seconds));
        if (closer.isAlive()) {
            System.err.println("raw Ratis clients still closing after " + seconds + " s; left behind");
        }
    }

    private static void rawSender(RaftClient client, Message message, Semaphore permits, Phase phase) {
        try {
            while (phase.goOn()) {
                if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
                    phase.errors.incrementAndGet();
                    System.err.println("raw Ratis: no answer within 30 s");
                    break;
                }
                long start = System.nanoTime();
                client.async().send(message).whenComplete((reply, error) -> {
                    long end = System.nanoTime();
                    permits.release();
                    boolean ok = error == null && reply.isSuccess();
                    if (!ok) {
                        if (phase.errors.incrementAndGet() <= 5) {
                            System.err.println("raw Ratis call failed: " + (error != null ? error : reply.getException()));
                        }
                    } else if (phase.inWindow(start, end)) {
                        phase.decisions.incrementAndGet();
                        phase.latency.recordNanos(end - start);
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            phase.done.countDown();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000));
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static int[] ints(String csv) {
        if (csv.isBlank()) {
            return new int[0];
        }
        String[] parts = csv.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i].trim());
        }
        return out;
    }

    static boolean isEmpty(int[] a) {
        return a.length == 0;
    }
}
