package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Sink#commit}: called with the state of a checkpoint only once that checkpoint is saved, on the
 * sink's thread between writes, at a graceful end before close, never for output no saved checkpoint
 * covers. The {@code txn} test sink keeps written records pending until a commit makes them visible, as a
 * Kafka transaction does.
 */
@Timeout(60)
class SinkCommitTest {
    private static final String PIPELINE = """
            name: cp
            sources: { in: { use: seq, with: { count: %d, chunk: 100 } } }
            processors: { p: { use: slow, from: in } }
            sinks: { out: { use: txn, from: p, with: { fail_commit: %s } } }
            %s
            runtime: { batch_size: 100, checkpoint_interval_ms: 20 }
            """;

    private final CheckpointStore store = new CheckpointStore(new MemoryStateStore());
    /** What the sink did, in order: write, checkpoint N, commit N, close. */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    /** States passed to commit that were not in the saved checkpoint at that moment. */
    private final List<String> unsaved = Collections.synchronizedList(new ArrayList<>());

    private final List<Record> visible = Collections.synchronizedList(new ArrayList<>());
    private volatile long delayMs = 1;
    /** With checkpoints, what a commit gets must be what the store holds at that moment. */
    private volatile boolean expectSaved = true;

    private final InProcessPlugins plugins = new InProcessPlugins()
            .processor("slow", () -> b -> {
                if (delayMs > 0) Thread.sleep(delayMs);
                return b;
            })
            .add(new TxnSink());
    private final Engine engine = TestEngines.withPlugins(plugins);

    @AfterEach
    void close() {
        engine.close();
    }

    private PipelineRun start(long count, boolean failCommit, String extra, RunOptions options) {
        return engine.start(TestEngines.plan(engine, PIPELINE.formatted(count, failCommit, extra)), options);
    }

    private RunOptions checkpointed() {
        return new RunOptions(store, true, "cp");
    }

    @Test
    void eachSavedCheckpointIsCommittedBeforeTheNextWriteAndTheEndCommitsBeforeClose() throws Exception {
        PipelineRun run = start(1_000_000, false, "", checkpointed());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> store.load("cp").map(Checkpoint::id).orElse(0L) >= 3);
        run.stop();
        assertThat(run.await().state()).isEqualTo(PipelineState.STOPPED);

        assertThat(unsaved).as("commit only for a saved checkpoint").isEmpty();
        List<String> seen = List.copyOf(events);
        assertThat(seen.stream().filter(e -> e.startsWith("commit")).count()).isGreaterThanOrEqualTo(3);
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).startsWith("commit")) {
                String n = seen.get(i).substring("commit ".length());
                assertThat(seen.get(i - 1))
                        .as("commit follows its checkpoint with no write between")
                        .isEqualTo("checkpoint " + n);
            }
        }
        assertThat(seen.subList(seen.size() - 3, seen.size()))
                .as("the end: the final checkpoint is committed, then the sink is closed")
                .containsExactly("checkpoint " + lastCheckpoint(seen), "commit " + lastCheckpoint(seen), "close");
        Checkpoint last = store.load("cp").orElseThrow();
        assertThat(((Number) last.sinks().get("out").get("written")).longValue())
                .isEqualTo(((Number) last.sources().get("in").get("next")).longValue())
                .isEqualTo(visible.size());
    }

    @Test
    void aCancelledRunLeavesWhatCameAfterTheLastCheckpointUncommitted() throws Exception {
        PipelineRun run = start(1_000_000, false, "", checkpointed());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> store.load("cp").map(Checkpoint::id).orElse(0L) >= 2);
        run.cancel(); // as a crash: no final checkpoint, so no final commit
        run.await();
        Checkpoint last = store.load("cp").orElseThrow();
        assertThat((long) visible.size())
                .isEqualTo(((Number) last.sinks().get("out").get("written")).longValue());
        assertThat(events).doesNotContain("commit " + (last.id() + 1));
    }

    @Test
    void withoutCheckpointsTheSinkCommitsOnceAtTheEnd() throws Exception {
        delayMs = 0;
        expectSaved = false;
        PipelineResult r = start(10_000, false, "", RunOptions.NONE).await();
        assertThat(unsaved).isEmpty();
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(visible).hasSize(10_000);
        assertThat(events.stream().filter(e -> e.startsWith("commit"))).containsExactly("commit 1");
        assertThat(events.subList(events.size() - 3, events.size()))
                .containsExactly("checkpoint 1", "commit 1", "close");
    }

    @Test
    void theFinalCommitWaitsForTheDeadLetterSinkWithoutDeadlock() throws Exception {
        delayMs = 0;
        PipelineResult r = start(
                        10_000,
                        false,
                        "policies: { errors: { on_error: dead-letter, dead_letter: { use: collect, with: { name: dlq } } } }",
                        checkpointed())
                .await();
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(visible).hasSize(10_000);
        assertThat(events.getLast()).isEqualTo("close");
        assertThat(events.get(events.size() - 2)).startsWith("commit");
    }

    @Test
    void aFailingCommitFailsTheRunAndKeepsTheCheckpointForTheNextRun() throws Exception {
        PipelineResult r = start(1_000_000, true, "", checkpointed()).await();
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure())
                .contains("sink 'out' could not commit its output at checkpoint 1")
                .contains("broker said no");
        assertThat(store.load("cp")).isPresent();
        assertThat(visible).isEmpty();
    }

    private static String lastCheckpoint(List<String> seen) {
        String n = null;
        for (String e : seen) if (e.startsWith("checkpoint ")) n = e.substring("checkpoint ".length());
        return n;
    }

    /** {@code txn}: writes stay pending until a commit makes them visible. */
    private final class TxnSink implements SinkFactory {
        @Override
        public String name() {
            return "txn";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .optional("fail_commit", ConfigType.BOOLEAN, false, "commit throws")
                    .build();
        }

        @Override
        public Sink create(PluginContext ctx) {
            boolean failCommit = ctx.config().getBoolean("fail_commit", false);
            return new Sink() {
                final List<Record> pending = new ArrayList<>();
                long written;
                long checkpoints;

                @Override
                public void write(RecordBatch batch, Rejections rejections) {
                    if (events.isEmpty() || !events.getLast().equals("write")) events.add("write");
                    pending.addAll(batch.records());
                    written += batch.size();
                }

                @Override
                public Map<String, Object> checkpoint() {
                    events.add("checkpoint " + ++checkpoints);
                    return Map.of("checkpoint", checkpoints, "written", written);
                }

                @Override
                public void commit(Map<String, Object> state) throws Exception {
                    long n = ((Number) state.get("checkpoint")).longValue();
                    events.add("commit " + n);
                    Map<String, Object> saved =
                            store.load("cp").map(c -> c.sinks().get("out")).orElse(null);
                    if (expectSaved && (saved == null || !normalized(saved).equals(normalized(state)))) {
                        unsaved.add(state + " (saved: " + saved + ")");
                    }
                    if (failCommit) throw new IllegalStateException("broker said no");
                    visible.addAll(pending);
                    pending.clear();
                }

                @Override
                public void close() {
                    events.add("close");
                }
            };
        }
    }

    private static Map<String, Long> normalized(Map<String, Object> state) {
        return Map.of(
                "checkpoint", ((Number) state.get("checkpoint")).longValue(),
                "written", ((Number) state.get("written")).longValue());
    }
}
