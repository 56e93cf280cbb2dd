package io.dataflare.plugins.http;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** A {@code Retry-After} header's value: seconds, or an HTTP date. */
final class RetryAfter {
    private RetryAfter() {}

    /** Milliseconds to wait from {@code now}, or -1 when the value is absent or unreadable. */
    static long millis(String value, Instant now) {
        if (value == null || value.isBlank()) return -1;
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? -1 : Math.multiplyExact(seconds, 1000L);
        } catch (NumberFormatException | ArithmeticException e) {
            // not seconds: an HTTP date
        }
        try {
            Instant at =
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
