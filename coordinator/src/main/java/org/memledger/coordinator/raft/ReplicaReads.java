package org.memledger.coordinator.raft;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.memledger.coordinator.ledger.LedgerViews;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Policy;
import org.memledger.protocol.Result;

/**
 * Reads of a replica's ledger. Local reads see this replica's applied state, which may trail the
 * leader by a few entries; each carries the ledger index it reflects. A linearizable read first runs
 * Raft's ReadIndex (a round to the leader and a heartbeat quorum), waits until this replica has
 * applied up to that index, then reads locally: it sees every write acknowledged before it began.
 *
 * <p>Readers run under the ledger's lock, between two entries: keep them short and do not let the
 * {@link LedgerViews} escape.
 */
public interface ReplicaReads {

    /** Reads the locally applied state. */
    <T> T read(Function<LedgerViews, T> reader);

    /** Reads the locally applied state, with the ledger index it reflects. */
    <T> Indexed<T> readIndexed(Function<LedgerViews, T> reader);

    /**
     * Reads after everything committed when the call began is applied here. Fails with a
     * {@link SubmitException} (deadline, no leader, shutting down).
     */
    <T> CompletableFuture<Indexed<T>> readLinearizable(Function<LedgerViews, T> reader, long timeoutMillis);

    /** Dry run of an admission against the local applied state: nothing is written. */
    Indexed<Result> check(Admit admit);

    /** The replicated policy as applied here. */
    Indexed<Policy> policy();

    ReplicaStatus status();
}
