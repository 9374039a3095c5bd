package org.memledger.bench;

import java.io.File;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.util.MD5FileUtil;
import org.memledger.coordinator.ledger.Ledger;

/**
 * Issue 3, the restart's own work without Raft: builds {@link Workload}'s ledger (10,000 nodes,
 * 1,000,004 live deployments) in-process, then repeats snapshot, write, MD5, read, verify and restore
 * and prints each step's time, so the restart's figure can be split without the noise of three
 * replicas, elections and the log. The restored state hash must equal the original's.
 *
 * <pre>java -Xmx4g -XX:+UseG1GC -cp bench/target/benchmarks.jar org.memledger.bench.SnapshotRoundTrip [--rounds 3]</pre>
 */
public final class SnapshotRoundTrip {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SnapshotRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf("cores=%d maxHeap=%dMiB load1=%s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, BenchCluster.load());
        long t0 = System.nanoTime();
        Ledger ledger = new LedgerFixture().withNodes().withPopulation(new Workload()).ledger;
        System.out.printf("built %d deployments in %.1f s, load1=%s%n", ledger.deploymentCount(),
                (System.nanoTime() - t0) / 1e9, BenchCluster.load());
        Path dir = Files.createTempDirectory("snapshot-round-trip");
        File file = dir.resolve("snapshot.1_1").toFile();
        try {
            for (int round = 1; round <= rounds; round++) {
                System.gc();
                long a = System.nanoTime();
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                long gc0 = gcMillis();
                byte[] bytes = ledger.snapshot();
                long b = System.nanoTime();
                Files.write(file.toPath(), bytes);
                long c = System.nanoTime();
                MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
                long d = System.nanoTime();
                MD5FileUtil.verifySavedMD5(file, md5);
                long e = System.nanoTime();
                byte[] read = Files.readAllBytes(file.toPath());
                long f = System.nanoTime();
                long cpu1 = THREADS.getCurrentThreadCpuTime();
                long gc1 = gcMillis();
                Ledger restored = Ledger.restore(read);
                long g = System.nanoTime();
                long cpu2 = THREADS.getCurrentThreadCpuTime();
                long gc2 = gcMillis();
                restored.verifyBooks();
                long h = System.nanoTime();
                boolean same = Arrays.equals(restored.stateHash(), ledger.stateHash())
                        && restored.deploymentCount() == ledger.deploymentCount();
                System.out.printf("round %d: %d bytes; encode %.2f s, write %.2f s, md5 %.2f s | verify md5 %.2f s, "
                                + "read %.2f s, restore %.2f s (restore path %.2f s); "
                                + "a second full audit (verifyBooks) %.2f s; %s; load1=%s%n"
                                + "         CPU of this thread: snapshot side %.2f s, restore %.2f s; GC pauses: snapshot side %.2f s, restore %.2f s%n",
                        round, bytes.length, s(b - a), s(c - b), s(d - c), s(e - d), s(f - e), s(g - f), s(g - d), s(h - g),
                        same ? "same hash" : "DIFFERENT", BenchCluster.load(),
                        s(cpu1 - cpu0), s(cpu2 - cpu1), (gc1 - gc0) / 1e3, (gc2 - gc1) / 1e3);
                restored = null;
            }
        } finally {
            Files.deleteIfExists(file.toPath());
            Files.deleteIfExists(MD5FileUtil.getDigestFileForFile(file).toPath());
            Files.deleteIfExists(dir);
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static double s(long nanos) {
        return nanos / 1e9;
    }
}
