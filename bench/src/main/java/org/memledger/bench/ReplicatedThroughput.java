package org.memledger.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
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
 *     {@code threads} client threads (java.net.http, HTTP/1.1 keep-alive, thread i talks to replica
 *     i mod 3) each POST /v1/deployments then DELETE it, one request at a time.</li>
 * <li><b>Raw Ratis baseline.</b> The same three-server Netty group with a no-op state machine
 *     ({@link NoopRatisCluster}); one client with {@code window} async calls outstanding, each entry
 *     as many bytes as the coordinator's average entry at that window.</li>
 * </ol>
 *
 * <pre>java -Xmx3g -cp bench/target/benchmarks.jar org.memledger.bench.ReplicatedThroughput [--warmup 5] [--seconds 15]
 *     [--windows 1,64,1024] [--http-threads 16,64,256]</pre>
 */
public final class ReplicatedThroughput {
    private static final long MAX_OPS_PER_PHASE = 20_000_000;
    private static final long SUBMIT_TIMEOUT_MILLIS = 30_000;
    /** DELETEs answered 404 at first because the follower had not applied the caller's own admission. */
    static final AtomicLong STALE_DELETES = new AtomicLong();

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
        double warmup = 5;
        double seconds = 15;
        int[] windows = {1, 64, 1024};
        int[] httpThreads = {16, 64, 256};
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
                case "--http-threads" -> httpThreads = ints(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf("cores=%d maxHeap=%dMiB transport=%s submitter=%s load1=%s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, transport,
                submitterConfig, BenchCluster.load());
        RaftTransport chosenTransport = transport;
        SubmitterConfig chosenSubmitter = submitterConfig;
        double commandBytes = averageCommandBytes();
        List<Figures> coordinator = new ArrayList<>();
        List<Figures> http = new ArrayList<>();
        try (BenchCluster cluster = BenchCluster.start("coord-bench", 3, !isEmpty(httpThreads),
                b -> b.transport(chosenTransport).submitter(chosenSubmitter))) {
            Replica leader = cluster.awaitLeader(Duration.ofSeconds(60));
            BenchCluster.longHeartbeat(leader);
            BenchCluster.registerAndReport(leader, Workload.NODES);
            System.out.printf("setup: %d nodes registered and reported, leader %s, load1=%s%n",
                    Workload.NODES, leader.id(), BenchCluster.load());
            for (int w : windows) {
                Figures f = submitter(leader, w, warmup, seconds, commandBytes);
                System.out.println(f.line());
                coordinator.add(f);
            }
            for (int t : httpThreads) {
                Figures f = overHttp(cluster, leader, t, warmup, seconds);
                System.out.println(f.line());
                http.add(f);
            }
        }
        List<Figures> baseline = new ArrayList<>();
        try (NoopRatisCluster raw = new NoopRatisCluster(3, transport)) {
            for (Figures c : coordinator) {
                Figures f = raw(raw, c.window(), (int) Math.round(c.bytesPerEntry()), warmup, seconds);
                System.out.println(f.line());
                baseline.add(f);
            }
        }
        System.out.println();
        System.out.println("| window | coordinator decisions/s | p50 / p99 ms | Raft index steps/s | decisions per SM entry (≈ 2 × per step) | bytes/entry "
                + "| raw Ratis requests/s | Raft index steps/s | p50 / p99 ms | ratio per entry (index steps) | ratio per decision | load1 |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (int i = 0; i < coordinator.size(); i++) {
            Figures c = coordinator.get(i);
            Figures b = baseline.get(i);
            System.out.printf("| %d | %.0f | %s / %s | %.0f | %.1f | %.0f | %.0f | %.0f | %s / %s | %.2f | %.1f | %s, %s |%n",
                    c.window(), c.decisionsPerSecond(), Latency.ms(c.latency(), 50), Latency.ms(c.latency(), 99),
                    c.entriesPerSecond(), 2 * c.decisionsPerEntry(), c.bytesPerEntry(), b.decisionsPerSecond(),
                    b.entriesPerSecond(),
                    Latency.ms(b.latency(), 50), Latency.ms(b.latency(), 99),
                    c.entriesPerSecond() / b.entriesPerSecond(), c.decisionsPerSecond() / b.decisionsPerSecond(),
                    c.load(), b.load());
        }
        System.out.println();
        System.out.println("| HTTP client threads | admissions+releases/s | p50 / p99 ms | errors | load1 |");
        System.out.println("|---:|---:|---:|---:|---|");
        for (Figures h : http) {
            System.out.printf("| %d | %.0f | %s / %s | %d | %s |%n", h.window(), h.decisionsPerSecond(),
                    Latency.ms(h.latency(), 50), Latency.ms(h.latency(), 99), h.errors(), h.load());
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
        // The ledger index is the Raft index, which also counts Ratis' own metadata entries (one per commit,
        // so about one per state-machine entry: the raw baseline shows 2.0 index steps per request). The
        // ratios compare index steps with index steps; bytes per entry assume 2 steps per entry.
        double entriesPerSecond = (entries1 - entries0) / seconds;
        double decisionsPerSecond = phase.decisions.get() / seconds;
        double bytesPerEntry = entriesPerSecond > 0
                ? (decisionsPerSecond / (entriesPerSecond / 2)) * commandBytes + 16 : 0;
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
        answer.whenCompleteAsync((result, error) -> {
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
        }, callers);
    }

    // ---- coordinator over HTTP ------------------------------------------------------------------

    static Figures overHttp(BenchCluster cluster, Replica leader, int threads, double warmup, double seconds)
            throws Exception {
        ExecutorService clientPool = Executors.newFixedThreadPool(4, daemon("bench-http-client"));
        STALE_DELETES.set(0);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientPool)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Phase phase = new Phase(warmup, seconds, threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            URI base = cluster.api(t % cluster.replicas.length);
            Thread worker = new Thread(() -> httpLoop(client, base, phase, thread), "bench-http-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        sleepUntil(phase.measureStart);
        long entries0 = leader.status().appliedIndex();
        sleepUntil(phase.measureEnd);
        long entries1 = leader.status().appliedIndex();
        String load = BenchCluster.load();
        if (!phase.done.await(60, TimeUnit.SECONDS)) {
            System.err.println("HTTP workers did not finish within 60 s");
        }
        clientPool.shutdownNow();
        System.out.printf("HTTP %d threads: %d DELETEs first answered 404 (follower behind its own client's admission)%n",
                threads, STALE_DELETES.get());
        return new Figures("coordinator HTTP", threads, phase.decisions.get() / seconds, (entries1 - entries0) / seconds,
                phase.latency.take(), phase.errors.get(), 0, load);
    }

    private static void httpLoop(HttpClient client, URI base, Phase phase, int thread) {
        long gen = 0;
        boolean admitNext = true;
        try {
            while (phase.goOn()) {
                String id = "h" + thread + "-g" + gen;
                HttpRequest request;
                int expected;
                if (admitNext) {
                    String body = "{\"deploymentId\":\"" + id + "\",\"owner\":\"owner-" + (thread % 100)
                            + "\",\"firmBytes\":" + ((16 + gen % 497) * Workload.MIB) + ",\"replicas\":1}";
                    request = HttpRequest.newBuilder(base.resolve("/v1/deployments"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                            .timeout(Duration.ofSeconds(30)).build();
                    expected = 201;
                } else {
                    request = HttpRequest.newBuilder(base.resolve("/v1/deployments/" + id)).DELETE()
                            .timeout(Duration.ofSeconds(30)).build();
                    expected = 200;
                    gen++;
                }
                long start = System.nanoTime();
                int status;
                String answer;
                int attempt = 0;
                while (true) {
                    try {
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        status = response.statusCode();
                        answer = response.body();
                    } catch (java.io.IOException e) {
                        status = -1;
                        answer = e.toString();
                    }
                    // DELETE checks the deployment with a local read first: on a follower that has not yet
                    // applied our own admission it answers 404. Count it and retry (bounded).
                    if (admitNext || status != 404 || ++attempt > 200) {
                        break;
                    }
                    if (attempt == 1) {
                        STALE_DELETES.incrementAndGet();
                    }
                    Thread.sleep(1);
                }
                long end = System.nanoTime();
                if (status != expected) {
                    if (phase.errors.incrementAndGet() <= 5) {
                        System.err.println("HTTP " + status + " for " + request.method() + " " + request.uri() + ": "
                                + answer);
                    }
                } else if (phase.inWindow(start, end)) {
                    phase.decisions.incrementAndGet();
                }
                if (phase.inWindow(start, end)) {
                    phase.latency.recordNanos(end - start);
                }
                admitNext = !admitNext;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            phase.done.countDown();
        }
    }

    // ---- raw Ratis --------------------------------------------------------------------------------

    static Figures raw(NoopRatisCluster raw, int window, int entryBytes, double warmup, double seconds)
            throws Exception {
        byte[] payload = new byte[Math.max(1, entryBytes)];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        Message message = Message.valueOf(ByteString.copyFrom(payload));
        Phase phase = new Phase(warmup, seconds, 1);
        Semaphore permits = new Semaphore(window);
        try (RaftClient client = raw.client(window)) {
            client.io().send(message); // find the leader before the clock starts
            Thread sender = new Thread(() -> {
                try {
                    while (phase.goOn()) {
                        if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
                            phase.errors.incrementAndGet();
                            break;
                        }
                        long start = System.nanoTime();
                        client.async().send(message).whenComplete((reply, error) -> {
                            long end = System.nanoTime();
                            permits.release();
                            boolean ok = error == null && reply.isSuccess();
                            if (!ok) {
                                phase.errors.incrementAndGet();
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
            }, "bench-raw-sender");
            sender.setDaemon(true);
            sender.start();
            sleepUntil(phase.measureStart);
            long entries0 = raw.leaderAppliedIndex();
            sleepUntil(phase.measureEnd);
            long entries1 = raw.leaderAppliedIndex();
            String load = BenchCluster.load();
            phase.done.await(60, TimeUnit.SECONDS);
            permits.tryAcquire(window, 60, TimeUnit.SECONDS); // let outstanding calls finish before closing
            // One request = one state-machine entry; the Raft index also counts Ratis' own metadata entries.
            System.out.printf("raw Ratis window %d: Raft index advanced %d for %d requests%n", window,
                    entries1 - entries0, phase.decisions.get());
            return new Figures("raw Ratis no-op", window, phase.decisions.get() / seconds,
                    (entries1 - entries0) / seconds, phase.latency.take(), phase.errors.get(), entryBytes, load);
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
