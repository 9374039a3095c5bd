package org.memledger.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import javax.management.JMException;
import javax.management.ObjectName;

import org.memledger.coordinator.ledger.Ledger;

/**
 * Retained heap per live deployment: builds the 10,000-node ledger, measures used heap after full
 * collections, admits the {@link Workload} population (1,000,000 deployments plus the few ALL
 * ones) through 1,000-command entries, measures again and divides the difference by the number of
 * live deployments. The commands and encoded entries are garbage once applied, so what stays is
 * what the ledger keeps: records, id strings, map entries, placements and the nodes' hosted lists.
 *
 * <p>"Used heap after a full GC" comes from the platform {@link MemoryMXBean}; a collection is
 * requested until the figure settles (two readings within 0.1 %) and the collectors' counts show at
 * least one collection ran. Run it with a fixed heap, e.g. {@code -Xms4g -Xmx4g -XX:+UseG1GC}
 * (compressed oops, as production heaps under 32 GiB have).
 *
 * <p>Arguments: {@code --out FILE} writes the figures as properties for the summary;
 * {@code --histogram N} prints the top N classes of a live-object histogram after admission.
 */
public final class HeapPerDeployment {
    static final long TARGET_BYTES = 300;

    private HeapPerDeployment() {
    }

    public static void main(String[] args) throws Exception {
        Path out = null;
        int histogramRows = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--histogram" -> histogramRows = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --out FILE, --histogram N)");
            }
        }
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", flags " + ManagementFactory.getRuntimeMXBean().getInputArguments()
                + ", max heap " + Runtime.getRuntime().maxMemory() / Workload.MIB + " MiB");

        Workload workload = new Workload();
        LedgerFixture fixture = new LedgerFixture().withNodes();
        long before = settledUsedHeap();

        long started = System.nanoTime();
        fixture.withPopulation(workload);
        double admitSeconds = (System.nanoTime() - started) / 1e9;
        long after = settledUsedHeap();
        // The workload (its id strings) is in both readings, so it cancels out; the ledger keeps its own
        // strings, decoded from the entries.
        Reference.reachabilityFence(workload);

        Ledger ledger = fixture.ledger;
        int live = ledger.deploymentCount();
        double perDeployment = (double) (after - before) / live;
        System.out.printf("nodes: %d, live deployments: %d (admitted in %.1f s)%n", Workload.NODES, live,
                admitSeconds);
        System.out.printf("used heap after full GC: before %,d B, after %,d B, difference %,d B%n", before, after,
                after - before);
        System.out.printf("retained heap per live deployment: %.1f bytes (target <= %d): %s%n", perDeployment,
                TARGET_BYTES, perDeployment <= TARGET_BYTES ? "MET" : "NOT MET");
        if (histogramRows > 0) {
            printHistogram(histogramRows);
        }
        if (out != null) {
            write(out, before, after, live, perDeployment);
        }
        ledger.verifyBooks(); // keeps the ledger reachable until after the last reading
    }

    /** Used heap after full collections, once two consecutive readings agree within 0.1 %. */
    static long settledUsedHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long collectionsBefore = collections();
        long previous = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 20; attempt++) {
            System.gc();
            Thread.sleep(100);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - previous) <= previous / 1000 && collections() > collectionsBefore) {
                return used;
            }
            previous = used;
        }
        System.out.println("warning: used heap did not settle after 20 collections; using the last reading");
        return previous;
    }

    private static long collections() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    /** The top rows of {@code jcmd GC.class_histogram}, taken in-process (it forces a full GC itself). */
    private static void printHistogram(int rows) throws JMException {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        String[] lines = histogram.split("\n");
        System.out.println("live-object histogram after admission (top " + rows + "):");
        for (int i = 0; i < Math.min(lines.length, rows + 2); i++) {
            System.out.println(lines[i]);
        }
        System.out.println(lines[lines.length - 1]);
    }

    private static void write(Path out, long before, long after, int live, double perDeployment) {
        Properties figures = new Properties();
        figures.setProperty("heap.before.bytes", Long.toString(before));
        figures.setProperty("heap.after.bytes", Long.toString(after));
        figures.setProperty("deployments", Integer.toString(live));
        figures.setProperty("bytes.per.deployment", String.format("%.1f", perDeployment));
        figures.setProperty("target.bytes.per.deployment", Long.toString(TARGET_BYTES));
        figures.setProperty("jvm.flags", ManagementFactory.getRuntimeMXBean().getInputArguments().toString());
        try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            figures.store(writer, "HeapPerDeployment");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
