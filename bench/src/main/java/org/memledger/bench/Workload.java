package org.memledger.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.memledger.protocol.Admit;
import org.memledger.protocol.Command;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.Release;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.ReportNode;

/**
 * The cluster and the deployment churn every ledger benchmark uses: a pure function of indexes, no
 * randomness, so every run (and the heap measurement) sees the same commands.
 *
 * <p><b>Cluster.</b> {@link #NODES} nodes in {@link #ZONES} zones, declaring 64 to 512 GiB each
 * (about 2.8 PiB in all), every node reporting all its memory available.
 *
 * <p><b>Population.</b> Deployments live in a ring of {@link #RING} slots; the live set is a window
 * of {@link #LIVE} consecutive slots. Slot {@code s} always has the same spec: a firm limit of 16 to
 * 512 MiB and 85 % {@code replicas=1}, 5 % {@code replicas=3}, 10 % {@code replicas=3} with zone
 * spread (about 12 % of the cluster reserved). {@link #ALL_LIVE} small {@code replicas=ALL}
 * deployments live beside the ring.
 *
 * <p><b>Churn.</b> Ring step {@code i} admits slot {@code (i + LIVE) mod RING} and releases slot
 * {@code i}: each release hits the oldest live deployment (cold in cache, as in a real cell), and
 * the population stays at {@code LIVE}. Every {@link #ALL_EVERY} steps one ALL deployment is released
 * and admitted again (a rolling restart of a replicated deployment; admitting a new ALL deployment
 * into a best-fit-packed cluster would be rejected, since the fullest node has no room). The stream
 * is periodic with exactly {@link #PERIOD_COMMANDS} commands, a multiple of 1,000, so pre-encoded
 * single-command entries and 1,000-command batches can both be replayed in a loop forever.
 */
final class Workload {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    static final int NODES = 10_000;
    static final int ZONES = 8;
    static final int LIVE = 1_000_000;
    static final int RING = 1_020_000;
    static final int ALL_LIVE = 4;
    static final int ALL_EVERY = 2_040;
    static final int BATCH = 1_000;
    static final int PERIOD_COMMANDS = 2 * RING + 2 * (RING / ALL_EVERY);

    /** Ledger time of the setup entries; reports follow 1 ms apart, churn runs at {@link #CHURN_MILLIS}. */
    static final long START_MILLIS = 1_000_000;
    /** Within the heartbeat timeout of every report, so no node goes DOWN however long a benchmark runs. */
    static final long CHURN_MILLIS = START_MILLIS + NODES;

    private static final long[] NODE_GIB = {64, 96, 128, 192, 256, 384, 512};
    private static final int OWNERS = 100;

    static {
        if (RING % ALL_EVERY != 0 || PERIOD_COMMANDS % BATCH != 0 || LIVE >= RING) {
            throw new IllegalStateException("workload constants do not make a periodic stream");
        }
    }

    private final String[] slotIds = new String[RING];
    private final String[] owners = new String[OWNERS];

    Workload() {
        for (int s = 0; s < RING; s++) {
            slotIds[s] = String.format("dep-%07d", s);
        }
        for (int o = 0; o < OWNERS; o++) {
            owners[o] = String.format("owner-%02d", o);
        }
    }

    // ---- cluster ------------------------------------------------------------------------------

    static String nodeId(int n) {
        return String.format("node-%05d", n);
    }

    static String zone(int n) {
        return "zone-" + (mix(n ^ 0x5A5A5A5AL) % ZONES);
    }

    static long nodeDeclaredBytes(int n) {
        return NODE_GIB[(int) (mix(n) % NODE_GIB.length)] * GIB;
    }

    static RegisterNode register(int n) {
        return RegisterNode.of(nodeId(n), "op-" + (n % 50), zone(n), nodeDeclaredBytes(n));
    }

    /** First report: physical leaves exactly the 4 GiB system reserve, so capacity = declared. */
    static ReportNode report(int n) {
        long declared = nodeDeclaredBytes(n);
        long physical = declared + 4 * GIB;
        return new ReportNode(nodeId(n), 1, declared, physical, physical, new TreeMap<>());
    }

    // ---- deployments --------------------------------------------------------------------------

    Admit admit(int slot) {
        long h = mix(slot);
        long firm = (16 + h % 497) * MIB;
        int shape = (int) ((h >>> 20) % 100);
        Replicas replicas = shape < 85 ? Replicas.of(1) : Replicas.of(3);
        boolean spread = shape >= 90;
        return new Admit(slotIds[slot], owners[(int) ((h >>> 40) % OWNERS)], null, firm, replicas, spread, 0);
    }

    Release release(int slot) {
        return new Release(slotIds[slot]);
    }

    static String allId(int j) {
        return "all-" + j;
    }

    static Admit admitAll(int j) {
        return Admit.of(allId(j), "owner-all", (16 + 16L * j) * MIB, Replicas.ALL);
    }

    static Release releaseAll(int j) {
        return new Release(allId(j));
    }

    /** The commands that build the initial population: the ALL deployments, then ring slots 0..LIVE-1. */
    void forEachInitialAdmit(Consumer<Command> sink) {
        for (int j = 0; j < ALL_LIVE; j++) {
            sink.accept(admitAll(j));
        }
        for (int s = 0; s < LIVE; s++) {
            sink.accept(admit(s));
        }
    }

    /** One period of churn, in order; it leaves the live set as it found it. */
    void forEachChurnCommand(Consumer<Command> sink) {
        for (int i = 0; i < RING; i++) {
            if (i % ALL_EVERY == 0) {
                int j = (i / ALL_EVERY) % ALL_LIVE;
                sink.accept(releaseAll(j));
                sink.accept(admitAll(j));
            }
            sink.accept(admit((i + LIVE) % RING));
            sink.accept(release(i));
        }
    }

    /** One period of churn as a list (about 2 million commands sharing this workload's id strings). */
    List<Command> churnCommands() {
        List<Command> commands = new ArrayList<>(PERIOD_COMMANDS);
        forEachChurnCommand(commands::add);
        if (commands.size() != PERIOD_COMMANDS) {
            throw new IllegalStateException("churn period has " + commands.size() + " commands");
        }
        return commands;
    }

    /** SplitMix64 finaliser: a well-spread, non-negative hash of an index. */
    static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) >>> 1;
    }
}
