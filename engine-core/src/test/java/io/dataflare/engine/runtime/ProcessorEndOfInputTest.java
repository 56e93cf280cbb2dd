package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.Engine;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Processor#endOfInput} is called when a bounded input ends, and its records reach the sinks; not on a stop. */
@Timeout(60)
class ProcessorEndOfInputTest {
    private static final String PIPELINE = """
            name: totals
            sources: { in: { use: seq, with: { count: %d, keys: 3 } } }
            processors:
              total: { use: total, from: in, parallelism: 2 }
            sinks: { out: { use: collect, from: total, with: { name: out } } }
            runtime: { batch_size: 100 }
            """;

    private final AtomicLong seen = new AtomicLong();

    /** Holds every record back and emits, at the end of input, how many it saw. */
    private final InProcessPlugins plugins = new InProcessPlugins().processorOf("total", ctx -> new Processor() {
        long n;

        @Override
        public RecordBatch process(RecordBatch batch) {
            n += batch.size();
            seen.addAndGet(batch.size());
            return RecordBatch.EMPTY;
        }

        @Override
        public RecordBatch endOfInput() {
            return RecordBatch.of(Record.of(Fields.of("n"), n));
        }
    });

    private final Engine engine = TestEngines.withPlugins(plugins);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void eachInstanceEmitsWhatItHeldBackWhenTheInputEnds() throws Exception {
        PipelineResult r = engine.start(TestEngines.plan(engine, PIPELINE.formatted(1_000)))
                .await();
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("out")).hasSize(2);
        assertThat(plugins.collected("out").stream()
                        .mapToLong(rec -> rec.getLong("n"))
                        .sum())
                .isEqualTo(1_000);
    }

    @Test
    void aStoppedRunDoesNotEndItsInput() throws Exception {
        PipelineRun run = engine.start(TestEngines.plan(engine, PIPELINE.formatted(Long.MAX_VALUE)));
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.get() > 1_000);
        run.stop();
        assertThat(run.await().state()).isEqualTo(PipelineState.STOPPED);
        assertThat(plugins.collected("out")).as("nothing was flushed").isEmpty();
    }
}
