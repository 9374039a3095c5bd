package org.memledger.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TickProposerTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean leader = new AtomicBoolean();
    private final AtomicInteger proposed = new AtomicInteger();
    private final AtomicReference<CompletableFuture<Object>> last = new AtomicReference<>();

    private TickProposer proposer() {
        return new TickProposer(leader::get, () -> 1_000, () -> {
            proposed.incrementAndGet();
            CompletableFuture<Object> tick = new CompletableFuture<>();
            last.set(tick);
            return tick;
        }, scheduler);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void onlyTheLeaderTicksAndOnlyOneTickIsInFlight() {
        TickProposer ticks = proposer();
        assertThat(ticks.tickOnce()).isFalse();
        leader.set(true);
        assertThat(ticks.tickOnce()).isTrue();
        assertThat(ticks.tickOnce()).isFalse();
        last.get().complete(null);
        assertThat(ticks.tickOnce()).isTrue();
        last.get().completeExceptionally(new IllegalStateException("lost quorum"));
        leader.set(false);
        assertThat(ticks.tickOnce()).isFalse();
        assertThat(proposed.get()).isEqualTo(2);
    }

    @Test
    void aClosedProposerNeverTicks() {
        TickProposer ticks = proposer();
        leader.set(true);
        ticks.close();
        assertThat(ticks.tickOnce()).isFalse();
        assertThat(proposed.get()).isZero();
    }

    @Test
    void itTicksOnItsOwnEveryTickMillisWhileLeader() {
        TickProposer ticks = new TickProposer(leader::get, () -> 20, () -> {
            proposed.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }, scheduler);
        leader.set(true);
        ticks.start();
        Poll.until(java.time.Duration.ofSeconds(10), "three ticks", () -> proposed.get() >= 3);
        leader.set(false);
        int atLoss = proposed.get();
        ticks.close();
        assertThat(proposed.get()).isLessThanOrEqualTo(atLoss + 1);
    }
}
