package io.dataflare.workflow.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron expression, {@code MINUTE HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK}, read at the wall time of UTC or of a given time zone, as crontab(5) reads
 * it (cron-utils' Unix definition): values, ranges, steps, lists, month and day names, Sunday as 0 or 7, and
 * {@code @yearly}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @hourly}. Errors name the field.
 */
public final class CronExpression {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final String[] FIELDS = {"minute", "hour", "day of month", "month", "day of week"};

    private final String text;
    private final ExecutionTime times;

    private CronExpression(String text, Cron cron) {
        this.text = text;
        this.times = ExecutionTime.forCron(cron);
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
        CronExpression c;
        try {
            c = new CronExpression(t, PARSER.parse(expanded).validate());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(wrongField(t, f) + e.getMessage(), e);
        }
        if (c.next(Instant.EPOCH.plus(366L * 30, ChronoUnit.DAYS)).isEmpty())
            throw new IllegalArgumentException("the cron expression '" + t + "' never matches a date");
        return c;
    }

    /** Which field is wrong: the first that does not parse with every other field {@code *}. */
    private static String wrongField(String text, String[] f) {
        for (int i = 0; i < f.length; i++) {
            String[] alone = {"*", "*", "*", "*", "*"};
            alone[i] = f[i];
            try {
                PARSER.parse(String.join(" ", alone)).validate();
            } catch (IllegalArgumentException e) {
                return "the " + FIELDS[i] + " field '" + f[i] + "' of '" + text + "': ";
            }
        }
        return "the cron expression '" + text + "': ";
    }

    @Override
    public String toString() {
        return text;
    }

    /** The first minute strictly after {@code after} that the expression matches (UTC), or empty if none comes. */
    public Optional<Instant> next(Instant after) {
        return next(after, ZoneOffset.UTC);
    }

    /**
     * The first minute strictly after {@code after} that the expression matches at the wall time of {@code zone}
     * (as cron-utils reads a wall time that a daylight-saving change skips or repeats), or empty if none comes.
     */
    public Optional<Instant> next(Instant after, java.time.ZoneId zone) {
        return times.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
    }
}
