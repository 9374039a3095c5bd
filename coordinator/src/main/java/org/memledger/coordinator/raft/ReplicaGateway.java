package org.memledger.coordinator.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import org.memledger.coordinator.api.GatewayException;
import org.memledger.coordinator.api.LedgerGateway;
import org.memledger.coordinator.api.ReplicaStatus;
import org.memledger.coordinator.ledger.LedgerViews;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Command;
import org.memledger.protocol.Result;

/**
 * Serves the HTTP API from a Raft {@link Replica}: writes go through the replica's group-commit
 * submitter, reads through its locally applied ledger. The only work here is translation: the
 * replica's failure types become the API's {@link GatewayException} kinds, so the API needs no
 * knowledge of Raft.
 */
public final class ReplicaGateway implements LedgerGateway {
    private final Replica replica;

    public ReplicaGateway(Replica replica) {
        this.replica = replica;
    }

    @Override
    public CompletableFuture<Result> submit(Command command, long timeoutMillis) {
        CompletableFuture<Result> submitted;
        try {
            submitted = replica.submit(command, timeoutMillis);
        } catch (SubmitException e) {
            return CompletableFuture.failedFuture(translate(e));
        }
        CompletableFuture<Result> answer = new CompletableFuture<>();
        submitted.whenComplete((result, failure) -> {
            if (failure == null) {
                answer.complete(result);
            } else {
                answer.completeExceptionally(translate(failure));
            }
        });
        return answer;
    }

    @Override
    public <T> ReadResult<T> read(Function<LedgerViews, T> query) {
        Indexed<T> read = replica.readIndexed(query);
        return new ReadResult<>(read.value(), read.ledgerIndex());
    }

    @Override
    public <T> CompletableFuture<ReadResult<T>> readLinearizable(Function<LedgerViews, T> query, long timeoutMillis) {
        CompletableFuture<ReadResult<T>> answer = new CompletableFuture<>();
        replica.readLinearizable(query, timeoutMillis).whenComplete((read, failure) -> {
            if (failure == null) {
                answer.complete(new ReadResult<>(read.value(), read.ledgerIndex()));
            } else {
                answer.completeExceptionally(translate(failure));
            }
        });
        return answer;
    }

    /** The state machine's last applied entry, read without its lock (a volatile field). */
    @Override
    public long appliedIndex() {
        return replica.status().appliedIndex();
    }

    @Override
    public ReadResult<Result> check(Admit admit) {
        Indexed<Result> checked = replica.check(admit);
        return new ReadResult<>(checked.value(), checked.ledgerIndex());
    }

    @Override
    public ReplicaStatus status() {
        org.memledger.coordinator.raft.ReplicaStatus status = replica.status();
        List<String> peers = new ArrayList<>(status.peers().size());
        for (Peer peer : status.peers()) {
            peers.add(peer.toString());
        }
        return new ReplicaStatus(status.replicaId(), status.role().name(), status.leaderId(), status.term(),
                status.appliedIndex(), status.stateHash(), peers);
    }

    private static GatewayException translate(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof GatewayException gateway) {
            return gateway;
        }
        if (cause instanceof OverloadedException) {
            return new GatewayException(GatewayException.Kind.OVERLOADED, cause.getMessage(), cause);
        }
        if (cause instanceof DeadlineExceededException) {
            return new GatewayException(GatewayException.Kind.TIMED_OUT, cause.getMessage(), cause);
        }
        return new GatewayException(GatewayException.Kind.UNAVAILABLE, String.valueOf(cause.getMessage()), cause);
    }
}
