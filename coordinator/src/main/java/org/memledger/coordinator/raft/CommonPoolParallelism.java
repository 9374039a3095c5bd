package org.memledger.coordinator.raft;

/**
 * Keeps {@code CompletableFuture}'s default async executor a pool on small machines.
 *
 * <p>Why: with two cores the JDK sizes the common ForkJoinPool to one thread, and then every
 * {@code *Async} stage given no executor runs on a <em>new thread</em>. Ratis 3.3 has such stages on
 * the append path ({@code thenComposeAsync} per follower append), so on a 2-core replica it started
 * 50 to 150 threads a second under load. The JDK reads the setting once, when
 * {@code CompletableFuture} is first loaded: call {@link #ensureAtLeastTwo} first thing in
 * {@code main}, before anything touches a future. An operator's own
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} is left alone.
 */
public final class CommonPoolParallelism {
    static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPoolParallelism() {
    }

    public static void ensureAtLeastTwo() {
        if (System.getProperty(PROPERTY) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(PROPERTY, "2");
        }
    }
}
