package io.dataflare.workflow.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The five-field cron expressions of schedules, read as crontab(5) reads them, in UTC. */
class CronExpressionTest {
    static Instant at(String s) {
        return Instant.parse(s);
    }

    static List<String> next(String cron, String from, int n) {
        CronExpression c = CronExpression.parse(cron);
        List<String> out = new ArrayList<>();
        Instant t = at(from);
        for (int i = 0; i < n; i++) {
            t = c.next(t).orElseThrow();
            out.add(t.toString());
        }
        return out;
    }

    @Test
    void valuesRangesStepsAndListsInEveryField() {
        assertThat(next("*/15 * * * *", "2026-03-01T10:07:30Z", 3))
                .containsExactly("2026-03-01T10:15:00Z", "2026-03-01T10:30:00Z", "2026-03-01T10:45:00Z");
        assertThat(next("0 9-11 * * *", "2026-03-01T10:00:00Z", 3))
                .as("strictly after: 10:00 itself is not next")
                .containsExactly("2026-03-01T11:00:00Z", "2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z");
        assertThat(next("5,35 2 * * *", "2026-03-01T00:00:00Z", 2))
                .containsExactly("2026-03-01T02:05:00Z", "2026-03-01T02:35:00Z");
        assertThat(next("0 0 1 */3 *", "2026-01-15T00:00:00Z", 2))
                .containsExactly("2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z");
        assertThat(next("10/20 0 1 1 *", "2026-01-01T00:00:00Z", 3))
                .containsExactly("2026-01-01T00:10:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:50:00Z");
    }

    @Test
    void namesForMonthsAndDaysAndSundayAsZeroOrSeven() {
        // 2026-03-01 is a Sunday
        assertThat(next("0 12 * * MON-FRI", "2026-02-28T13:00:00Z", 2))
                .containsExactly("2026-03-02T12:00:00Z", "2026-03-03T12:00:00Z");
        assertThat(next("0 0 * * 7", "2026-02-27T00:00:00Z", 1)).containsExactly("2026-03-01T00:00:00Z");
        assertThat(next("0 0 * * sun", "2026-02-27T00:00:00Z", 1)).containsExactly("2026-03-01T00:00:00Z");
        assertThat(next("0 0 1 DEC *", "2026-03-01T00:00:00Z", 1)).containsExactly("2026-12-01T00:00:00Z");
    }

    @Test
    void bothDayFieldsRestrictedMatchEitherAndMacrosExpand() {
        // the 13th or a Friday: Fri 2026-03-06, then Fri the 13th
        assertThat(next("0 0 13 * FRI", "2026-03-01T00:00:00Z", 2))
                .containsExactly("2026-03-06T00:00:00Z", "2026-03-13T00:00:00Z");
        assertThat(next("@daily", "2026-03-01T10:00:00Z", 1)).containsExactly("2026-03-02T00:00:00Z");
        assertThat(next("@hourly", "2026-03-01T10:00:00Z", 1)).containsExactly("2026-03-01T11:00:00Z");
        assertThat(next("0 0 29 2 *", "2026-03-01T00:00:00Z", 1))
                .as("the next leap day")
                .containsExactly("2028-02-29T00:00:00Z");
    }

    @Test
    void badExpressionsNameTheFieldAndValue() {
        assertThatThrownBy(() -> CronExpression.parse("* * * *")).hasMessageContaining("has 4");
        assertThatThrownBy(() -> CronExpression.parse("60 * * * *")).hasMessageContaining("minute field '60'");
        assertThatThrownBy(() -> CronExpression.parse("* 5-2 * * *")).hasMessageContaining("hour field");
        assertThatThrownBy(() -> CronExpression.parse("* * * FOO *")).hasMessageContaining("month field 'FOO'");
        assertThatThrownBy(() -> CronExpression.parse("*/0 * * * *")).hasMessageContaining("minute field '*/0'");
        assertThatThrownBy(() -> CronExpression.parse("0 0 30 2 *")).hasMessageContaining("never matches");
        assertThatThrownBy(() -> CronExpression.parse("@often")).hasMessageContaining("unknown cron macro");
        assertThatThrownBy(() -> CronExpression.parse(" ")).hasMessageContaining("empty");
    }
}
