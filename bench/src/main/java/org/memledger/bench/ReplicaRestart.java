package org.memledger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.memledger.coordinator.raft.CommonPoolParallelism;
import org.memledger.coordinator.raft.Replica;
import org.memledger.coordinator.raft.ReplicaStatus;
import org.memledger.protocol.Batch;
import org.memledger.protocol.BatchResult;
import org.memledger.protocol.Command;
import org.memledger.protocol.Result;
import org.memledger.protocol.ResultKind;

/**
 * Issue 3, restart: a coordinator cluster (3 replicas by default) holding {@link Workload}'s
 * 10,000 nodes and 1,000,004 live deployments (admitted through {@link Replica#submit} in
 * 1,000-command batches), a snapshot taken on one follower ({@link Replica#takeSnapshot}), that
 * follower closed and started again on its data dir. Reports the snapshot's size and the time from
 * {@code Replica.start} until its status shows the applied index it had before (and the same state
 * hash).
 *
 * <pre>java -Xmx4g -XX:+UseG1GC -cp bench/target/benchmarks.jar org.memledger.bench.ReplicaRestart [--replicas 3] [--restarts 3]</pre>
 */
public final class ReplicaRestart {
    private ReplicaRestart() {
    }

    public static void main(String[] args) throws Exception {
        CommonPoolParallelism.ensureAtLeastTwo();
        int size = 3;
        int restarts = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--replicas" -> size = Integer.parseInt(args[++i]);
                case "--restarts" -> restarts = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf("cores=%d maxHeap=%dMiB replicas=%d load1=%s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, size, BenchCluster.load());
        try (BenchCluster cluster = BenchCluster.start("restart-bench", size, false)) {
            Replica leader = cluster.awaitLeader(Duration.ofSeconds(60));
            BenchCluster.longHeartbeat(leader);
            BenchCluster.registerAndReport(leader, Workload.NODES);
            long t0 = System.nanoTime();
            admitPopulation(leader);
            System.out.printf("admitted %d deployments in %.1f s, load1=%s%n", Workload.LIVE + Workload.ALL_LIVE,
                    (System.nanoTime() - t0) / 1e9, BenchCluster.load());
            int victim = 0;
            for (int i = 0; i < size; i++) {
                if (!cluster.replicas[i].isLeader()) {
                    victim = i;
                    break;
                }
            }
            awaitIndex(cluster.replicas[victim], leader.status().appliedIndex(), 120);
            for (int round = 1; round <= restarts; round++) {
                Replica replica = cluster.replicas[victim];
                long s0 = System.nanoTime();
                long snapshotIndex = replica.takeSnapshot(300_000);
                double snapshotSeconds = (System.nanoTime() - s0) / 1e9;
                Path snapshot = newestSnapshot(cluster.root.resolve("n" + (victim + 1)));
                ReplicaStatus before = replica.status();
                long c0 = System.nanoTime();
                replica.close();
                double closeSeconds = (System.nanoTime() - c0) / 1e9;
                System.gc();
                long r0 = System.nanoTime();
                Replica restarted = cluster.startReplica(victim);
                double startReturned = (System.nanoTime() - r0) / 1e9;
                ReplicaStatus after = awaitIndex(restarted, before.appliedIndex(), 120);
                double back = (System.nanoTime() - r0) / 1e9;
                System.out.printf("restart %d of %s: snapshot at raft index %d took %.2f s, file %s = %d bytes; "
                                + "close %.2f s; Replica.start returned after %.2f s; applied index %d back after %.2f s; "
                                + "state hash %s; load1=%s%n",
                        round, replica.id(), snapshotIndex, snapshotSeconds, snapshot.getFileName(),
                        Files.size(snapshot), closeSeconds, startReturned, before.appliedIndex(), back,
                        after.stateHash().equals(before.stateHash()) || after.appliedIndex() > before.appliedIndex()
                                ? "ok" : "DIFFERENT", BenchCluster.load());
            }
        }
        System.exit(0);
    }

    /** The initial population in 1,000-command batches, up to 4 batches outstanding. */
    static void admitPopulation(Replica leader) throws Exception {
        List<Command> all = new ArrayList<>(Workload.LIVE + Workload.ALL_LIVE);
        new Workload().forEachInitialAdmit(all::add);
        ArrayDeque<CompletableFuture<Result>> outstanding = new ArrayDeque<>();
        for (int from = 0; from < all.size(); from += 1_000) {
            List<Command> batch = all.subList(from, Math.min(all.size(), from + 1_000));
            outstanding.add(leader.submit(new Batch(batch), 120_000));
            if (outstanding.size() >= 4) {
                check(outstanding.poll());
            }
        }
        while (!outstanding.isEmpty()) {
            check(outstanding.poll());
        }
    }

    private static void check(CompletableFuture<Result> future) throws Exception {
        Result result = future.get(180, TimeUnit.SECONDS);
        if (result.kind() != ResultKind.BATCH) {
            throw new IllegalStateException("batch answered " + result);
        }
        for (Result r : ((BatchResult) result).results()) {
            if (r.kind() != ResultKind.ADMITTED) {
                throw new IllegalStateException("expected ADMITTED, got " + r);
            }
        }
    }

    static ReplicaStatus awaitIndex(Replica replica, long index, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            ReplicaStatus status = replica.status();
            if (status.appliedIndex() >= index) {
                return status;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(replica.id() + " did not reach applied index " + index + " within " + seconds + " s");
    }

    static Path newestSnapshot(Path dataDir) throws Exception {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("snapshot.")
                            && !p.getFileName().toString().endsWith(".md5"))
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified()))
                    .orElseThrow(() -> new IllegalStateException("no snapshot file under " + dataDir));
        }
    }
}
