package org.memledger.nodeagent;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them on a command line: {@code 500ms}, {@code 5s}, {@code 1.5s},
 * {@code 1m}, {@code 2h}. A unit is required (a bare {@code 5} could mean seconds or millis) and
 * the value must be a whole number of milliseconds; arithmetic is exact.
 */
public final class Durations {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)\\s?(ms|s|m|h)");
    private static final Map<String, Long> MILLIS_PER_UNIT = Map.of("ms", 1L, "s", 1_000L, "m", 60_000L,
            "h", 3_600_000L);

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.strip();
        Matcher m = SYNTAX.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (examples: 500ms, 5s, 1.5s, 1m)");
        }
        BigDecimal millis = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(MILLIS_PER_UNIT.get(m.group(2))));
        try {
            return Duration.ofMillis(millis.longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + value + "' is not a whole number of milliseconds", e);
        }
    }
}
