package org.memledger.coordinator.raft;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's door into its Raft group for writes: proposals from the {@link CommandSubmitter}, over
 * one {@link RaftClient} that the Ratis client library points at the leader (so commands submitted on
 * a follower are forwarded without our help).
 *
 * <p>Trap handled here: on Ratis' ordered async API, once one call gives up (its retry policy says
 * stop, see {@link DeadlineRetryPolicy}), the client fails every later call with
 * {@code AlreadyClosedException}, forever. So after any failed call except a state machine refusal
 * the gateway builds a fresh client and closes the poisoned one; calls in flight on it fail with
 * "outcome unknown", as they would anyway.
 *
 * <p>A proposal completes only once this replica has applied the entry too, not merely the leader:
 * the API answers a write with this replica's view right after it (the node as registered, the
 * applied index), and a follower that had not applied its own write yet answered a successful
 * registration with 404 and a release with an index below the release's own.
 */
final class RaftGateway implements CommandSubmitter.Proposer, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RaftGateway.class);

    private final Supplier<RaftClient> clients;
    private final LongFunction<CompletableFuture<Void>> appliedHere;
    private final AtomicReference<RaftClient> client;
    private volatile boolean closed;

    /**
     * @param appliedHere completes once this replica's state machine has applied the given Raft index
     */
    RaftGateway(Supplier<RaftClient> clients, LongFunction<CompletableFuture<Void>> appliedHere) {
        this.clients = clients;
        this.appliedHere = appliedHere;
        this.client = new AtomicReference<>(clients.get());
    }

    @Override
    public CompletableFuture<byte[]> propose(byte[] proposal, long deadlineMillis) {
        RaftClient current = client.get();
        if (closed) {
            return CompletableFuture.failedFuture(new ReplicaUnavailableException("the replica is closed", false, null));
        }
        return current.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(proposal)))
                .handle((reply, error) -> {
                    byte[] content = contentOf(current, reply, error);
                    return appliedHere.apply(reply.getLogIndex()).handle((applied, failure) -> {
                        if (failure != null) {
                            throw new CompletionException(new ReplicaUnavailableException("the entry was committed"
                                    + " but this replica stopped before applying it: " + unwrap(failure).getMessage(),
                                    true, failure));
                        }
                        return content;
                    });
                })
                .thenCompose(Function.identity());
    }

    private byte[] contentOf(RaftClient used, RaftClientReply reply, Throwable error) {
        Throwable failure = error != null ? unwrap(error) : reply.isSuccess() ? null : reply.getException();
        if (failure == null) {
            return reply.getMessage().getContent().toByteArray();
        }
        // A state machine refusal is an ordinary reply: nothing was written and the client is fine.
        // Any other failure reaching us means Ratis gave up on the call, which fails the client's whole
        // ordered window (the exception seen may be the last attempt's: NotLeader, timeout, closed channel).
        boolean refused = failure instanceof StateMachineException;
        if (!refused) {
            renew(used);
        }
        boolean mayHaveBeenApplied = !refused;
        throw new CompletionException(new ReplicaUnavailableException("the Raft call failed: " + failure.getMessage()
                + (mayHaveBeenApplied ? "; the outcome is unknown" : ""), mayHaveBeenApplied, failure));
    }

    private void renew(RaftClient poisoned) {
        if (closed || client.get() != poisoned) {
            return;
        }
        RaftClient fresh = clients.get();
        if (client.compareAndSet(poisoned, fresh)) {
            LOG.warn("Raft client {} gave up on a call and refuses further calls; replaced it with {}",
                    poisoned.getId(), fresh.getId());
            // Not on this thread: it may be one of the poisoned client's own.
            CompletableFuture.runAsync(() -> closeQuietly(poisoned));
        } else {
            closeQuietly(fresh);
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static void closeQuietly(RaftClient raftClient) {
        try {
            raftClient.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing Raft client {}", raftClient.getId(), e);
        }
    }

    RaftClient client() {
        return client.get();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(client.get());
    }
}
