package org.memledger.coordinator.api;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.memledger.coordinator.ledger.Ledger;
import org.memledger.coordinator.ledger.LedgerViews;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Command;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.Result;

/**
 * A single, unreplicated ledger behind the {@link LedgerGateway} seam: the whole log lives in this
 * process. It is what a one-process deployment runs when it needs no fault tolerance, and what the
 * API tests run against (a real ledger, not a mock).
 *
 * <p>Each submitted command becomes its own log entry, stamped with the injected clock and applied
 * at the next index under one lock, so reads never see a half-applied entry and indexes increase
 * by one per write. With nothing to replicate, a linearizable read is a local read.
 *
 * <p>{@link #pauseApplying()} holds submitted commands in a bounded queue instead of applying them
 * (an operator's write freeze, and how tests make a write wait): a held command whose deadline
 * passes is dropped and fails {@code TIMED_OUT}, and one that finds the queue full fails
 * {@code OVERLOADED}, so nothing waits without bound. {@link #resumeApplying()} applies what is
 * held, in submission order. After {@link #close()} writes fail {@code UNAVAILABLE} and the replica
 * reports no leader, while reads still answer from the last state.
 */
public final class EmbeddedLedgerGateway implements LedgerGateway, AutoCloseable {
    /** Default bound on commands held while applying is paused. */
    public static final int DEFAULT_MAX_HELD = 1024;
    public static final String ROLE_LEADER = "LEADER";
    public static final String ROLE_STOPPED = "STOPPED";

    private final Ledger ledger;
    private final Clock clock;
    private final String replicaId;
    private final int maxHeld;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private boolean paused;
    private boolean closed;

    /** A gateway over {@code ledger}, stamping entries with {@code clock}. */
    public EmbeddedLedgerGateway(Ledger ledger, Clock clock, String replicaId, int maxHeld) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.replicaId = Objects.requireNonNull(replicaId, "replicaId");
        if (maxHeld < 1) {
            throw new IllegalArgumentException("maxHeld must be at least 1, was " + maxHeld);
        }
        this.maxHeld = maxHeld;
    }

    /** A fresh ledger with the default policy, the system clock and replica id {@code embedded}. */
    public static EmbeddedLedgerGateway create() {
        return new EmbeddedLedgerGateway(new Ledger(), Clock.systemUTC(), "embedded", DEFAULT_MAX_HELD);
    }

    @Override
    public CompletableFuture<Result> submit(Command command, long timeoutMillis) {
        Objects.requireNonNull(command, "command");
        lock.lock();
        try {
            if (closed) {
                return failed(GatewayException.Kind.UNAVAILABLE, "the embedded ledger is closed");
            }
            if (timeoutMillis <= 0) {
                return failed(GatewayException.Kind.TIMED_OUT, "the deadline passed before the command was submitted");
            }
            if (!paused) {
                return CompletableFuture.completedFuture(applyLocked(command));
            }
            if (held.size() >= maxHeld) {
                return failed(GatewayException.Kind.OVERLOADED, "applying is paused and " + held.size()
                        + " commands are already waiting (the limit); retry later");
            }
            Held waiting = new Held(command, new CompletableFuture<>(), timeoutMillis);
            held.addLast(waiting);
            CompletableFuture.delayedExecutor(timeoutMillis, TimeUnit.MILLISECONDS).execute(() -> expire(waiting));
            return waiting.future;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> ReadResult<T> read(Function<LedgerViews, T> query) {
        lock.lock();
        try {
            return new ReadResult<>(query.apply(ledger.views()), ledger.appliedIndex());
        } finally {
            lock.unlock();
        }
    }

    /** Nothing is replicated, so everything committed is already applied here. */
    @Override
    public <T> CompletableFuture<ReadResult<T>> readLinearizable(Function<LedgerViews, T> query, long timeoutMillis) {
        if (timeoutMillis <= 0) {
            return failed(GatewayException.Kind.TIMED_OUT, "the deadline passed before the read began");
        }
        return CompletableFuture.completedFuture(read(query));
    }

    @Override
    public ReadResult<Result> check(Admit admit) {
        lock.lock();
        try {
            return new ReadResult<>(ledger.check(admit), ledger.appliedIndex());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ReplicaStatus status() {
        lock.lock();
        try {
            return new ReplicaStatus(replicaId, closed ? ROLE_STOPPED : ROLE_LEADER, closed ? null : replicaId,
                    1, ledger.appliedIndex(), ledger.stateHashHex(), List.of(replicaId));
        } finally {
            lock.unlock();
        }
    }

    /** From now on, submitted commands wait (bounded, each until its deadline) instead of being applied. */
    public void pauseApplying() {
        lock.lock();
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies every held command in submission order and applies new ones at once again. The
     * held futures complete after the lock is released, so their callbacks may read the ledger.
     */
    public void resumeApplying() {
        List<Runnable> completions = new ArrayList<>();
        lock.lock();
        try {
            paused = false;
            while (!held.isEmpty()) {
                Held next = held.removeFirst();
                Result result = applyLocked(next.command);
                completions.add(() -> next.future.complete(result));
            }
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
    }

    /** Commands waiting while applying is paused. */
    public int heldCommands() {
        lock.lock();
        try {
            return held.size();
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking writes: held commands and later submits fail UNAVAILABLE; reads keep answering. */
    @Override
    public void close() {
        List<Held> dropped;
        lock.lock();
        try {
            closed = true;
            dropped = new ArrayList<>(held);
            held.clear();
        } finally {
            lock.unlock();
        }
        for (Held waiting : dropped) {
            waiting.future.completeExceptionally(
                    new GatewayException(GatewayException.Kind.UNAVAILABLE, "the embedded ledger closed"));
        }
    }

    private Result applyLocked(Command command) {
        return ledger.apply(ledger.appliedIndex() + 1, new LogEntry(clock.millis(), command)).result();
    }

    private void expire(Held waiting) {
        lock.lock();
        try {
            if (!held.remove(waiting)) {
                return; // applied or failed already
            }
        } finally {
            lock.unlock();
        }
        waiting.future.completeExceptionally(new GatewayException(GatewayException.Kind.TIMED_OUT,
                "not applied within " + waiting.timeoutMillis + " ms (applying is paused); the command was dropped"));
    }

    private static <T> CompletableFuture<T> failed(GatewayException.Kind kind, String message) {
        return CompletableFuture.failedFuture(new GatewayException(kind, message));
    }

    private record Held(Command command, CompletableFuture<Result> future, long timeoutMillis) {
    }
}
