package org.memledger.coordinator.ledger;

/**
 * Always-on assertions (they do not depend on {@code -ea}). A failed check means the ledger's own
 * logic is wrong, never that input was bad: bad input becomes a result. Failing loudly stops a
 * replica before it can diverge silently from its peers.
 */
public final class Invariants {
    private Invariants() {
    }

    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new LedgerInvariantViolation(message);
        }
    }

    /** Thrown when an invariant of the ledger does not hold. */
    public static final class LedgerInvariantViolation extends IllegalStateException {
        public LedgerInvariantViolation(String message) {
            super(message);
        }
    }
}
