package org.memledger.coordinator.ledger;

import java.util.Arrays;

import org.memledger.protocol.codec.BinaryReader;

/**
 * The part of a ledger snapshot that is state: everything except the applied index and the rolling
 * hash, which record <em>how</em> a ledger got somewhere rather than <em>where</em> it is. Two ledgers
 * whose logs differ only in commands that should change nothing must agree on these bytes.
 * The snapshot header is {@code magic, version, varint appliedIndex, zigzag nowMillis, 32-byte hash}.
 */
final class LedgerState {
    private LedgerState() {
    }

    /** {@code nowMillis} followed by the whole snapshot body after the hash. */
    static byte[] of(Ledger ledger) {
        return withoutIndexAndHash(ledger.snapshot());
    }

    static byte[] withoutIndexAndHash(byte[] snapshot) {
        BinaryReader in = new BinaryReader(snapshot);
        in.readByte("magic");
        in.readByte("version");
        in.readVarLong("appliedIndex");
        int timeStart = in.position();
        in.readZigZagLong("nowMillis");
        int hashStart = in.position();
        int bodyStart = hashStart + StateDigest.SIZE;
        byte[] time = Arrays.copyOfRange(snapshot, timeStart, hashStart);
        byte[] state = Arrays.copyOf(time, time.length + snapshot.length - bodyStart);
        System.arraycopy(snapshot, bodyStart, state, time.length, snapshot.length - bodyStart);
        return state;
    }
}
