package io.dataflare.plugins.transforms.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.tck.SimplePluginContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowJoinTest {
    private final JoinFactory factory = new JoinFactory();
    private final MutableClock clock = new MutableClock();
    private static final Fields CLICK = Fields.of("click_id", "ad");
    private static final Fields VIEW = Fields.of("view_id", "ad_id", "page");

    private static Record click(long id, String ad) {
        return Record.of(CLICK, id, ad).toBuilder().header("input", "clicks").build();
    }

    private static Record view(long id, String ad, String page) {
        return Record.of(VIEW, id, ad, page).toBuilder()
                .header("input", "views")
                .build();
    }

    private Processor join() {
        return factory.create(SimplePluginContext.of(
                        factory,
                        Map.of(
                                "stream",
                                "clicks",
                                "table",
                                "views",
                                "on",
                                Map.of("ad", "ad_id"),
                                "fields",
                                List.of("view_id", "page"),
                                "within_ms",
                                1000),
                        null)
                .withClock(clock));
    }

    private static List<String> pairs(RecordBatch b) {
        return b.records().stream()
                .map(r -> r.get("click_id") + "-" + r.get("view_id") + ":" + r.get("page"))
                .toList();
    }

    @Test
    void pairsRecordsOfEitherSideArrivingWithinTheWindowOnTheirKey() throws Exception {
        Processor p = join();
        assertThat(pairs(p.process(RecordBatch.of(view(1, "a", "home"), view(2, "b", "shop"), click(10, "a")))))
                .containsExactly("10-1:home");
        clock.advance(500);
        // a view after the click pairs with it too; two clicks of one ad each pair with the view
        assertThat(pairs(p.process(RecordBatch.of(click(11, "a"), view(3, "a", "cart")))))
                .containsExactly("11-1:home", "10-3:cart", "11-3:cart");
        clock.advance(700); // view 1 and click 10 are now 1200 ms old: out of the window
        assertThat(pairs(p.process(RecordBatch.of(click(12, "a"), view(4, "a", "end")))))
                .containsExactly("12-3:cart", "11-4:end", "12-4:end");
    }

    @Test
    void missingDoesNotApplyToAWindowedJoinAndTheWindowMustBePositive() {
        Map<String, Object> base = Map.of("stream", "clicks", "table", "views", "on", Map.of("ad", "ad_id"));
        assertThatThrownBy(() -> factory.validate(new PluginConfig(merge(base, Map.of("within_ms", 0L)))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("within_ms");
        assertThatThrownBy(() ->
                        factory.validate(new PluginConfig(merge(base, Map.of("within_ms", 10L, "missing", "drop")))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing")
                .hasMessageContaining("within_ms");
    }

    private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return m;
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(long ms) {
            now = now.plus(Duration.ofMillis(ms));
        }

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
            return now;
        }
    }
}
