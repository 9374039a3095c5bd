package org.memledger.coordinator.raft;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.memledger.protocol.Admitted;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.Result;

/**
 * Many concurrent callers admitting {@code count} deployments through whichever replicas are alive,
 * as real clients would: a call that fails (replica gone, outcome unknown, deadline) is retried with
 * the same id and spec on another replica, which is safe because admission is idempotent. Every id
 * ends with a definite answer; the acknowledged admissions are what the tests then look for.
 */
final class AdmissionStream {
    private static final Duration GIVE_UP = Duration.ofSeconds(90);

    private final TestCluster cluster;
    private final int count;
    private final int callers;
    private final Map<String, Admitted> admitted = new ConcurrentHashMap<>();
    private final Set<String> rejected = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong retries = new AtomicLong();

    AdmissionStream(TestCluster cluster, int count, int callers) {
        this.cluster = cluster;
        this.count = count;
        this.callers = callers;
    }

    static String id(int i) {
        return "dep-" + i;
    }

    /** Runs the stream to the end; {@code answered} is how many ids have a definite answer so far. */
    void run() throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> workers = new java.util.ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        admitUntilAnswered(caller, i);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void admitUntilAnswered(int caller, int i) throws InterruptedException {
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        String id = id(i);
        for (int attempt = 0; ; attempt++) {
            List<Replica> live = cluster.live();
            if (!live.isEmpty()) {
                Replica via = live.get(Math.floorMod(caller + attempt, live.size()));
                try {
                    Result result = via.submit(Commands.admit(id, (8 + i % 17) * Commands.MIB), 10_000)
                            .get(15, TimeUnit.SECONDS);
                    if (result instanceof Admitted) {
                        admitted.put(id, (Admitted) result);
                        return;
                    }
                    if (result instanceof Rejected) {
                        rejected.add(id);
                        return;
                    }
                    throw new AssertionError("unexpected answer to " + id + ": " + result);
                } catch (ExecutionException | TimeoutException e) {
                    retries.incrementAndGet(); // replica gone, outcome unknown, deadline: ask again, same id and spec
                }
            }
            if (System.nanoTime() - giveUp > 0) {
                throw new AssertionError("no answer for " + id + " within " + GIVE_UP);
            }
            Thread.onSpinWait();
        }
    }

    int answered() {
        return admitted.size() + rejected.size();
    }

    Map<String, Admitted> admitted() {
        return admitted;
    }

    Set<String> rejected() {
        return rejected;
    }

    long retries() {
        return retries.get();
    }
}
