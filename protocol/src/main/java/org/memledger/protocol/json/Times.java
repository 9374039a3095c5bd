package org.memledger.protocol.json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times in JSON: ISO-8601 UTC with exactly three fraction digits ({@code 2026-11-22T02:10:42.123Z}),
 * so that every time has one spelling and sorts as text. Ledger time is milliseconds since the epoch.
 */
public final class Times {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String format(long epochMillis) {
        return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }

    /** {@code null} for a negative time, which the read models use for "never". */
    public static String formatOrNull(long epochMillis) {
        return epochMillis < 0 ? null : format(epochMillis);
    }
}
