package org.memledger.coordinator.raft;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ReadIndex step of linearizable reads, shared: every read waiting when a round starts is
 * served by that one round, so a thousand concurrent linearizable reads cost one heartbeat quorum,
 * not a thousand. A round is started only after the reads it serves arrived, which is all
 * linearizability needs.
 *
 * <p>A round asks the <em>leader</em> (as this replica's division currently knows it) for its read
 * index, then completes the reads with the leader's applied index, which is at least that; the reads
 * then wait for this replica to apply up to it and read locally. Why the leader and not this replica:
 * with the Netty transport a follower cannot forward a ReadIndex request (Ratis' Netty server does
 * not implement the asynchronous server protocol; the request dies in the follower's pipeline and the
 * client waits out its timeout). Asking the leader works on both transports.
 *
 * <p>Each round is a blocking call without Ratis-level retries: on any failure (no leader yet, a
 * stale leader, a timeout) the loop resolves the leader again and retries until the reads' deadlines.
 * (The blocking API also avoids the ordered async client's "one give-up poisons the client" trap.)
 */
final class ReadIndexBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadIndexBatcher.class);
    private static final long RETRY_PAUSE_NANOS = 20_000_000;

    private record Waiting(CompletableFuture<Long> future, long deadlineMillis) {
    }

    private final Supplier<RaftPeerId> leader;
    private final RaftClient client;
    private final LongSupplier monotonicMillis;
    private final int maxWaiting;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<Waiting> waiting = new ArrayList<>();
    private boolean closed;
    private final Thread loop;

    ReadIndexBatcher(String name, Supplier<RaftPeerId> leader, RaftClient client, LongSupplier monotonicMillis,
                     int maxWaiting) {
        this.leader = leader;
        this.client = client;
        this.monotonicMillis = monotonicMillis;
        this.maxWaiting = maxWaiting;
        this.loop = new Thread(this::run, name);
        this.loop.setDaemon(true);
        this.loop.start();
    }

    /**
     * Completes with a Raft index that is at least the leader's commit index at some moment after
     * this call: once it is applied here, a local read is linearizable.
     */
    CompletableFuture<Long> readIndex(long deadlineMillis) {
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new ReplicaUnavailableException("the replica is closed", false, null));
            }
            if (waiting.size() >= maxWaiting) {
                return CompletableFuture.failedFuture(new OverloadedException(waiting.size()
                        + " linearizable reads are already waiting on this replica; retry later"));
            }
            Waiting read = new Waiting(new CompletableFuture<>(), deadlineMillis);
            waiting.add(read);
            arrived.signal();
            return read.future();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<Waiting> round = new ArrayList<>();
        while (true) {
            lock.lock();
            try {
                while (!closed && waiting.isEmpty() && round.isEmpty()) {
                    arrived.awaitUninterruptibly();
                }
                if (closed) {
                    break;
                }
                round.addAll(waiting);
                waiting.clear();
            } finally {
                lock.unlock();
            }
            round = serve(round);
        }
        fail(round, new ReplicaUnavailableException("the replica is closed", false, null));
    }

    /** One ReadIndex round for {@code round}; returns the reads still to serve (after a failure). */
    private List<Waiting> serve(List<Waiting> round) {
        List<Waiting> live = new ArrayList<>();
        long now = monotonicMillis.getAsLong();
        long deadline = 0;
        for (Waiting read : round) {
            if (read.future().isDone()) {
                continue;
            }
            if (now >= read.deadlineMillis()) {
                read.future().completeExceptionally(new DeadlineExceededException("no read index before the deadline", false));
                continue;
            }
            live.add(read);
            deadline = Math.max(deadline, read.deadlineMillis());
        }
        if (live.isEmpty()) {
            return live;
        }
        try {
            long index = askLeader(deadline);
            for (Waiting read : live) {
                read.future().complete(index);
            }
            return new ArrayList<>();
        } catch (IOException | RuntimeException e) {
            LOG.debug("read index round failed, will retry: {}", e.toString());
            java.util.concurrent.locks.LockSupport.parkNanos(RETRY_PAUSE_NANOS);
            return live;
        }
    }

    private long askLeader(long deadlineMillis) throws IOException {
        RaftPeerId target = leader.get();
        if (target == null) {
            throw new IOException("no leader known yet");
        }
        byte[] query = ClientMessages.query(deadlineMillis, ClientMessages.QUERY_APPLIED_INDEX);
        RaftClientReply reply = client.io().sendReadOnly(Message.valueOf(UnsafeByteOperations.unsafeWrap(query)), target);
        if (!reply.isSuccess()) {
            throw new IOException("read index from " + target + " failed: " + reply.getException());
        }
        return ClientMessages.decodeAppliedIndexReply(reply.getMessage().getContent().toByteArray());
    }

    private static void fail(List<Waiting> reads, RuntimeException error) {
        for (Waiting read : reads) {
            read.future().completeExceptionally(error);
        }
    }

    @Override
    public void close() {
        List<Waiting> left;
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
            left = new ArrayList<>(waiting);
            waiting.clear();
        } finally {
            lock.unlock();
        }
        fail(left, new ReplicaUnavailableException("the replica is closed", false, null));
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing the read client", e);
        }
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
