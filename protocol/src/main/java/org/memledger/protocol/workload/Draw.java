package org.memledger.protocol.workload;

import java.util.SplittableRandom;

/** Integer-only draws from a {@link SplittableRandom}: inclusive ranges, log-uniform sizes, shares. */
final class Draw {
    private Draw() {
    }

    /** Uniform in {@code [lo, hi]}, both inclusive, for any {@code lo <= hi} with {@code lo > Long.MIN_VALUE}. */
    static long between(SplittableRandom random, long lo, long hi) {
        if (lo >= hi) {
            return lo;
        }
        return hi < Long.MAX_VALUE ? random.nextLong(lo, hi + 1) : random.nextLong(lo - 1, hi) + 1;
    }

    static int between(SplittableRandom random, int lo, int hi) {
        return (int) between(random, (long) lo, (long) hi);
    }

    /**
     * Log-uniform in {@code [lo, hi]} ({@code 1 <= lo <= hi}): first a bit length, then a value of that
     * length, so small and large sizes are equally common per power of two.
     */
    static long logUniform(SplittableRandom random, long lo, long hi) {
        int loBits = 64 - Long.numberOfLeadingZeros(lo);
        int hiBits = 64 - Long.numberOfLeadingZeros(hi);
        int bits = between(random, loBits, hiBits);
        long from = Math.max(lo, 1L << (bits - 1));
        long to = bits >= 63 ? hi : Math.min(hi, (1L << bits) - 1);
        return between(random, from, to);
    }

    /** True with probability {@code pct} percent. */
    static boolean pct(SplittableRandom random, int pct) {
        return random.nextInt(100) < pct;
    }

    /** An index drawn with the given relative weights (at least one positive). */
    static int weighted(SplittableRandom random, int[] weights) {
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int roll = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return i;
            }
        }
        throw new IllegalStateException("weights changed during the draw");
    }

    static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    /** {@code n} in decimal, left-padded with zeros to {@code width} (locale-free, unlike String.format). */
    static String padded(long n, int width) {
        String digits = Long.toString(n);
        StringBuilder out = new StringBuilder(Math.max(width, digits.length()));
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits).toString();
    }
}
