package io.dataflare.plugins.transforms.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.tck.SimplePluginContext;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowTest {
    private static final Fields IN = Fields.of("user", "ts", "amount");
    private final WindowFactory factory = new WindowFactory();

    private static Record in(String user, long seconds, Object amount) {
        return Record.of(IN, user, Instant.ofEpochSecond(seconds), amount);
    }

    private Processor processor(Map<String, ?> config) {
        return factory.create(SimplePluginContext.of(factory, config, null));
    }

    /** window_start (s), window_end (s), and the listed fields of each output record. */
    private static List<String> rows(RecordBatch out, String... fields) {
        List<String> rows = new ArrayList<>();
        for (Record r : out) {
            StringBuilder s = new StringBuilder()
                    .append(r.get("key"))
                    .append(' ')
                    .append(r.getTimestamp("window_start").getEpochSecond())
                    .append('-')
                    .append(r.getTimestamp("window_end").getEpochSecond());
            for (String f : fields) s.append(' ').append(f).append('=').append(r.get(f));
            rows.add(s.toString());
        }
        return rows;
    }

    /** The README's example, record by record: out of order, late within the lateness (an update), too late. */
    @Test
    void theDocumentedExampleGivesTheDocumentedResults() throws Exception {
        Map<String, Object> config = Map.of(
                "type",
                "tumbling",
                "size_ms",
                10_000,
                "key",
                "user",
                "event_time",
                "ts",
                "watermark",
                Map.of("max_out_of_order_ms", 5_000),
                "allowed_lateness_ms",
                5_000,
                "aggregates",
                Map.of("n", "count()", "total", "sum(amount)"));
        List<Record> input = List.of(
                in("a", 1, 1L),
                in("b", 2, 10L),
                in("a", 12, 2L),
                in("a", 4, 3L), // out of order, before the watermark passes its window
                in("a", 16, 4L), // watermark 11 s: [0, 10) fires
                in("a", 8, 5L), // late but within the lateness: an update of [0, 10)
                in("a", 22, 6L), // watermark 17 s: [0, 10) is dropped (10 + 5 <= 17)
                in("a", 9, 7L), // too late: rejected
                in("a", 31, 8L)); // watermark 26 s: [10, 20) fires
        List<String> expected =
                List.of("a 0-10 n=2 total=4", "b 0-10 n=1 total=10", "a 0-10 n=3 total=9", "a 10-20 n=2 total=6");
        // the results do not depend on how the input is cut into batches
        for (int batchSize : new int[] {1, 2, 4, 9}) {
            try (Processor p = processor(config)) {
                List<String> got = new ArrayList<>();
                List<String> rejected = new ArrayList<>();
                for (int i = 0; i < input.size(); i += batchSize) {
                    RecordBatch out =
                            p.process(RecordBatch.of(input.subList(i, Math.min(input.size(), i + batchSize))));
                    got.addAll(rows(out, "n", "total"));
                    out.rejections().forEach(rj -> rejected.add(rj.record().get("amount") + ": " + rj.reason()));
                }
                assertThat(got).as("batches of %d", batchSize).containsExactlyElementsOf(expected);
                assertThat(rejected)
                        .singleElement()
                        .asString()
                        .startsWith("7: late record: event time 1970-01-01T00:00:09Z is behind the watermark "
                                + "1970-01-01T00:00:17Z by more than the allowed lateness (5000 ms)");
            }
        }
    }

    @Test
    void lateRecordsGoToTheNamedOutputLateWhenAsked() throws Exception {
        Map<String, Object> config = Map.of(
                "type", "tumbling",
                "size_ms", 10_000,
                "event_time", "ts",
                "late", "output",
                "aggregates", Map.of("n", "count()"));
        assertThat(factory.outputs(SimplePluginContext.of(factory, config, null).config()))
                .containsExactly("results", "late");
        try (Processor p = processor(config)) {
            RecordBatch out = p.process(RecordBatch.of(in("a", 1, 1L), in("a", 25, 1L), in("a", 3, 1L)));
            assertThat(out.size()).isEqualTo(2);
            assertThat(out.output(0)).isEqualTo("results");
            assertThat(out.get(0).get("n")).isEqualTo(1L);
            assertThat(out.get(0).get("key")).isNull();
            assertThat(out.output(1)).isEqualTo("late");
            assertThat(out.get(1).getTimestamp("ts")).isEqualTo(Instant.ofEpochSecond(3));
        }
    }

    @Test
    void slidingWindowsHoldEachRecordInEveryWindowCoveringIt() throws Exception {
        try (Processor p = processor(Map.of(
                "type",
                "sliding",
                "size_ms",
                10_000,
                "slide_ms",
                5_000,
                "event_time",
                "ts",
                "aggregates",
                Map.of("n", "count()", "lo", "min(amount)", "hi", "max(amount)"),
                "derived",
                Map.of("spread", "hi - lo")))) {
            RecordBatch out =
                    p.process(RecordBatch.of(in("a", 7, 3L), in("a", 2, 9L), in("a", 12, 5L), in("a", 40, 0L)));
            assertThat(rows(out, "n", "lo", "hi", "spread"))
                    .containsExactly(
                            "null 0-10 n=2 lo=3 hi=9 spread=6",
                            "null 5-15 n=2 lo=3 hi=5 spread=2",
                            "null 10-20 n=1 lo=5 hi=5 spread=0");
        }
    }

    @Test
    void sessionsOfAKeyMergeWhenARecordBridgesThem() throws Exception {
        try (Processor p = processor(Map.of(
                "type",
                "session",
                "gap_ms",
                5_000,
                "key",
                "user",
                "event_time",
                "ts",
                "watermark",
                Map.of("max_out_of_order_ms", 100_000),
                "aggregates",
                Map.of("n", "count()", "first", "first(amount)", "last", "last(amount)")))) {
            RecordBatch out = p.process(RecordBatch.of(
                    in("a", 1, 1L),
                    in("a", 3, 2L),
                    in("a", 12, 3L),
                    in("b", 2, 9L),
                    in("a", 6, 4L), // extends [1, 8) to [1, 11)
                    in("a", 10, 5L), // bridges [1, 11) and [12, 17)
                    in("a", 30, 6L),
                    in("a", 200, 7L))); // watermark 100 s: everything before fires
            assertThat(rows(out, "n", "first", "last"))
                    .containsExactlyInAnyOrder(
                            "a 1-17 n=5 first=1 last=3", "b 2-7 n=1 first=9 last=9", "a 30-35 n=1 first=6 last=6");
        }
    }

    @Test
    void countWindowsEmitEverySizeRecordsOfAKey() throws Exception {
        try (Processor p = processor(Map.of(
                "type", "count",
                "size", 2,
                "key", "user",
                "event_time", "ts",
                "aggregates", Map.of("avg", "avg(amount)")))) {
            RecordBatch out = p.process(
                    RecordBatch.of(in("a", 1, 1L), in("b", 2, 5L), in("a", 3, 2L), in("a", 4, 7L), in("b", 9, 6L)));
            assertThat(rows(out, "avg")).containsExactly("a 1-3 avg=1.5", "b 2-9 avg=5.5");
        }
    }

    @Test
    void theEndOfInputFiresTheWindowsStillOpenOnce() throws Exception {
        try (Processor tumbling = processor(Map.of(
                        "type",
                        "tumbling",
                        "size_ms",
                        10_000,
                        "key",
                        "user",
                        "event_time",
                        "ts",
                        "allowed_lateness_ms",
                        60_000,
                        "aggregates",
                        Map.of("n", "count()")));
                Processor count = processor(Map.of(
                        "type",
                        "count",
                        "size",
                        3,
                        "key",
                        "user",
                        "event_time",
                        "ts",
                        "aggregates",
                        Map.of("n", "count()")))) {
            RecordBatch in = RecordBatch.of(in("a", 1, 1L), in("a", 12, 1L), in("b", 13, 1L), in("a", 14, 1L));
            assertThat(rows(tumbling.process(in), "n")).containsExactly("a 0-10 n=1");
            assertThat(rows(tumbling.endOfInput(), "n"))
                    .as("[0, 10) fired already and is not repeated")
                    .containsExactlyInAnyOrder("a 10-20 n=2", "b 10-20 n=1");
            assertThat(rows(count.process(in), "n")).containsExactly("a 1-14 n=3");
            assertThat(rows(count.endOfInput(), "n"))
                    .as("the incomplete count window")
                    .containsExactly("b 13-13 n=1");
        }
    }

    @Test
    void decimalSumsAndAveragesStayExact() throws Exception {
        try (Processor p = processor(Map.of(
                "type",
                "tumbling",
                "size_ms",
                10_000,
                "event_time",
                "ts",
                "aggregates",
                Map.of("sum", "sum(amount)", "avg", "avg(amount)")))) {
            BigDecimal tenth = new BigDecimal("0.1");
            RecordBatch out = p.process(
                    RecordBatch.of(in("a", 1, tenth), in("a", 2, tenth), in("a", 3, tenth), in("a", 10, tenth)));
            assertThat(out.get(0).get("sum")).isEqualTo(new BigDecimal("0.3"));
            assertThat(out.get(0).get("avg")).isEqualTo(new BigDecimal("0.1"));
        }
    }

    @Test
    void processingTimeWindowsCloseByTheClock() throws Exception {
        MovableClock clock = new MovableClock();
        Map<String, Object> config = Map.of(
                "type", "tumbling", "size_ms", 1_000, "time", "processing", "aggregates", Map.of("n", "count()"));
        try (Processor p =
                factory.create(SimplePluginContext.of(factory, config, null).withClock(clock))) {
            clock.now = 100;
            assertThat(p.process(RecordBatch.of(in("a", 0, 1L), in("a", 0, 1L))).size())
                    .isZero();
            clock.now = 1_500;
            RecordBatch out = p.process(RecordBatch.of(in("a", 0, 1L)));
            assertThat(rows(out, "n")).containsExactly("null 0-1 n=2");
        }
    }

    @Test
    void aNumberAggregateOfTextRejectsTheRecordNamingTheField() throws Exception {
        try (Processor p = processor(Map.of(
                "type", "tumbling", "size_ms", 10, "event_time", "ts", "aggregates", Map.of("s", "sum(amount)")))) {
            RecordBatch out = p.process(RecordBatch.of(in("a", 1, "x")));
            assertThat(out.rejections())
                    .singleElement()
                    .satisfies(r -> assertThat(r.reason()).contains("sum(amount): 'x' is not a number"));
        }
    }

    @Test
    void badConfigurationsNameTheField() {
        assertThatThrownBy(() -> SimplePluginContext.of(
                        factory, Map.of("type", "tumbling", "aggregates", Map.of("n", "count()")), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("size_ms")
                .hasMessageContaining("is required for this window type");
        assertThatThrownBy(() -> SimplePluginContext.of(
                        factory,
                        Map.of(
                                "type",
                                "sliding",
                                "size_ms",
                                10,
                                "slide_ms",
                                20,
                                "aggregates",
                                Map.of("m", "median(x)")),
                        null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("slide_ms")
                .hasMessageContaining("aggregates.m")
                .hasMessageContaining("unknown aggregate 'median'");
        assertThatThrownBy(() -> SimplePluginContext.of(
                        factory,
                        Map.of(
                                "type", "session",
                                "gap_ms", 10,
                                "watermark", Map.of("max_ooo", 1),
                                "aggregates", Map.of("n", "count()"),
                                "derived", Map.of("d", "n +")),
                        null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("watermark.max_ooo")
                .hasMessageContaining("derived.d");
        assertThatThrownBy(() -> SimplePluginContext.of(
                        factory, Map.of("type", "count", "size", 2, "aggregates", Map.of()), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("aggregates");
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        long now;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }
    }
}
