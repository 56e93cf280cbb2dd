package io.dataflare.workflow.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron expression, {@code MINUTE HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK}, in UTC, as crontab(5) reads
 * it: each field {@code *}, a value, a range {@code A-B}, a step {@code *}{@code /S}, {@code A-B/S} or {@code A/S},
 * or a comma-separated list of these; months {@code 1-12} or {@code JAN-DEC}, days of the week {@code 0-7} (0 and 7
 * are Sunday) or {@code SUN-SAT}; and {@code @yearly}, {@code @monthly}, {@code @weekly}, {@code @daily},
 * {@code @hourly}. When both day fields are restricted, a day matching either runs (crontab's rule). Written here
 * because no cron library is among the project's dependencies; it is small and {@code CronExpressionTest} checks
 * it field by field.
 */
public final class CronExpression {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** How far {@link #next} looks: a leap day on a given weekday recurs within 28 years. */
    private static final int YEARS_AHEAD = 30;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronExpression(String text, String[] f) {
        this.text = text;
        this.minutes = field(f[0], "minute", 0, 59, List.of(), 0);
        this.hours = field(f[1], "hour", 0, 23, List.of(), 0);
        this.daysOfMonth = field(f[2], "day of month", 1, 31, List.of(), 0);
        this.months = field(f[3], "month", 1, 12, MONTHS, 1);
        BitSet dow = field(f[4], "day of week", 0, 7, DAYS, 0);
        if (dow.get(7)) dow.set(0);
        this.daysOfWeek = dow;
        this.anyDayOfMonth = f[2].equals("*") || f[2].equals("?");
        this.anyDayOfWeek = f[4].equals("*") || f[4].equals("?");
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the field and the value that is wrong, or saying that the
     *                                  expression never matches (such as {@code 0 0 30 2 *})
     */
    public static CronExpression parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("the cron expression is empty");
        String t = text.trim();
        String expanded = MACROS.getOrDefault(t.toLowerCase(Locale.ROOT), t);
        if (expanded.startsWith("@")) throw new IllegalArgumentException("unknown cron macro '" + t + "'");
        String[] f = expanded.split("\\s+");
        if (f.length != 5)
            throw new IllegalArgumentException("a cron expression has 5 fields (minute hour day-of-month month"
                    + " day-of-week), '" + t + "' has " + f.length);
        CronExpression c = new CronExpression(t, f);
        if (c.next(Instant.EPOCH.plus(366L * 30, ChronoUnit.DAYS)).isEmpty())
            throw new IllegalArgumentException("the cron expression '" + t + "' never matches a date");
        return c;
    }

    @Override
    public String toString() {
        return text;
    }

    /** The first minute strictly after {@code after} that the expression matches (UTC), or empty if none comes. */
    public Optional<Instant> next(Instant after) {
        ZonedDateTime t =
                after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int endYear = t.getYear() + YEARS_AHEAD;
        while (t.getYear() <= endYear) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
                continue;
            }
            if (!dayMatches(t.toLocalDate())) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
                continue;
            }
            if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            return Optional.of(t.toInstant());
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDate d) {
        boolean dom = daysOfMonth.get(d.getDayOfMonth());
        boolean dow = daysOfWeek.get(d.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth && anyDayOfWeek) return true;
        if (anyDayOfMonth) return dow;
        if (anyDayOfWeek) return dom;
        return dom || dow;
    }

    private static BitSet field(String spec, String name, int min, int max, List<String> names, int firstName) {
        BitSet bits = new BitSet(max + 1);
        for (String part : spec.split(",", -1)) {
            if (part.isEmpty()) throw problem(name, spec, "an empty list item");
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), name, spec, List.of(), 0);
                if (step < 1) throw problem(name, spec, "a step must be 1 or more");
            }
            int lo, hi;
            if (range.equals("*") || range.equals("?")) {
                lo = min;
                hi = max;
            } else if (range.contains("-")) {
                String[] ab = range.split("-", -1);
                if (ab.length != 2) throw problem(name, spec, "'" + range + "' is not a range A-B");
                lo = number(ab[0], name, spec, names, firstName);
                hi = number(ab[1], name, spec, names, firstName);
            } else {
                lo = number(range, name, spec, names, firstName);
                // N/S: from N to the end, every S
                hi = slash >= 0 ? max : lo;
            }
            if (lo < min || hi > max || lo > hi)
                throw problem(name, spec, "'" + range + "' is outside " + min + "-" + max + " or reversed");
            for (int v = lo; v <= hi; v += step) bits.set(v);
        }
        return bits;
    }

    private static int number(String s, String name, String spec, List<String> names, int firstName) {
        int i = names.indexOf(s.toUpperCase(Locale.ROOT));
        if (i >= 0) return i + firstName;
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw problem(name, spec, "'" + s + "' is not a number" + (names.isEmpty() ? "" : " or a name " + names));
        }
    }

    private static IllegalArgumentException problem(String field, String spec, String why) {
        return new IllegalArgumentException("cron " + field + " field '" + spec + "': " + why);
    }
}
