package org.memledger.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Byte sizes as people write them ({@code 512Mi}, {@code 2GiB}, {@code 1.5G}, {@code 1e9}) and as
 * the ledger stores them (a {@code long} of bytes).
 *
 * <p>The grammar follows Kubernetes resource quantities, because pod specs are where most sizes
 * come from: binary suffixes {@code Ki Mi Gi Ti Pi Ei} are powers of 1024, decimal suffixes
 * {@code k M G T P E} powers of 1000, {@code 1e9} is an exponent, and suffixes are case-sensitive
 * (so {@code 1m}, a Kubernetes milli-unit, is refused: a thousandth of a byte is not a size).
 * Also accepted, because operators write them: a trailing {@code B} ({@code GiB}, {@code GB},
 * {@code B}), {@code K} for kilo, one space between number and unit, and surrounding whitespace.
 *
 * <p>Arithmetic is exact ({@link BigDecimal}, never floating point): {@code 1.5Gi} is exactly
 * 1610612736, and a value that is not a whole number of bytes ({@code 0.1Ki}) is an error rather
 * than a rounded guess. {@code parse(format(x)) == x} for every {@code x >= 0}.
 */
public final class ByteSize {
    /** Bounds the work a hostile text can cause; the longest sensible size is far shorter. */
    static final int MAX_TEXT_LENGTH = 64;
    /** Exponents beyond this are clamped: with at most 64 digits, the outcome no longer changes. */
    private static final int MAX_EXPONENT = 1_000_000;
    private static final String EXAMPLES = "(examples: 1048576, 512Mi, 2GiB, 1.5G)";
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private static final String[] BINARY_UNITS = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final String[] APPROX_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private static final Map<String, BigDecimal> MULTIPLIERS = Map.ofEntries(
            Map.entry("", BigDecimal.ONE), Map.entry("B", BigDecimal.ONE),
            Map.entry("Ki", binary(1)), Map.entry("KiB", binary(1)),
            Map.entry("Mi", binary(2)), Map.entry("MiB", binary(2)),
            Map.entry("Gi", binary(3)), Map.entry("GiB", binary(3)),
            Map.entry("Ti", binary(4)), Map.entry("TiB", binary(4)),
            Map.entry("Pi", binary(5)), Map.entry("PiB", binary(5)),
            Map.entry("Ei", binary(6)), Map.entry("EiB", binary(6)),
            Map.entry("k", decimal(3)), Map.entry("K", decimal(3)),
            Map.entry("kB", decimal(3)), Map.entry("KB", decimal(3)),
            Map.entry("M", decimal(6)), Map.entry("MB", decimal(6)),
            Map.entry("G", decimal(9)), Map.entry("GB", decimal(9)),
            Map.entry("T", decimal(12)), Map.entry("TB", decimal(12)),
            Map.entry("P", decimal(15)), Map.entry("PB", decimal(15)),
            Map.entry("E", decimal(18)), Map.entry("EB", decimal(18)));

    private ByteSize() {
    }

    public static long parse(String text) {
        return parse(null, text);
    }

    /**
     * Parses {@code text} as a non-negative whole number of bytes.
     *
     * @param field named in error messages (for example {@code "firm"}); may be null
     * @throws ByteSizeException naming the field and the text when the text is not a valid size
     */
    public static long parse(String field, String text) {
        String prefix = field == null || field.isEmpty() ? "" : field + ": ";
        if (text == null || text.isBlank()) {
            throw new ByteSizeException(field, text, prefix + "a byte size is required " + EXAMPLES);
        }
        String trimmed = text.strip();
        if (trimmed.length() > MAX_TEXT_LENGTH) {
            throw new ByteSizeException(field, text, prefix + "'" + trimmed.substring(0, 20) + "...' is too long ("
                    + trimmed.length() + " characters) to be a byte size " + EXAMPLES);
        }
        BigDecimal value = new Parser(trimmed).value();
        if (value == null) {
            throw new ByteSizeException(field, text, prefix + "'" + trimmed + "' is not a byte size " + EXAMPLES);
        }
        if (value.signum() < 0) {
            throw new ByteSizeException(field, text, prefix + "'" + trimmed + "' must not be negative");
        }
        if (value.compareTo(LONG_MAX) > 0) {
            throw new ByteSizeException(field, text, prefix + "'" + trimmed + "' is too large (at most "
                    + Long.MAX_VALUE + " bytes, just under 8Ei)");
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            // Show the exact value when it is short enough to read (not for 1e-999999).
            String exact = value.scale() <= MAX_TEXT_LENGTH
                    ? " (" + value.stripTrailingZeros().toPlainString() + ")" : "";
            throw new ByteSizeException(field, text,
                    prefix + "'" + trimmed + "' is not a whole number of bytes" + exact);
        }
    }

