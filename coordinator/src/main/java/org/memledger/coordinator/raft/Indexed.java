package org.memledger.coordinator.raft;

/**
 * A value read from a replica's ledger together with the ledger index it reflects (the index of the
 * last ledger entry applied when it was read; sent to HTTP clients as {@code X-Memledger-Index}).
 */
public record Indexed<T>(T value, long ledgerIndex) {
}
