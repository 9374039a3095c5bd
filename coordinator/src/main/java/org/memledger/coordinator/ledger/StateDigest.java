package org.memledger.coordinator.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The rolling state hash {@code h_i = SHA-256(h_(i-1) || index || entry || result)} (DESIGN §3.7).
 * Chaining inputs and outputs, rather than hashing the whole state, costs O(entry) per apply and
 * still exposes divergence at the first entry where two replicas answered differently. The entry
 * encoding is self-delimiting (its codec refuses trailing bytes), so the concatenation is unambiguous.
 */
final class StateDigest {
    static final int SIZE = 32;

    private final MessageDigest sha256;
    private final byte[] indexBytes = new byte[8];
    private byte[] current;

    StateDigest(byte[] initial) {
        Invariants.check(initial.length == SIZE, "state hash must be 32 bytes");
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
        current = initial.clone();
    }

    static StateDigest genesis() {
        return new StateDigest(new byte[SIZE]);
    }

    void chain(long index, byte[] entry, byte[] result) {
        for (int i = 7; i >= 0; i--) {
            indexBytes[7 - i] = (byte) (index >>> (8 * i));
        }
        sha256.update(current);
        sha256.update(indexBytes);
        sha256.update(entry);
        sha256.update(result);
        current = sha256.digest();
    }

    byte[] current() {
        return current.clone();
    }

    String hex() {
        return HexFormat.of().formatHex(current);
    }
}
