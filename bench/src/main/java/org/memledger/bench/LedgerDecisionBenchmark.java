package org.memledger.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.management.OperatingSystemMXBean;

import org.memledger.coordinator.ledger.AppliedEntry;
import org.memledger.coordinator.ledger.Ledger;
import org.memledger.protocol.Batch;
import org.memledger.protocol.BatchResult;
import org.memledger.protocol.Command;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.Result;
import org.memledger.protocol.ResultKind;
import org.memledger.protocol.codec.EntryCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Admission decisions per second on a loaded cell: 10,000 nodes and 1,000,000 live deployments
 * ({@link Workload}), one thread, as the Raft apply loop runs the ledger.
 *
 * <p><b>What one operation is.</b> One decision = one applied Admit <em>or</em> one applied Release;
 * the churn alternates them (admit a new deployment, release the oldest), so an admit+release pair
 * counts as two decisions and the population stays at a million. Batched variants report per
 * command via {@link OperationsPerInvocation}. Each operation is the full public apply path:
 * decode, validate, decide, update the books, encode the result, chain the SHA-256 state hash.
 *
 * <p><b>Variants.</b> {@code single*}: one command per log entry; {@code batch1000*}: 1,000
 * commands per entry (group commit). {@code *PreEncoded}: entries are encoded to bytes in setup and
 * replayed, as a follower applies what Raft hands it; {@code *EncodeIncluded}: the measured op also
 * encodes the (prebuilt) entry, as {@link Ledger#apply(long, LogEntry)} does for the simulator and
 * as a leader pays once per entry. {@code allSwap}: one {@code replicas=ALL} release and re-admit
 * (2 decisions), measured alone because its release visits every node.
 *
 * <p><b>Honesty checks.</b> Every result is checked to be ADMITTED or RELEASED (a rejection would
 * make a decision look cheaper than it is) and the iteration fails otherwise; after the run the
 * books are audited from scratch and the population must still be a million.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class LedgerDecisionBenchmark {

    /**
     * The loaded ledger, the result checks and the per-iteration accounting every state shares.
     *
     * <p>Beside JMH's wall-clock score each measurement iteration records the apply thread's CPU
     * time and the collectors' pause time: on a shared 2-core machine, other processes steal wall
     * time, so decisions per CPU-second of the apply thread show what the ledger itself costs.
     */
    public abstract static class Loaded {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private static final OperatingSystemMXBean PROCESS =
                (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        Ledger ledger;
        LedgerFixture fixture;
        int position;
        long decisions;
        long unexpected;
        Result firstUnexpected;

        private boolean measuring;
        private long startDecisions;
        private long startCpuNanos;
        private long startWallNanos;
        private long startGcMillis;
        private long startProcessCpuNanos;
        private final Accounting measured = new Accounting();

        Workload build() {
            long started = System.nanoTime();
            Workload workload = new Workload();
            fixture = new LedgerFixture().withNodes().withPopulation(workload);
            ledger = fixture.ledger;
            System.out.printf("%n[setup] %d nodes, %d live deployments in %.1f s%n", Workload.NODES,
                    ledger.deploymentCount(), (System.nanoTime() - started) / 1e9);
            return workload;
        }

        final void check(Result result) {
            decisions++;
            ResultKind kind = result.kind();
            if (kind != ResultKind.ADMITTED && kind != ResultKind.RELEASED) {
                if (unexpected++ == 0) {
                    firstUnexpected = result;
                }
            }
        }

        final void checkBatch(Result result) {
            if (result.kind() != ResultKind.BATCH) {
                check(result);
                return;
            }
            for (Result each : ((BatchResult) result).results()) {
                check(each);
            }
        }

        @Setup(Level.Iteration)
        public void startIteration(IterationParams iteration) {
            measuring = iteration.getType() == IterationType.MEASUREMENT;
            startDecisions = decisions;
            startGcMillis = gcMillis();
            startWallNanos = System.nanoTime();
            startProcessCpuNanos = PROCESS.getProcessCpuTime();
            startCpuNanos = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void endIteration() {
            long cpuNanos = THREADS.getCurrentThreadCpuTime() - startCpuNanos;
            long wallNanos = System.nanoTime() - startWallNanos;
            long processCpuNanos = PROCESS.getProcessCpuTime() - startProcessCpuNanos;
            long gcMillis = gcMillis() - startGcMillis;
            long done = decisions - startDecisions;
            if (unexpected > 0) {
                throw new IllegalStateException(unexpected + " decisions were neither admitted nor released; first: "
                        + firstUnexpected);
            }
            System.out.printf("  [%s] %,d decisions: %,.0f per apply-thread CPU-s; apply thread on CPU %.0f %% of "
                    + "wall time, GC pauses %.0f %% of wall time, other JVM threads (GC, JIT) %.2f CPU-s per "
                    + "apply-thread CPU-s%n", measuring ? "measured" : "warmup", done, done / (cpuNanos / 1e9),
                    100.0 * cpuNanos / wallNanos, 100.0 * gcMillis * 1e6 / wallNanos,
                    (double) (processCpuNanos - cpuNanos) / cpuNanos);
            if (measuring) {
                measured.add(done, cpuNanos, wallNanos, gcMillis, processCpuNanos);
            }
        }

        @TearDown(Level.Trial)
        public void auditBooks(BenchmarkParams benchmark) throws IOException {
            ledger.verifyBooks();
            int live = ledger.deploymentCount();
            if (Math.abs(live - (Workload.LIVE + Workload.ALL_LIVE)) > 1) {
                throw new IllegalStateException("population drifted to " + live);
            }
            System.out.printf("%n[teardown] books audited, %d live deployments, %d entries applied%n", live,
                    ledger.appliedIndex());
            String out = System.getProperty("bench.cpu.out");
            if (out != null) {
                String name = benchmark.getBenchmark().substring(benchmark.getBenchmark().lastIndexOf('.') + 1);
                Files.writeString(Path.of(out), measured.csvLine(name), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }

        private static long gcMillis() {
            long millis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                millis += Math.max(0, gc.getCollectionTime());
            }
            return millis;
        }
    }

    /** Measurement-iteration totals of one benchmark, for the summary table. */
    static final class Accounting {
        long decisions;
        long cpuNanos;
        long wallNanos;
        long gcMillis;
        long processCpuNanos;

        void add(long moreDecisions, long moreCpuNanos, long moreWallNanos, long moreGcMillis,
                 long moreProcessCpuNanos) {
            decisions += moreDecisions;
            cpuNanos += moreCpuNanos;
            wallNanos += moreWallNanos;
            gcMillis += moreGcMillis;
            processCpuNanos += moreProcessCpuNanos;
        }

        String csvLine(String benchmark) {
            return benchmark + "," + decisions + "," + cpuNanos + "," + wallNanos + "," + gcMillis + ","
                    + processCpuNanos + "\n";
        }
    }

    @State(Scope.Thread)
    public static class SinglePreEncoded extends Loaded {
        byte[][] entries;

        @Setup(Level.Trial)
        public void setUp() {
            List<Command> commands = build().churnCommands();
            entries = new byte[commands.size()][];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = EntryCodec.encode(new LogEntry(Workload.CHURN_MILLIS, commands.get(i)));
            }
        }

        AppliedEntry next() {
            byte[] entry = entries[position];
            if (++position == entries.length) {
                position = 0;
            }
            AppliedEntry applied = ledger.apply(fixture.nextIndex(), entry);
            check(applied.result());
            return applied;
        }
    }

    @State(Scope.Thread)
    public static class SingleEncodeIncluded extends Loaded {
        LogEntry[] entries;

        @Setup(Level.Trial)
        public void setUp() {
            List<Command> commands = build().churnCommands();
            entries = new LogEntry[commands.size()];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = new LogEntry(Workload.CHURN_MILLIS, commands.get(i));
            }
        }

        AppliedEntry next() {
            LogEntry entry = entries[position];
            if (++position == entries.length) {
                position = 0;
            }
            AppliedEntry applied = ledger.apply(fixture.nextIndex(), entry);
            check(applied.result());
            return applied;
        }
    }

    @State(Scope.Thread)
    public static class BatchPreEncoded extends Loaded {
        byte[][] entries;

        @Setup(Level.Trial)
        public void setUp() {
            LogEntry[] batches = batches(build().churnCommands());
            entries = new byte[batches.length][];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = EntryCodec.encode(batches[i]);
            }
        }

        AppliedEntry next() {
            byte[] entry = entries[position];
            if (++position == entries.length) {
                position = 0;
            }
            AppliedEntry applied = ledger.apply(fixture.nextIndex(), entry);
            checkBatch(applied.result());
            return applied;
        }
    }

    @State(Scope.Thread)
    public static class BatchEncodeIncluded extends Loaded {
        LogEntry[] entries;

        @Setup(Level.Trial)
        public void setUp() {
            entries = batches(build().churnCommands());
        }

        AppliedEntry next() {
            LogEntry entry = entries[position];
            if (++position == entries.length) {
                position = 0;
            }
            AppliedEntry applied = ledger.apply(fixture.nextIndex(), entry);
            checkBatch(applied.result());
            return applied;
        }
    }

    /** Releases and re-admits the ALL deployments in turn: the population never changes. */
    @State(Scope.Thread)
    public static class AllSwap extends Loaded {
        byte[][] releases;
        byte[][] admits;

        @Setup(Level.Trial)
        public void setUp() {
            build();
            releases = new byte[Workload.ALL_LIVE][];
            admits = new byte[Workload.ALL_LIVE][];
            for (int j = 0; j < Workload.ALL_LIVE; j++) {
                releases[j] = EntryCodec.encode(new LogEntry(Workload.CHURN_MILLIS, Workload.releaseAll(j)));
                admits[j] = EntryCodec.encode(new LogEntry(Workload.CHURN_MILLIS, Workload.admitAll(j)));
            }
        }

        AppliedEntry next() {
            int j = position;
            position = (position + 1) % Workload.ALL_LIVE;
            check(ledger.apply(fixture.nextIndex(), releases[j]).result());
            AppliedEntry applied = ledger.apply(fixture.nextIndex(), admits[j]);
            check(applied.result());
            return applied;
        }
    }

    static LogEntry[] batches(List<Command> commands) {
        List<LogEntry> batches = new ArrayList<>(commands.size() / Workload.BATCH);
        for (int from = 0; from < commands.size(); from += Workload.BATCH) {
            Batch batch = new Batch(commands.subList(from, from + Workload.BATCH));
            batches.add(new LogEntry(Workload.CHURN_MILLIS, batch));
        }
        return batches.toArray(new LogEntry[0]);
    }

    @Benchmark
    public AppliedEntry singlePreEncoded(SinglePreEncoded state) {
        return state.next();
    }

    @Benchmark
    public AppliedEntry singleEncodeIncluded(SingleEncodeIncluded state) {
        return state.next();
    }

    @Benchmark
    @OperationsPerInvocation(Workload.BATCH)
    public AppliedEntry batch1000PreEncoded(BatchPreEncoded state) {
        return state.next();
    }

    @Benchmark
    @OperationsPerInvocation(Workload.BATCH)
    public AppliedEntry batch1000EncodeIncluded(BatchEncodeIncluded state) {
        return state.next();
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public AppliedEntry allSwap(AllSwap state) {
        return state.next();
    }
}
