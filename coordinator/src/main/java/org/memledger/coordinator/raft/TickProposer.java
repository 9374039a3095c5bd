package org.memledger.coordinator.raft;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proposes a {@code Tick} every {@code policy.tickMillis} while this replica is the ready leader
 * (DESIGN §3.1): the ledger reads no clock, so heartbeat expiry, grace deadlines and rent only move
 * when an entry carries time in, and a Tick is an entry that carries nothing else.
 *
 * <p>Every replica runs one; only the leader's proposes. It polls the division's role at each
 * tick, so it stops within one tick of losing leadership and starts within one tick of gaining it.
 * The interval is re-read from the replicated policy each time, so a {@code SetPolicy} takes effect
 * at the next tick. At most one Tick is in flight: a slow log is not fed a queue of Ticks. A
 * Tick that slips through just after a leadership change is harmless (time is a max).
 */
final class TickProposer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TickProposer.class);

    private final BooleanSupplier isReadyLeader;
    private final LongSupplier tickMillis;
    private final Supplier<CompletableFuture<?>> proposeTick;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile boolean closed;
    private volatile ScheduledFuture<?> next;

    TickProposer(BooleanSupplier isReadyLeader, LongSupplier tickMillis, Supplier<CompletableFuture<?>> proposeTick,
                 ScheduledExecutorService scheduler) {
        this.isReadyLeader = isReadyLeader;
        this.tickMillis = tickMillis;
        this.proposeTick = proposeTick;
        this.scheduler = scheduler;
    }

    void start() {
        scheduleNext();
    }

    /** One tick: proposes a Tick if this replica is the ready leader and none is in flight. */
    boolean tickOnce() {
        if (closed || !isReadyLeader.getAsBoolean() || !inFlight.compareAndSet(false, true)) {
            return false;
        }
        CompletableFuture<?> proposed;
        try {
            proposed = proposeTick.get();
        } catch (RuntimeException e) {
            inFlight.set(false);
            LOG.debug("tick not proposed", e);
            return false;
        }
        proposed.whenComplete((result, error) -> {
            inFlight.set(false);
            if (error != null && !closed) {
                LOG.debug("tick failed: {}", error.toString());
            }
        });
        return true;
    }

    private void run() {
        try {
            tickOnce();
        } finally {
            scheduleNext();
        }
    }

    private void scheduleNext() {
        if (closed) {
            return;
        }
        try {
            next = scheduler.schedule(this::run, Math.max(1, tickMillis.getAsLong()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> scheduled = next;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
