package org.memledger.coordinator.raft;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.memledger.protocol.BatchResult;
import org.memledger.protocol.Command;
import org.memledger.protocol.CommandKind;
import org.memledger.protocol.CommandValidator;
import org.memledger.protocol.ErrorCode;
import org.memledger.protocol.FieldError;
import org.memledger.protocol.Invalid;
import org.memledger.protocol.Result;
import org.memledger.protocol.codec.CodecException;
import org.memledger.protocol.codec.ResultCodec;

/**
 * Group commit: many callers' commands share one Raft entry, each caller gets its own result.
 *
 * <p>Why: a Raft entry costs a disk write and a round trip to a majority no matter how small it is
 * (on Netty, about 1 ms with three replicas), so one command per entry caps a cluster at roughly a
 * thousand decisions a second. Commands that arrive while earlier entries are in flight are gathered
 * into one {@link org.memledger.protocol.Batch}; the ledger applies a batch in order and answers with
 * a {@link BatchResult} whose i-th result belongs to the i-th command.
 *
 * <p>How: callers validate and encode their command on their own thread and queue it. One
 * dispatcher thread takes up to {@code maxBatchCommands} (and {@code maxBatchBytes}) queued commands
 * whenever fewer than {@code maxInFlightBatches} Raft calls are outstanding. A lone command goes
 * alone, unwrapped (with the pipe idle and nothing queued, the caller's own thread sends it). If
 * another call is already in flight the dispatcher lingers up to
 * {@code lingerMicros} for the batch to fill; with the pipe idle it does not wait, since latency is
 * then all that batching could cost.
 *
 * <p>On a follower ({@code forwarding}) one batch travels at a time, whatever {@code maxInFlightBatches}
 * says: its batches become entries in the leader's log beside the leader's own, and a Raft entry's
 * cost is mostly per entry (append, sync and replication on every replica), so three replicas each
 * keeping two small entries in flight cost more than fewer, larger ones. Measured over HTTP with
 * connections spread over three replicas: 15,492 and 16,668 decisions/s at one batch per replica
 * against 11,909 and 13,385 at two (docs/benchmarks.md, issue 4). The leader keeps its limit: with
 * one batch in flight its own pipeline stalls between entries (in-process, 70,452 against 100,693
 * decisions/s).
 *
 * <p>Limits and failure: at most {@code maxInFlightCommands} commands are held (queued or in Raft);
 * past it {@link #submit} fails at once with {@link OverloadedException} rather than queue without
 * bound. Every submit carries the caller's remaining time: the future fails with
 * {@link DeadlineExceededException} when it passes, a command whose deadline passed while queued is
 * never proposed, and the batch's latest deadline travels with the Raft call ({@link Proposer}).
 * Malformed commands are answered {@link Invalid} here and never reach the log.
 */
public final class CommandSubmitter implements AutoCloseable {

    /** Sends one proposal message through Raft; completes with the encoded result of its entry. */
    @FunctionalInterface
    public interface Proposer {
        /**
         * @param proposal       a {@link ClientMessages} proposal (deadline and one command, possibly a Batch)
         * @param deadlineMillis the latest deadline of the commands in it (on the submitter's monotonic clock)
         */
        CompletableFuture<byte[]> propose(byte[] proposal, long deadlineMillis);
    }

    /** How often deadlines are checked: a command fails at most this much after its deadline. */
    static final long DEADLINE_SWEEP_MILLIS = 5;

    private final Proposer proposer;
    private final SubmitterConfig config;
    private final BooleanSupplier forwarding;
    private final LongSupplier monotonicMillis;
    private final long lingerNanos;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when work arrives, a batch fills, a Raft call finishes, or shutdown starts. */
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Set<Pending> outstanding = new LinkedHashSet<>();
    private int inFlightCommands;
    private int inFlightBatches;
    /**
     * No held command's deadline is earlier (it may be earlier than every deadline still held: commands
     * that finish do not raise it). Lets a sweep skip the walk over thousands of held commands when none
     * can be due, which is nearly always: deadlines are seconds, Raft answers in milliseconds.
     */
    private long earliestDeadlineMillis = Long.MAX_VALUE;
    private boolean accepting = true;
    private boolean stopped;

    private final Thread dispatcher;
    /** Runs {@link #expireOverdue} every {@link #DEADLINE_SWEEP_MILLIS}. */
    private final ScheduledThreadPoolExecutor deadlineSweeper;
    private final ExecutorService completer;

