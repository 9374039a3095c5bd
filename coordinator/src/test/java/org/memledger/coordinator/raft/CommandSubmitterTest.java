package org.memledger.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memledger.coordinator.raft.Commands.GIB;
import static org.memledger.coordinator.raft.Commands.MIB;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memledger.protocol.Ack;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.Batch;
import org.memledger.protocol.BatchResult;
import org.memledger.protocol.Command;
import org.memledger.protocol.CommandKind;
import org.memledger.protocol.Invalid;
import org.memledger.protocol.Result;
import org.memledger.protocol.Tick;
import org.memledger.protocol.codec.ResultCodec;

class CommandSubmitterTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final LedgerProposer proposer = new LedgerProposer();
    private final List<CommandSubmitter> submitters = new ArrayList<>();

    private CommandSubmitter submitter(SubmitterConfig config) {
        CommandSubmitter submitter = new CommandSubmitter("test", proposer, config, MonotonicClock::millis);
        submitters.add(submitter);
        return submitter;
    }

    @AfterEach
    void closeSubmitters() {
        submitters.forEach(s -> s.shutdown(Duration.ZERO));
    }

    private static Result get(CompletableFuture<Result> future) throws Exception {
        return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A node with room for many 16 MiB deployments, so every admission below is admitted. */
    private void seedNode(CommandSubmitter submitter) throws Exception {
        assertThat(get(submitter.submit(Commands.register("a", "z1", 64 * GIB), 5_000))).isEqualTo(new Ack());
        assertThat(get(submitter.submit(Commands.report("a", 1, 64 * GIB), 5_000))).isEqualTo(new Ack());
    }

    @Test
    void aLoneCommandIsSentUnwrapped() throws Exception {
        CommandSubmitter submitter = submitter(SubmitterConfig.defaults());
        assertThat(get(submitter.submit(new Tick(), 5_000))).isEqualTo(new Ack());
        assertThat(proposer.proposed()).containsExactly(new Tick());
    }

    @Test
    void concurrentCommandsShareOneEntryAndEachCallerGetsItsOwnResult() throws Exception {
        CommandSubmitter submitter = submitter(SubmitterConfig.defaults().withMaxInFlightBatches(1));
        seedNode(submitter);
        proposer.hold();
        CompletableFuture<Result> first = submitter.submit(Commands.admit("first", 16 * MIB), 5_000);
        Poll.until(WAIT, "the first command to be proposed", () -> proposer.proposals() == 3);

        // While the first entry is in flight, 50 callers on 8 threads submit: they queue and batch up.
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<CompletableFuture<CompletableFuture<Result>>> submitted = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 50; i++) {
            String id = "d" + i;
            submitted.add(CompletableFuture.supplyAsync(() -> {
                await(go);
                return submitter.submit(Commands.admit(id, 16 * MIB), 5_000);
            }, callers));
        }
        go.countDown();
        Poll.until(WAIT, "all 50 to be queued", () -> submitter.inFlightCommands() == 51);
        proposer.release();

        assertThat(get(first)).isInstanceOf(Admitted.class);
        for (int i = 0; i < 50; i++) {
            Result result = get(submitted.get(i).get(5, TimeUnit.SECONDS));
            assertThat(result).isInstanceOf(Admitted.class);
            assertThat(((Admitted) result).deploymentId()).isEqualTo("d" + i);
        }
        callers.shutdown();
        List<Command> proposed = proposer.proposed();
        assertThat(proposed).hasSize(4);
        assertThat(proposed.get(3).kind()).isEqualTo(CommandKind.BATCH);
        assertThat(((Batch) proposed.get(3)).commands()).hasSize(50);
        assertThat(submitter.inFlightCommands()).isZero();
    }

    @Test
    void batchesAreBoundedInCommands() throws Exception {
        CommandSubmitter submitter = submitter(SubmitterConfig.defaults().withMaxInFlightBatches(1).withMaxBatchCommands(3));
        proposer.hold();
        CompletableFuture<Result> first = submitter.submit(new Tick(), 5_000);
        Poll.until(WAIT, "the first command to be proposed", () -> proposer.proposals() == 1);
        List<CompletableFuture<Result>> rest = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rest.add(submitter.submit(new Tick(), 5_000));
        }
        proposer.release();
        Poll.until(WAIT, "all ticks answered", () -> rest.stream().allMatch(CompletableFuture::isDone));
        get(first);
        for (CompletableFuture<Result> future : rest) {
            assertThat(get(future)).isEqualTo(new Ack());
        }
        List<Command> proposed = proposer.proposed();
        int commands = 0;
        for (Command command : proposed.subList(1, proposed.size())) {
            int size = command instanceof Batch ? ((Batch) command).commands().size() : 1;
            assertThat(size).isLessThanOrEqualTo(3);
            commands += size;
        }
        assertThat(commands).isEqualTo(10);
    }

    @Test
    void aCallersOwnBatchIsSentAloneAndAnsweredAsABatch() throws Exception {
        CommandSubmitter submitter = submitter(SubmitterConfig.defaults());
        Result result = get(submitter.submit(new Batch(List.of(new Tick(), new Tick())), 5_000));
        assertThat(result).isEqualTo(new BatchResult(List.of(new Ack(), new Ack())));
    }

    @Test
    void malformedCommandsAreAnsweredWithoutProposing() throws Exception {
        CommandSubmitter submitter = submitter(SubmitterConfig.defaults());
        Result result = get(submitter.submit(Commands.admit("no spaces allowed", MIB), 5_000));
        assertThat(result).isInstanceOf(Invalid.class);
        assertThat(((Invalid) result).field()).isEqualTo("deploymentId");
        assertThat(proposer.proposals()).isZero();
    }

    @Test
    void pastTheInFlightBoundSubmitFailsFast() {
        CommandSubmitter submitter = submitter(SubmitterConfig.defaults().withMaxInFlightCommands(5));
        proposer.neverAnswer();
        for (int i = 0; i < 5; i++) {
            assertThat(submitter.submit(new Tick(), 60_000)).isNotDone();
        }
        CompletableFuture<Result> sixth = submitter.submit(new Tick(), 60_000);
        assertThat(sixth).isCompletedExceptionally();
        assertThatThrownBy(sixth::join).hasCauseInstanceOf(OverloadedException.class)
                .hasMessageContaining("limit 5");
    }

    @Test
    void theDeadlineFailsTheCallerAndTravelsWithTheRaftCall() {
        CommandSubmitter submitter = submitter(SubmitterConfig.defaults());
        proposer.neverAnswer();
        long before = MonotonicClock.millis();
        CompletableFuture<Result> future = submitter.submit(new Tick(), 200);
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(failure.getCause()).isInstanceOf(DeadlineExceededException.class);
        assertThat(((DeadlineExceededException) failure.getCause()).mayHaveBeenApplied()).isTrue();
        assertThat(MonotonicClock.millis() - before).isGreaterThanOrEqualTo(190);
        assertThat(proposer.deadlines()).hasSize(1);
        assertThat(proposer.deadlines().get(0)).isBetween(before + 200, before + 200 + WAIT.toMillis());
    }

    @Test
    void everyHeldCommandExpiresAtItsOwnDeadlineWhateverWasSubmittedBefore() {
        CommandSubmitter submitter = submitter(SubmitterConfig.defaults());
        proposer.neverAnswer();
        CompletableFuture<Result> patient = submitter.submit(new Tick(), 60_000);
        CompletableFuture<Result> hasty = submitter.submit(new Tick(), 100);
        CompletableFuture<Result> later = submitter.submit(new Tick(), 400);
        Poll.until(WAIT, "the 100 ms command to expire", hasty::isDone);
        Poll.until(WAIT, "the 400 ms command to expire too", later::isDone);
        assertThatThrownBy(hasty::join).hasCauseInstanceOf(DeadlineExceededException.class);
        assertThatThrownBy(later::join).hasCauseInstanceOf(DeadlineExceededException.class);
        assertThat(patient).isNotDone();
    }

    /**
     * A proposer that answers nothing until told, and records for each call how many earlier calls were
     * still unanswered when it was made.
     */
    private static final class CountingProposer implements CommandSubmitter.Proposer {
        final List<CompletableFuture<byte[]>> calls = new CopyOnWriteArrayList<>();
        final List<Long> unansweredAtCall = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<byte[]> propose(byte[] proposal, long deadlineMillis) {
            unansweredAtCall.add(calls.stream().filter(call -> !call.isDone()).count());
            CompletableFuture<byte[]> call = new CompletableFuture<>();
            calls.add(call);
            return call;
        }

        void answer(int call, Result result) {
            calls.get(call).complete(ResultCodec.encode(result));
        }
    }

    /** A submitter over {@code counting} allowed {@code limit} Raft calls, on a follower or on the leader. */
    private CommandSubmitter counted(CountingProposer counting, int limit, boolean forwarding) {
        CommandSubmitter submitter = new CommandSubmitter(forwarding ? "follower" : "leader", counting,
                SubmitterConfig.defaults().withMaxInFlightBatches(limit), MonotonicClock::millis, () -> forwarding);
        submitters.add(submitter);
        return submitter;
    }

    @Test
    void whileForwardingToTheLeaderOneBatchTravelsAtATimeWhateverTheLimit() throws Exception {
        CountingProposer counting = new CountingProposer();
        CommandSubmitter follower = counted(counting, 4, true);
        List<CompletableFuture<Result>> ticks = List.of(follower.submit(new Tick(), 10_000),
                follower.submit(new Tick(), 10_000));
        Poll.until(WAIT, "the first call", () -> counting.calls.size() == 1);
        counting.answer(0, new Ack());
        Poll.until(WAIT, "the second call, after the first was answered", () -> counting.calls.size() == 2);
        counting.answer(1, new Ack());
        for (CompletableFuture<Result> tick : ticks) {
            assertThat(get(tick)).isEqualTo(new Ack());
        }
        assertThat(counting.unansweredAtCall).containsExactly(0L, 0L);
    }

    @Test
    void onTheLeaderASecondBatchGoesWhileTheFirstIsInFlight() throws Exception {
        CountingProposer counting = new CountingProposer();
        CommandSubmitter leader = counted(counting, 2, false);
        CompletableFuture<Result> first = leader.submit(new Tick(), 10_000);
        Poll.until(WAIT, "the first call", () -> counting.calls.size() == 1);
        CompletableFuture<Result> second = leader.submit(new Tick(), 10_000);
        Poll.until(WAIT, "the second call, with the first still in flight", () -> counting.calls.size() == 2);
        counting.answer(0, new Ack());
        counting.answer(1, new Ack());
        assertThat(List.of(get(first), get(second))).containsOnly(new Ack());
        assertThat(counting.unansweredAtCall).containsExactly(0L, 1L);
    }

    @Test
    void aCommandWhoseDeadlinePassesWhileQueuedIsNeverProposed() throws Exception {
        CommandSubmitter submitter = submitter(SubmitterConfig.defaults().withMaxInFlightBatches(1));
        proposer.hold();
        CompletableFuture<Result> first = submitter.submit(new Tick(), 10_000);
        Poll.until(WAIT, "the first command to be proposed", () -> proposer.proposals() == 1);
        CompletableFuture<Result> late = submitter.submit(Commands.register("b", "z1", GIB), 50);
        Poll.until(WAIT, "the queued command to time out", late::isDone);
        proposer.release();
        assertThat(get(first)).isEqualTo(new Ack());
        assertThatThrownBy(late::join).hasCauseInstanceOf(DeadlineExceededException.class)
                .hasMessageContaining("nothing was written");
        Poll.until(WAIT, "the queue to drain", () -> submitter.inFlightCommands() == 0);
        assertThat(proposer.proposed()).containsExactly(new Tick());
        assertThat(proposer.ledger().views().node("b")).isEmpty();
    }

    @Test
    void shutdownDrainsInFlightCommandsThenRefuses() throws Exception {
        CommandSubmitter submitter = submitter(SubmitterConfig.defaults().withMaxInFlightBatches(1));
        proposer.hold();
        List<CompletableFuture<Result>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(submitter.submit(new Tick(), 10_000));
        }
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> submitter.shutdown(WAIT));
        Poll.until(WAIT, "new submits to be refused", () -> submitter.submit(new Tick(), 1_000).isCompletedExceptionally());
        assertThat(stopped).isNotDone();
        proposer.release();
        stopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        for (CompletableFuture<Result> future : futures) {
            assertThat(get(future)).isEqualTo(new Ack());
        }
        assertThatThrownBy(() -> submitter.submit(new Tick(), 1_000).join())
                .hasCauseInstanceOf(ReplicaUnavailableException.class);
    }

    @Test
    void aFailedRaftCallFailsEveryCommandOfTheBatchAsOutcomeUnknown() {
        CommandSubmitter submitter = new CommandSubmitter("failing",
                (proposal, deadline) -> CompletableFuture.failedFuture(new java.io.IOException("connection reset")),
                SubmitterConfig.defaults(), MonotonicClock::millis);
        submitters.add(submitter);
        CompletableFuture<Result> future = submitter.submit(new Tick(), 5_000);
        assertThatThrownBy(() -> future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .hasCauseInstanceOf(ReplicaUnavailableException.class).hasMessageContaining("connection reset");
        Throwable error = future.handle((r, e) -> e instanceof java.util.concurrent.CompletionException ? e.getCause() : e)
                .join();
        assertThat(((SubmitException) error).mayHaveBeenApplied()).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
