package org.memledger.coordinator.api;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every request has a deadline (DESIGN §5): {@code X-Request-Timeout} ({@code 1500} is
 * milliseconds; {@code 1500ms}, {@code 2s}, {@code 1m} say their unit), else the server's default.
 * A longer timeout than the server allows is cut to its maximum rather than refused: the client
 * asked for "at least this long" and gets as long as the server gives anyone.
 *
 * <p>The deadline starts when the request has been read, and what is left of it is what the gateway
 * gets as its timeout, so time spent queued on this replica is not granted twice.
 */
public final class RequestDeadline {
    public static final String HEADER = "X-Request-Timeout";
    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,9})(ms|s|m)?");

    private final LongSupplier nanoClock;
    private final long startNanos;
    private final long timeoutMillis;

    RequestDeadline(LongSupplier nanoClock, long startNanos, long timeoutMillis) {
        this.nanoClock = nanoClock;
        this.startNanos = startNanos;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The timeout a header value asks for, in ms, capped at {@code maxMillis}; {@code defaultMillis}
     * when the value is null.
     *
     * @throws ApiError 400 naming the header when the value is not a positive duration
     */
    static long parseTimeoutMillis(String value, long defaultMillis, long maxMillis, String field) {
        if (value == null) {
            return defaultMillis;
        }
        Matcher m = FORMAT.matcher(value.strip());
        if (!m.matches()) {
            throw ApiError.invalid(field, field + ": '" + truncate(value) + "' is not a timeout"
                    + " (milliseconds, or a number with ms, s or m: 1500, 2s)");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        long millis = switch (unit) {
            case "s" -> TimeUnit.SECONDS.toMillis(amount);
            case "m" -> TimeUnit.MINUTES.toMillis(amount);
            default -> amount;
        };
        if (millis <= 0) {
            throw ApiError.invalid(field, field + ": must be positive, was '" + truncate(value) + "'");
        }
        return Math.min(millis, maxMillis);
    }

    private static String truncate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }

    /** The timeout this request was given, in ms. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** What is left, in ms, never negative. */
    public long remainingMillis() {
        long elapsed = TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - startNanos);
        return Math.max(0, timeoutMillis - elapsed);
    }

    public boolean expired() {
        return remainingMillis() == 0;
    }
}
