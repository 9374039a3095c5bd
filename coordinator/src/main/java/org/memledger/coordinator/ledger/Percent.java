package org.memledger.coordinator.ledger;

/**
 * Whole-percent shares of byte counts in exact integer arithmetic. Splitting the value before
 * multiplying keeps every intermediate below {@code Long.MAX_VALUE} for any non-negative value.
 */
final class Percent {
    private Percent() {
    }

    /** {@code ceil(value * pct / 100)}: used where rounding up is the conservative choice. */
    static long ceil(long value, int pct) {
        Invariants.check(value >= 0 && pct >= 0 && pct <= 100, "percent of a negative value or bad pct");
        long whole = (value / 100) * pct;
        long part = (value % 100) * pct;
        return whole + (part + 99) / 100;
    }

    /** {@code value * 10000 / total} rounded down, 0 when total is 0. */
    static long basisPoints(long value, long total) {
        if (total <= 0 || value <= 0) {
            return 0;
        }
        return java.math.BigInteger.valueOf(value).multiply(java.math.BigInteger.valueOf(10_000))
                .divide(java.math.BigInteger.valueOf(total)).longValueExact();
    }
}
