package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.state.StateLockedException;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CheckpointTest {
    private static final String PIPELINE = """
            name: cp
            sources: { in: { use: seq, with: { count: %d, chunk: 100 } } }
            processors: { p: { use: identity, from: in, parallelism: 2 } }
            sinks: { out: { use: collect, from: p, with: { name: out } } }
            runtime: { batch_size: 100, checkpoint_interval_ms: 20 }
            """;

    /** A slow first run and a fast resumed one differ in a processor only: the checkpoint fits both. */
    private volatile long delayMs;

    private final InProcessPlugins plugins = new InProcessPlugins().processor("identity", () -> b -> {
        if (delayMs > 0) Thread.sleep(delayMs);
        return b;
    });
    private final Engine engine = TestEngines.withPlugins(plugins);
    private final CheckpointStore store = new CheckpointStore(new MemoryStateStore());

    @AfterEach
    void close() {
        engine.close();
    }

    private PipelineRun start(long count, long delayMs, boolean resume) {
        this.delayMs = delayMs;
        return engine.start(TestEngines.plan(engine, PIPELINE.formatted(count)), new RunOptions(store, resume, "cp"));
    }

    private void assertExactlyOnce(List<Record> out, long count) {
        assertThat(out).hasSize((int) count);
        assertThat(out.stream().map(r -> r.getLong("id")).distinct().count()).isEqualTo(count);
    }

    @Test
    void aCrashedRunResumesFromItsLastCheckpointExactlyOnce() throws Exception {
        PipelineRun first = start(100_000, 1, true);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> store.load("cp").map(Checkpoint::id).orElse(0L) >= 3);
        first.cancel(); // like a kill: no final checkpoint, records after the last one may be written
        first.await();
        Checkpoint cp = store.load("cp").orElseThrow();
        long atCheckpoint = ((Number) cp.sources().get("in").get("next")).longValue();
        assertThat(((Number) cp.sinks().get("out").get("count")).longValue())
                .as("sink state matches the source position")
                .isEqualTo(atCheckpoint);
        assertThat(plugins.collected("out").size()).isGreaterThanOrEqualTo((int) atCheckpoint);

        PipelineRun second = start(100_000, 0, true);
        assertThat(second.resumedFrom().id()).isEqualTo(cp.id());
        PipelineResult r = second.await();
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(r.stats().recordsIn()).isEqualTo(100_000 - atCheckpoint);
        assertExactlyOnce(plugins.collected("out"), 100_000);
        assertThat(store.load("cp")).as("a completed run leaves no checkpoint").isEmpty();
    }

    @Test
    void aStoppedRunCheckpointsWhereItStoppedAndTheNextRunContinues() throws Exception {
        PipelineRun first = start(50_000, 1, true);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> plugins.collected("out").size() > 5_000);
        first.stop();
        assertThat(first.await().state()).isEqualTo(PipelineState.STOPPED);
        Checkpoint cp = store.load("cp").orElseThrow();
        assertThat(((Number) cp.sources().get("in").get("next")).intValue())
                .isEqualTo(plugins.collected("out").size());

        assertThat(start(50_000, 0, true).await().state()).isEqualTo(PipelineState.COMPLETED);
        assertExactlyOnce(plugins.collected("out"), 50_000);
    }

    @Test
    void startingOverDiscardsTheCheckpoint() throws Exception {
        PipelineRun first = start(50_000, 1, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.load("cp").isPresent());
        first.cancel();
        first.await();
        plugins.collected("out").clear();
        PipelineRun again = start(1_000, 0, false);
        assertThat(again.resumedFrom()).isNull();
        again.await();
        assertExactlyOnce(plugins.collected("out"), 1_000);
    }

    @Test
    void aPausedRunStillCheckpoints() throws Exception {
        PipelineRun run = start(1_000_000, 1, true);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> plugins.collected("out").size() > 1_000);
        run.pause();
        long before = store.load("cp").map(Checkpoint::id).orElse(0L);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> store.load("cp").map(Checkpoint::id).orElse(0L) > before + 2);
        Checkpoint cp = store.load("cp").orElseThrow();
        assertThat(((Number) cp.sinks().get("out").get("count")).longValue())
                .isEqualTo(((Number) cp.sources().get("in").get("next")).longValue());
        run.cancel();
        run.await();
    }

    @Test
    void aCheckpointOfAnotherPipelineIsNeverResumedAndTheRefusalChangesNothing() throws Exception {
        PipelineRun first = start(100_000, 1, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.load("cp").isPresent());
        first.cancel();
        first.await();
        Checkpoint before = store.load("cp").orElseThrow();
        int written = plugins.collected("out").size();

        String other = PIPELINE.formatted(100_000)
                .replace("name: out", "name: elsewhere")
                .replace("name: cp", "name: other");
        assertThatThrownBy(() -> engine.start(TestEngines.plan(engine, other), new RunOptions(store, true, "cp")))
                .isInstanceOf(CheckpointMismatchException.class)
                .hasMessageContaining("written by pipeline 'cp'")
                .hasMessageContaining("does not fit pipeline 'other'")
                .hasMessageContaining("sink 'out' changed")
                .hasMessageContaining("--from-start");
        assertThat(store.load("cp")).as("the refusal keeps the checkpoint").contains(before);
        assertThat(plugins.collected("elsewhere")).as("and writes nothing").isEmpty();
        assertThat(plugins.collected("out")).hasSize(written);

        // The refused run released the state: the pipeline the checkpoint belongs to resumes it.
        assertThat(start(100_000, 0, true).await().state()).isEqualTo(PipelineState.COMPLETED);
        assertExactlyOnce(plugins.collected("out"), 100_000);
    }

    @Test
    void aSecondRunOfThePipelineIsRefusedWhileTheFirstHoldsItsState() throws Exception {
        PipelineRun first = start(1_000_000, 1, true);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> plugins.collected("out").size() > 100);
        assertThatThrownBy(() -> start(1_000_000, 0, true))
                .isInstanceOf(StateLockedException.class)
                .hasMessageContaining("in use by another run")
                .hasMessageContaining("process " + ProcessHandle.current().pid());
        assertThatThrownBy(() -> start(1_000_000, 0, false))
                .as("also when starting over")
                .isInstanceOf(StateLockedException.class);
        first.stop();
        first.await();
        PipelineRun next = start(1_000_000, 0, true);
        assertThat(next.resumedFrom())
                .as("the first run's lock is gone with it")
                .isNotNull();
        next.cancel();
        next.await();
    }

    @Test
    void aCheckpointWrittenBeforeFingerprintsIsResumed() throws Exception {
        PipelineRun first = start(100_000, 1, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.load("cp").isPresent());
        first.cancel();
        first.await();
        Checkpoint cp = store.load("cp").orElseThrow();
        store.save(new Checkpoint(cp.id(), cp.pipeline(), cp.createdAt(), cp.sources(), cp.sinks(), null, null));
        assertThat(start(100_000, 0, true).await().state()).isEqualTo(PipelineState.COMPLETED);
        assertExactlyOnce(plugins.collected("out"), 100_000);
    }
}