    /**
     * The exact size in the largest binary unit that divides it ({@code 512Mi}, {@code 1536Mi}),
     * else plain bytes ({@code 1000}). Negative values get a leading minus (which {@link #parse}
     * refuses: they are not sizes, but a report may still need to show one).
     */
    public static String format(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        int unit = Math.min(Long.numberOfTrailingZeros(bytes) / 10, BINARY_UNITS.length - 1);
        // Arithmetic shift: exact, because the low 10·unit bits are zero, and right for negatives.
        return (bytes >> (10 * unit)) + BINARY_UNITS[unit];
    }

    /**
     * A rounded size for tables: two decimals in the largest binary unit not above it, rounded half
     * up ({@code 1.50 GiB}); below 1 KiB, whole bytes ({@code 512 B}). Integer arithmetic only.
     */
    public static String formatApprox(long bytes) {
        BigInteger magnitude = BigInteger.valueOf(bytes).abs();
        String sign = bytes < 0 ? "-" : "";
        if (magnitude.compareTo(BigInteger.valueOf(1024)) < 0) {
            return sign + magnitude + " B";
        }
        int unit = Math.min((magnitude.bitLength() - 1) / 10, APPROX_UNITS.length - 1);
        long hundredths = roundedHundredths(magnitude, unit);
        if (hundredths >= 1024 * 100 && unit < APPROX_UNITS.length - 1) {
            // 1023.995 KiB rounds to 1024.00 KiB: say 1.00 MiB instead.
            unit++;
            hundredths = roundedHundredths(magnitude, unit);
        }
        long fraction = hundredths % 100;
        return sign + hundredths / 100 + "." + (fraction < 10 ? "0" : "") + fraction + " " + APPROX_UNITS[unit];
    }

    /** round_half_up(magnitude · 100 / 1024^unit), exactly. */
    private static long roundedHundredths(BigInteger magnitude, int unit) {
        int shift = 10 * unit;
        return magnitude.multiply(BigInteger.valueOf(100)).add(BigInteger.ONE.shiftLeft(shift - 1))
                .shiftRight(shift).longValueExact();
    }

    private static BigDecimal binary(int power) {
        return new BigDecimal(BigInteger.ONE.shiftLeft(10 * power));
    }

    private static BigDecimal decimal(int power) {
        return BigDecimal.ONE.scaleByPowerOfTen(power);
    }

    /**
     * One pass over {@code [+-] digits [. digits] ( (e|E) [+-] digits | [ ] unit )}. Returns the exact
     * value, or null when the text does not match (the caller words the error).
     */
    private static final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        BigDecimal value() {
            boolean negative = peek() == '-';
            if (peek() == '-' || peek() == '+') {
                position++;
            }
            String whole = digits();
            String fraction = "";
            if (peek() == '.') {
                position++;
                fraction = digits();
            }
            if (whole.isEmpty() && fraction.isEmpty()) {
                return null;
            }
            BigDecimal number = new BigDecimal((whole.isEmpty() ? "0" : whole) + "." + fraction + "0");
            if (negative) {
                number = number.negate();
            }
            if (isExponent()) {
                position++;
                Integer exponent = exponent();
                return exponent == null || position != text.length() ? null : number.scaleByPowerOfTen(exponent);
            }
            String unit = text.substring(position);
            if (unit.startsWith(" ")) {
                unit = unit.substring(1);
                if (unit.isEmpty()) {
                    return null;
                }
            }
            BigDecimal multiplier = MULTIPLIERS.get(unit);
            return multiplier == null ? null : number.multiply(multiplier);
        }

        /** {@code e3} or {@code E-2} is an exponent; a bare {@code E} (exa) or {@code EB} is a unit. */
        private boolean isExponent() {
            char c = peek();
            if (c != 'e' && c != 'E') {
                return false;
            }
            char next = peek(1);
            return isDigit(next) || ((next == '+' || next == '-') && isDigit(peek(2)));
        }

        private Integer exponent() {
            boolean negative = peek() == '-';
            if (peek() == '-' || peek() == '+') {
                position++;
            }
            String digits = digits();
            if (digits.isEmpty()) {
                return null;
            }
            int value = 0;
            for (int i = 0; i < digits.length(); i++) {
                value = Math.min(MAX_EXPONENT, value * 10 + (digits.charAt(i) - '0'));
            }
            return negative ? -value : value;
        }

        private String digits() {
            int start = position;
            while (isDigit(peek())) {
                position++;
            }
            return text.substring(start, position);
        }

        private char peek() {
            return peek(0);
        }

        private char peek(int ahead) {
            int at = position + ahead;
            return at < text.length() ? text.charAt(at) : '\0';
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
