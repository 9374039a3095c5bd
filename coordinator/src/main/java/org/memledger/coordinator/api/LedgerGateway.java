package org.memledger.coordinator.api;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.memledger.coordinator.ledger.LedgerViews;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Command;
import org.memledger.protocol.Result;

/**
 * What the HTTP API needs from a replica: write a command through the log, read the local
 * applied state (optionally linearizable), dry-run an admission, and describe the replica.
 * The Raft replica implements it; so does an embedded single ledger for fast API tests.
 */
public interface LedgerGateway {

    /**
     * Submits a validated command to the log. Completes with the command's own result once the
     * entry is applied locally, exceptionally with {@link GatewayException} (overloaded, timed
     * out, not available).
     *
     * @param timeoutMillis what is left of the caller's deadline
     */
    CompletableFuture<Result> submit(Command command, long timeoutMillis);

    /** Reads the locally applied state; {@code ReadResult.ledgerIndex} is the applied index it saw. */
    <T> ReadResult<T> read(Function<LedgerViews, T> query);

    /** Like {@link #read} but only after this replica has applied everything committed when the call began. */
    <T> CompletableFuture<ReadResult<T>> readLinearizable(Function<LedgerViews, T> query, long timeoutMillis);

    /**
     * The applied index now (at least that of any write that has just completed here). The default
     * is a read; a replica answers without taking the state machine's lock, so an answer rendered on
     * an event loop never waits for an entry being applied.
     */
    default long appliedIndex() {
        return read(views -> Boolean.TRUE).ledgerIndex();
    }

    /** Decides an admission against the local applied state without writing anything. */
    ReadResult<Result> check(Admit admit);

    ReplicaStatus status();

    /** A read together with the applied log index it reflects (sent as {@code X-Memledger-Index}). */
    record ReadResult<T>(T value, long ledgerIndex) {
    }
}
