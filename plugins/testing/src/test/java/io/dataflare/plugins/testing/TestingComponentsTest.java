package io.dataflare.plugins.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.PluginFactory;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.sink.Rejections;
import io.dataflare.tck.SimplePluginContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestingComponentsTest {
    private static final Fields F = Fields.of("id", "status");
    private static final RecordBatch BATCH =
            RecordBatch.of(Record.of(F, 1L, "ok"), Record.of(F, 2L, "bad"), Record.of(F, 3L, "ok"));
    private static final Rejections NONE = new Rejections() {
        @Override
        public void reject(Record record, String reason) {
            throw new AssertionError(reason);
        }

        @Override
        public void reject(Record record, Throwable error) {
            throw new AssertionError(error);
        }
    };

    private static Processor processor(PluginFactory<Processor> f, Map<String, ?> config) throws Exception {
        return f.create(SimplePluginContext.of(f, config, null));
    }

    @Test
    void failRejectsMatchingRecordsAndPassesTheRest() throws Exception {
        RecordBatch out = processor(new FailFactory(), Map.of("field", "status", "equals", "bad"))
                .process(BATCH);
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(1L, 3L);
        assertThat(out.rejections()).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo("matched fail rule status=bad");
            assertThat(x.record().get("id")).isEqualTo(2L);
        });
    }

    @Test
    void failComparesTheValueRenderedAsAString() throws Exception {
        RecordBatch out = processor(new FailFactory(), Map.of("field", "id", "equals", "3"))
                .process(BATCH);
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(1L, 2L);
    }

    @Test
    void failInThrowModeFailsTheWholeCallOnlyWhenARecordMatches() throws Exception {
        Processor p = processor(new FailFactory(), Map.of("field", "status", "equals", "bad", "mode", "throw"));
        assertThatThrownBy(() -> p.process(BATCH))
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining("status=bad");
        assertThat(p.process(RecordBatch.of(BATCH.get(0))).size()).isEqualTo(1);
    }

    @Test
    void flakyFailsItsFirstCallsWithTheErrorClass() throws Exception {
        Processor p = processor(new FlakyFactory(), Map.of("failures", 2, "error_class", "timeout"));
        assertThatThrownBy(() -> p.process(BATCH)).isInstanceOfSatisfying(PluginException.class, e -> {
            assertThat(e.errorClass()).isEqualTo("timeout");
            assertThat(e.getMessage()).isEqualTo("flaky: failure 1 of 2");
        });
        assertThatThrownBy(() -> p.process(BATCH)).hasMessage("flaky: failure 2 of 2");
        assertThat(p.process(BATCH).records()).isEqualTo(BATCH.records());
        Processor other = processor(new FlakyFactory(), Map.of());
        assertThatThrownBy(() -> other.process(BATCH))
                .isInstanceOfSatisfying(
                        PluginException.class, e -> assertThat(e.errorClass()).isEqualTo("io"));
    }

    @Test
    void delaySleepsThenPassesRecordsThrough() throws Exception {
        Processor p = processor(new DelayFactory(), Map.of("per_batch_ms", 20, "per_record_us", 5000));
        long t0 = System.nanoTime();
        RecordBatch out = p.process(BATCH);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isGreaterThanOrEqualTo(35);
        assertThat(out.records()).isEqualTo(BATCH.records());
    }

    @Test
    void discardCountsAndDropsRecordsSlowlyWhenAsked() throws Exception {
        DiscardFactory f = new DiscardFactory();
        try (DiscardSink s = f.create(SimplePluginContext.of(f, Map.of("delay_ms", 15), null))) {
            long t0 = System.nanoTime();
            s.write(BATCH, NONE);
            s.write(BATCH, NONE);
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(30);
            assertThat(s.discarded()).isEqualTo(6);
        }
    }
}
