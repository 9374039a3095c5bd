package org.memledger.deploy;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a long-running command alive until SIGTERM/Ctrl-C (or a test releases it), then runs its
 * shutdown on the command's own thread and lets the JVM exit only once that shutdown is done: the
 * shutdown hook waits, so a Ctrl-C never cuts a graceful close short.
 */
final class StopSignal {
    private final CountDownLatch stop;

    StopSignal() {
        this(new CountDownLatch(1));
    }

    /** Tests pass their own latch and release it instead of signalling the process. */
    StopSignal(CountDownLatch stop) {
        this.stop = stop;
    }

    /** Blocks until stopped, then runs {@code shutdown}. */
    void awaitThen(Runnable shutdown) {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(closed);
        }, "memledger-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            awaitQuietly(stop);
            shutdown.run();
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already running hooks: ours is waiting for `closed`, which is now released
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