    /**
     * @param monotonicMillis the time base of deadlines: a monotonic clock in ms ({@link MonotonicClock}),
     *                        never 0, never stepped
     */
    public CommandSubmitter(String name, Proposer proposer, SubmitterConfig config, LongSupplier monotonicMillis) {
        this(name, proposer, config, monotonicMillis, () -> false);
    }

    /**
     * @param forwarding true while the proposals go to another replica's log (this replica is not the
     *                   leader): then one batch is sent at a time
     */
    public CommandSubmitter(String name, Proposer proposer, SubmitterConfig config, LongSupplier monotonicMillis,
                            BooleanSupplier forwarding) {
        this.proposer = proposer;
        this.config = config;
        this.forwarding = forwarding;
        this.monotonicMillis = monotonicMillis;
        this.lingerNanos = TimeUnit.MICROSECONDS.toNanos(config.lingerMicros());
        this.deadlineSweeper = new ScheduledThreadPoolExecutor(1, daemon(name + "-deadlines"));
        this.deadlineSweeper.scheduleWithFixedDelay(this::expireOverdue, DEADLINE_SWEEP_MILLIS, DEADLINE_SWEEP_MILLIS,
                TimeUnit.MILLISECONDS);
        this.completer = Executors.newSingleThreadExecutor(daemon(name + "-replies"));
        this.dispatcher = new Thread(this::dispatchLoop, name + "-dispatcher");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    /**
     * Submits one command. Completes with the command's own result once its entry is applied on
     * the leader; exceptionally with a {@link SubmitException}.
     *
     * @param timeoutMillis what is left of the caller's deadline
     */
    public CompletableFuture<Result> submit(Command command, long timeoutMillis) {
        Optional<FieldError> shape = CommandValidator.validate(command);
        if (shape.isPresent()) {
            FieldError error = shape.get();
            return CompletableFuture.completedFuture(new Invalid(ErrorCode.INVALID_ARGUMENT, error.field(),
                    error.field() + ": " + error.message()));
        }
        if (timeoutMillis <= 0) {
            return CompletableFuture.failedFuture(new DeadlineExceededException("the deadline had already passed ("
                    + timeoutMillis + " ms left); nothing was written", false));
        }
        byte[] bytes;
        try {
            bytes = ClientMessages.encodeCommand(command);
        } catch (CodecException e) {
            return CompletableFuture.completedFuture(new Invalid(ErrorCode.INVALID_ARGUMENT, "command", e.getMessage()));
        }
        long deadline = saturatedAdd(monotonicMillis.getAsLong(), timeoutMillis);
        Pending pending = new Pending(bytes, command.kind() == CommandKind.BATCH, deadline, timeoutMillis,
                System.nanoTime());
        Intake intake = enqueue(pending);
        if (intake.refusal() != null) {
            return CompletableFuture.failedFuture(intake.refusal());
        }
        if (intake.sendNow()) {
            send(List.of(pending));
        }
        return pending.future;
    }

    /** What {@link #enqueue} decided: refused, queued for the dispatcher, or to be sent by the caller now. */
    private record Intake(SubmitException refusal, boolean sendNow) {
        static final Intake QUEUED = new Intake(null, false);
        static final Intake SEND_NOW = new Intake(null, true);

        static Intake refused(SubmitException refusal) {
            return new Intake(refusal, false);
        }
    }

    private Intake enqueue(Pending pending) {
        lock.lock();
        try {
            if (!accepting) {
                return Intake.refused(new ReplicaUnavailableException(
                        "the replica is shutting down; nothing was written", false, null));
            }
            if (inFlightCommands >= config.maxInFlightCommands()) {
                return Intake.refused(new OverloadedException("this replica already holds " + inFlightCommands
                        + " commands in flight (limit " + config.maxInFlightCommands()
                        + "); nothing was written, retry later"));
            }
            inFlightCommands++;
            earliestDeadlineMillis = Math.min(earliestDeadlineMillis, pending.deadlineMillis);
            // With the pipe idle and nobody queued, the dispatcher would send this command alone at once;
            // sending it from the caller's thread saves a thread hand-off, which is most of the latency
            // a lone command adds to Raft's own on a busy machine.
            if (queue.isEmpty() && inFlightBatches == 0) {
                pending.dispatched = true;
                inFlightBatches++;
                outstanding.add(pending);
                return Intake.SEND_NOW;
            }
            queue.addLast(pending);
            if (queue.size() == 1 || queue.size() >= config.maxBatchCommands()) {
                changed.signalAll();
            }
            return Intake.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fails the futures of commands whose deadline has passed. One sweep every few milliseconds instead
     * of a timer per command: scheduling and cancelling a timer for each of 100,000 commands a second
     * cost about 6 % of a replica's CPU, and no caller needs its deadline to the millisecond. Whether a
     * command "was sent" is read under the lock, so the message has one answer; the futures complete
     * outside it, and a result that lands first still wins.
     */
    private void expireOverdue() {
        List<Overdue> overdue = new ArrayList<>();
        long now = monotonicMillis.getAsLong();
        lock.lock();
        try {
            if (now < earliestDeadlineMillis) {
                return;
            }
            long earliest = Math.min(collectOverdue(queue, now, overdue), collectOverdue(outstanding, now, overdue));
            earliestDeadlineMillis = earliest;
        } finally {
            lock.unlock();
        }
        for (Overdue each : overdue) {
            each.pending.future.completeExceptionally(new DeadlineExceededException("no result within "
                    + each.pending.timeoutMillis + " ms; " + (each.sent
                            ? "the command reached Raft, its outcome is unknown"
                            : "the command was never proposed, nothing was written"), each.sent));
        }
    }

    /** A command past its deadline, and whether it had been handed to Raft when that was noticed. */
    private record Overdue(Pending pending, boolean sent) {
    }

    /** Adds the overdue among {@code pendings}; returns the earliest deadline of the others. */
    private static long collectOverdue(Iterable<Pending> pendings, long now, List<Overdue> overdue) {
        long earliest = Long.MAX_VALUE;
        for (Pending pending : pendings) {
            if (pending.future.isDone()) {
                continue;
            }
            if (now >= pending.deadlineMillis) {
                overdue.add(new Overdue(pending, pending.dispatched));
            } else {
                earliest = Math.min(earliest, pending.deadlineMillis);
            }
        }
        return earliest;
    }

    private void dispatchLoop() {
        while (true) {
            List<Pending> batch;
            lock.lock();
            try {
                while (!stopped && (queue.isEmpty() || inFlightBatches >= batchLimit())) {
                    changed.awaitUninterruptibly();
                }
                if (stopped) {
                    return;
                }
                linger();
                batch = take();
                if (batch.isEmpty()) {
                    continue;
                }
                inFlightBatches++;
                outstanding.addAll(batch);
            } finally {
                lock.unlock();
            }
            send(batch);
        }
    }

    /** Raft calls allowed outstanding now: one while forwarding to another replica's log. */
    private int batchLimit() {
        return forwarding.getAsBoolean() ? 1 : config.maxInFlightBatches();
    }

    /** Waits (lock held, released while waiting) for the batch to fill, only while another call is in flight. */
    private void linger() {
        if (lingerNanos == 0 || inFlightBatches == 0) {
            return;
        }
        long until = queue.peekFirst().enqueuedNanos + lingerNanos;
        long remaining;
        while (!stopped && queue.size() < config.maxBatchCommands() && (remaining = until - System.nanoTime()) > 0) {
            try {
                changed.awaitNanos(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Takes the next batch off the queue (lock held), dropping commands whose deadline has passed. */
    private List<Pending> take() {
        List<Pending> batch = new ArrayList<>();
        long now = monotonicMillis.getAsLong();
        long bytes = 0;
        while (!queue.isEmpty() && batch.size() < config.maxBatchCommands()) {
            Pending next = queue.peekFirst();
            if (next.future.isDone() || now >= next.deadlineMillis) {
                queue.removeFirst();
                inFlightCommands--;
                next.future.completeExceptionally(new DeadlineExceededException(
                        "the deadline passed while the command was queued; nothing was written", false));
                continue;
            }
            // A caller's own Batch cannot nest in ours: it goes alone, and so does anything too large to share.
            boolean alone = next.isBatch || next.bytes.length >= config.maxBatchBytes();
            if (!batch.isEmpty() && (alone || bytes + next.bytes.length > config.maxBatchBytes())) {
                break;
            }
            queue.removeFirst();
            next.dispatched = true;
            batch.add(next);
            bytes += next.bytes.length;
            if (alone) {
                break;
            }
        }
        return batch;
    }

    private void send(List<Pending> batch) {
        long deadline = 0;
        List<byte[]> commands = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            deadline = Math.max(deadline, pending.deadlineMillis);
            commands.add(pending.bytes);
        }
        byte[] proposal = batch.size() == 1
                ? ClientMessages.proposal(deadline, batch.get(0).bytes)
                : ClientMessages.batchProposal(deadline, commands);
        CompletableFuture<byte[]> reply;
        try {
            reply = proposer.propose(proposal, deadline);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        try {
            reply.whenCompleteAsync((bytes, error) -> finish(batch, bytes, error), completer);
        } catch (RejectedExecutionException e) {
            finish(batch, null, new ReplicaUnavailableException("the replica shut down", true, e));
        }
    }

    private void finish(List<Pending> batch, byte[] bytes, Throwable error) {
        lock.lock();
        try {
            inFlightBatches--;
            inFlightCommands -= batch.size();
            batch.forEach(outstanding::remove);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (error != null) {
            failAll(batch, asSubmitException(error));
            return;
        }
        Result result;
        try {
            result = ResultCodec.decode(bytes);
        } catch (CodecException e) {
            failAll(batch, new ReplicaUnavailableException("undecodable reply from the log: " + e.getMessage(), true, e));
            return;
        }
        if (batch.size() == 1) {
            batch.get(0).future.complete(result);
        } else if (result instanceof BatchResult && ((BatchResult) result).results().size() == batch.size()) {
            List<Result> results = ((BatchResult) result).results();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).future.complete(results.get(i));
            }
        } else {
            failAll(batch, new ReplicaUnavailableException("a batch of " + batch.size()
                    + " commands was answered with " + result.kind() + ", not one result per command", true, null));
        }
    }

    private static void failAll(List<Pending> batch, SubmitException error) {
        for (Pending pending : batch) {
            pending.future.completeExceptionally(error);
        }
    }

    private static SubmitException asSubmitException(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof SubmitException) {
            return (SubmitException) cause;
        }
        return new ReplicaUnavailableException("the Raft call failed, the outcome is unknown: " + cause, true, cause);
    }

    /** Commands accepted and not yet answered (queued or in Raft). */
    public int inFlightCommands() {
        lock.lock();
        try {
            return inFlightCommands;
        } finally {
            lock.unlock();
        }
    }

    /** Raft calls outstanding. */
    public int inFlightBatches() {
        lock.lock();
        try {
            return inFlightBatches;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Graceful stop: refuse new commands at once, keep sending what is queued and wait up to
     * {@code drain} for every in-flight command to be answered, then fail whatever is left with
     * {@link ReplicaUnavailableException}. Idempotent.
     */
    public void shutdown(Duration drain) {
        List<Pending> leftovers = new ArrayList<>();
        lock.lock();
        try {
            accepting = false;
            changed.signalAll();
            long until = System.nanoTime() + drain.toNanos();
            long remaining;
            while (inFlightCommands > 0 && !stopped && (remaining = until - System.nanoTime()) > 0) {
                changed.awaitNanos(remaining);
            }
            stopped = true;
            changed.signalAll();
            leftovers.addAll(queue);
            leftovers.addAll(outstanding);
            queue.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
            changed.signalAll();
            leftovers.addAll(queue);
            leftovers.addAll(outstanding);
            queue.clear();
        } finally {
            lock.unlock();
        }
        for (Pending pending : leftovers) {
            pending.future.completeExceptionally(new ReplicaUnavailableException(
                    "the replica shut down before the command was answered"
                            + (pending.dispatched ? "; it reached Raft, its outcome is unknown" : "; nothing was written"),
                    pending.dispatched, null));
        }
        deadlineSweeper.shutdownNow();
        completer.shutdown();
        try {
            dispatcher.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #shutdown} with a five-second drain. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One caller's command on its way through the submitter. */
    private static final class Pending {
        final byte[] bytes;
        final boolean isBatch;
        final long deadlineMillis;
        final long enqueuedNanos;
        final CompletableFuture<Result> future = new CompletableFuture<>();
        final long timeoutMillis;
        /** Set under the submitter's lock when the command is handed to Raft. */
        volatile boolean dispatched;

        Pending(byte[] bytes, boolean isBatch, long deadlineMillis, long timeoutMillis, long enqueuedNanos) {
            this.bytes = bytes;
            this.isBatch = isBatch;
            this.deadlineMillis = deadlineMillis;
            this.timeoutMillis = timeoutMillis;
            this.enqueuedNanos = enqueuedNanos;
        }
    }
}
