package org.memledger.coordinator.ledger;

import org.memledger.protocol.Result;

/**
 * What applying one log entry produced: the result, its canonical encoding (the Raft reply and
 * part of the state hash), and the state hash after it.
 */
public record AppliedEntry(long index, Result result, byte[] resultBytes, byte[] stateHash) {
}
