package io.dataflare.plugins.transforms.dedupe;

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
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DedupeTest {
    private final DedupeFactory factory = new DedupeFactory();
    private static final Fields F = Fields.of("id", "user", "event");

    private static Record rec(long id, String user, String event) {
        return Record.of(F, id, user, event);
    }

    private static List<Object> ids(RecordBatch b) {
        return b.records().stream().map(r -> r.get("id")).toList();
    }

    @Test
    void keepsTheFirstRecordOfEachFieldKeyAcrossBatches() throws Exception {
        Processor p = factory.create(SimplePluginContext.of(factory, Map.of("key", List.of("user")), null));
        assertThat(ids(p.process(RecordBatch.of(rec(1, "ann", "a"), rec(2, "bob", "a"), rec(3, "ann", "b")))))
                .containsExactly(1L, 2L);
        assertThat(ids(p.process(RecordBatch.of(rec(4, "bob", "c"), rec(5, "cid", "c")))))
                .containsExactly(5L);
    }

    @Test
    void severalKeyFieldsMakeOneKey() throws Exception {
        Processor p = factory.create(SimplePluginContext.of(factory, Map.of("key", List.of("user", "event")), null));
        RecordBatch out = p.process(
                RecordBatch.of(rec(1, "ann", "a"), rec(2, "ann", "b"), rec(3, "ann", "a"), rec(4, "bob", "a")));
        assertThat(ids(out)).containsExactly(1L, 2L, 4L);
    }

    @Test
    void withoutKeyFieldsTheRecordKeyIsTheKeyAndARecordWithoutOneIsRejected() throws Exception {
        Processor p = factory.create(SimplePluginContext.of(factory, Map.of(), null));
        Record k1 = rec(1, "ann", "a").toBuilder().key("k1").build();
        Record k1again = rec(2, "bob", "b").toBuilder().key("k1").build();
        Record none = rec(3, "cid", "c");
        RecordBatch out = p.process(RecordBatch.of(k1, k1again, none));
        assertThat(ids(out)).containsExactly(1L);
        assertThat(out.rejections())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("has no key"));
    }

    @Test
    void aRecordMissingAKeyFieldIsRejectedNamingIt() throws Exception {
        Processor p = factory.create(SimplePluginContext.of(factory, Map.of("key", List.of("session")), null));
        RecordBatch out = p.process(RecordBatch.of(rec(1, "ann", "a")));
        assertThat(out.records()).isEmpty();
        assertThat(out.rejections())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("no field 'session'"));
    }

    @Test
    void aKeyIsForgottenTtlAfterItsFirstRecordNotItsLastDuplicate() throws Exception {
        MutableClock clock = new MutableClock();
        SimplePluginContext ctx = SimplePluginContext.of(factory, Map.of("key", List.of("user"), "ttl_ms", 1000), null)
                .withClock(clock);
        Processor p = factory.create(ctx);
        assertThat(ids(p.process(RecordBatch.of(rec(1, "ann", "a"))))).containsExactly(1L);
        clock.advance(600);
        assertThat(ids(p.process(RecordBatch.of(rec(2, "ann", "a"))))).isEmpty();
        clock.advance(600); // 1200 ms after the first: expired although the duplicate came 600 ms ago
        assertThat(ids(p.process(RecordBatch.of(rec(3, "ann", "a"))))).containsExactly(3L);
        assertThat(ids(p.process(RecordBatch.of(rec(4, "ann", "a"))))).isEmpty();
    }

    @Test
    void badConfigNamesTheField() {
        assertThatThrownBy(() -> factory.validate(new PluginConfig(Map.of("ttl_ms", 0L))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ttl_ms")
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> factory.validate(new PluginConfig(Map.of("key", List.of()))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key");
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(long ms) {
            now = now.plus(Duration.ofMillis(ms));
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
