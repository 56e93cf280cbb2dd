package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.engine.Engine;
import io.dataflare.engine.replay.DeadLetter;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dead letters put back into the stage that failed them, in the run that is still going. */
@Timeout(60)
class InjectTest {
    /**
     * Until the test "fixes" it, the processor rejects the odd ids among the first hundred; it drops the endless
     * rest (the run must still be going when the dead letters are put back).
     */
    private final AtomicBoolean fixed = new AtomicBoolean();

    private final InProcessPlugins plugins = new InProcessPlugins().processor("picky", () -> b -> {
        RecordBatch.Builder out = RecordBatch.builder(b.size());
        for (Record r : b) {
            long id = r.getLong("id");
            if (id >= 100) continue;
            if (!fixed.get() && id % 2 == 1) out.reject(r, "odd ids are not supported yet");
            else out.add(r);
        }
        return out.build();
    });
    private final Engine engine = TestEngines.withPlugins(plugins);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void deadLettersPutBackAfterAFixReachTheSinkAndTheCountersStayBalanced() throws Exception {
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 100000000000 } } }
                processors: { p: { use: picky, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out, delay_ms: 1 } } }
                policies: { errors: { on_error: dead-letter, dead_letter: { use: collect, with: { name: dlq } } } }
                runtime: { batch_size: 10 }
                """));
        List<Record> out = plugins.collected("out");
        List<Record> dlq = plugins.collected("dlq");
        await().atMost(Duration.ofSeconds(20)).until(() -> out.size() == 50 && dlq.size() == 50);
        fixed.set(true);

        List<DeadLetter> letters = dlq.stream().map(DeadLetter::of).toList();
        assertThat(letters).allSatisfy(d -> assertThat(d.stage()).isEqualTo("p"));
        run.inject("p", letters.stream().map(DeadLetter::record).toList());

        await().atMost(Duration.ofSeconds(20)).until(() -> out.size() == 100);
        assertThat(out.stream().map(r -> r.getLong("id")).distinct()).hasSize(100);
        run.stop();
        PipelineResult r = run.await(Duration.ofSeconds(20));
        assertThat(r.stats().recordsOut()).isEqualTo(100);
        assertThat(out).hasSize(100);
        assertThat(r.stats().deadLettered()).isEqualTo(50);
        assertThat(r.stats().balanced()).as("put-back records count as derived").isTrue();
        assertThatThrownBy(() ->
                        run.inject("p", List.of(Record.builder().set("id", 1L).build())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("takes no records");
    }

    @Test
    void aSourceOrAnUnknownStageTakesNothing() throws Exception {
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 100000000 } } }
                sinks: { out: { use: collect, from: in, with: { name: endless, delay_ms: 1 } } }
                """));
        List<Record> one = List.of(Record.builder().set("id", 1L).build());
        assertThatThrownBy(() -> run.inject("in", one))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a source");
        assertThatThrownBy(() -> run.inject("nope", one))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no stage 'nope'");
        run.stop();
        run.await(Duration.ofSeconds(20));
    }
}
