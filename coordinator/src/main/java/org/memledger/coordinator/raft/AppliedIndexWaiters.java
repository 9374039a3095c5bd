package org.memledger.coordinator.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Futures that complete once the state machine has applied a given Raft index: the last step of a
 * linearizable read (ReadIndex says "at least index i", the read waits for i here). Futures are
 * completed outside the monitor, so a caller's continuation never runs while the applier holds it.
 */
final class AppliedIndexWaiters {
    private final NavigableMap<Long, CompletableFuture<Void>> waiting = new TreeMap<>();
    private long applied;
    private Throwable closed;

    /** Completes when the applied index reaches {@code index}; at once if it already has. */
    CompletableFuture<Void> await(long index) {
        synchronized (this) {
            if (closed != null) {
                return CompletableFuture.failedFuture(closed);
            }
            if (index <= applied) {
                return CompletableFuture.completedFuture(null);
            }
            return waiting.computeIfAbsent(index, i -> new CompletableFuture<>());
        }
    }

    /** Records that everything up to {@code index} is applied and releases those waiting for it. */
    void advance(long index) {
        List<CompletableFuture<Void>> ready;
        synchronized (this) {
            if (index <= applied) {
                return;
            }
            applied = index;
            NavigableMap<Long, CompletableFuture<Void>> reached = waiting.headMap(index, true);
            if (reached.isEmpty()) {
                return;
            }
            ready = new ArrayList<>(reached.values());
            reached.clear();
        }
        for (CompletableFuture<Void> future : ready) {
            future.complete(null);
        }
    }

    /** Fails every waiter, now and later. */
    void close(Throwable reason) {
        List<CompletableFuture<Void>> all;
        synchronized (this) {
            closed = reason;
            all = new ArrayList<>(waiting.values());
            waiting.clear();
        }
        for (CompletableFuture<Void> future : all) {
            future.completeExceptionally(reason);
        }
    }

    synchronized int size() {
        return waiting.size();
    }
}
