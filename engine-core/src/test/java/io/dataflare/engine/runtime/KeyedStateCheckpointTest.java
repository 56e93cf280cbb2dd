package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.state.StateType;
import io.dataflare.api.state.ValueState;
import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.runtime.scale.ParallelismChange;
import io.dataflare.engine.state.EncryptionKeys;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.state.StateCipher;
import io.dataflare.engine.state.StateEncryption;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A running count per key survives a crash: the resumed run's state is the checkpoint's, not the crash's. */
@Timeout(90)
class KeyedStateCheckpointTest {
    private static final String PIPELINE = """
            name: counts
            sources: { in: { use: seq, with: { count: %d, keys: 50, chunk: 100 } } }
            processors:
              count: { use: counter, from: in, parallelism: %s, routing: { key: key } }
            sinks: { out: { use: collect, from: count, with: { name: out } } }
            runtime: { batch_size: 100, checkpoint_interval_ms: 20, state: { backend: %s } }
            """;
    private static final Fields OUT = Fields.of("key", "n");

    private volatile long delayMs;
    private String backend = "memory";
    private int parallelism = 2;
    private String parallelismYaml;

    /** Emits each record's key with how many records of that key it has seen, itself included. */
    private final InProcessPlugins plugins = new InProcessPlugins().processorOf("counter", ctx -> {
        ValueState<Long> seen = ctx.state().value("seen", StateType.longs());
        return batch -> {
            if (delayMs > 0) Thread.sleep(delayMs);
            RecordBatch.Builder b = RecordBatch.builder(batch.size());
            for (Record r : batch) {
                String key = r.getString("key");
                long n = seen.getOrDefault(key, 0L) + 1;
                seen.put(key, n);
                b.add(Record.of(OUT, key, n));
            }
            return b.build();
        };
    });

    private final Engine engine = TestEngines.withPlugins(plugins);

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        engine.close();
    }

    private PipelineRun start(CheckpointStore store, long count, long delayMs) {
        this.delayMs = delayMs;
        return engine.start(
                TestEngines.plan(
                        engine,
                        PIPELINE.formatted(count, parallelismYaml != null ? parallelismYaml : parallelism, backend)),
                new RunOptions(store, true, "counts"));
    }

    /** Per key, the counts 1..n each exactly once, n the key's records: no count lost, none doubled. */
    private static void assertExactCounts(List<Record> out, long count) {
        assertThat(out).hasSize((int) count);
        Map<String, List<Long>> byKey = new HashMap<>();
        for (Record r : out)
            byKey.computeIfAbsent(r.getString("key"), k -> new java.util.ArrayList<>())
                    .add(r.getLong("n"));
        assertThat(byKey).hasSize(50);
        byKey.forEach((k, ns) -> assertThat(ns)
                .as("counts of %s", k)
                .containsExactlyElementsOf(
                        Stream.iterate(1L, i -> i + 1).limit(count / 50).toList()));
    }

    private void crashAndResume(StateStore backing) throws Exception {
        CheckpointStore store = new CheckpointStore(backing);
        PipelineRun first = start(store, 50_000, 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("counts").map(Checkpoint::id).orElse(0L) >= 3);
        first.cancel(); // like a kill: no final checkpoint, the state went on past the last one
        first.await();
        Checkpoint cp = store.load("counts").orElseThrow();
        assertThat(cp.state())
                .as("the checkpoint names the state of both instances")
                .containsOnlyKeys("count/0", "count/1");

        PipelineRun second = start(store, 50_000, 0);
        assertThat(second.resumedFrom().id()).isEqualTo(cp.id());
        assertThat(second.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertExactCounts(plugins.collected("out"), 50_000);
    }

    @Test
    void aCrashedRunResumesWithTheCheckpointsStateInAFileStore() throws Exception {
        crashAndResume(new FileStateStore(dir));
        try (Stream<Path> left = Files.walk(dir.resolve("keyed-state"))) {
            assertThat(left.filter(Files::isRegularFile).toList())
                    .as("a completed run deletes its snapshots")
                    .isEmpty();
        }
    }

    @Test
    void aCrashedRunResumesWithTheCheckpointsRocksDbState() throws Exception {
        backend = "rocksdb";
        crashAndResume(new FileStateStore(dir));
        try (Stream<Path> left = Files.walk(dir)) {
            assertThat(left.filter(p -> p.toString().contains("keyed-state") && Files.isRegularFile(p))
                            .toList())
                    .as("a completed run deletes its snapshots and working databases")
                    .isEmpty();
        }
    }

    @Test
    void keyedStateSnapshotsBesideAnEncryptingFileStoreAreEncryptedAndResumeExactly() throws Exception {
        StateStore backing =
                StateEncryption.protect(new FileStateStore(dir), EncryptionKeys.of(EncryptionKeys.generate()));
        CheckpointStore store = new CheckpointStore(backing);
        PipelineRun first = start(store, 50_000, 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("counts").map(Checkpoint::id).orElse(0L) >= 3);
        first.cancel();
        first.await();
        List<Path> snapshots;
        try (Stream<Path> files = Files.walk(dir.resolve("keyed-state"))) {
            snapshots = files.filter(Files::isRegularFile).toList();
        }
        assertThat(snapshots).isNotEmpty().allSatisfy(p -> {
            byte[] bytes = Files.readAllBytes(p);
            // a snapshot still being written when the run ended may be an empty temporary file
            if (p.toString().endsWith(".tmp") && bytes.length == 0) return;
            assertThat(StateCipher.isEncrypted(bytes)).as("%s is encrypted", p).isTrue();
        });

        PipelineRun second = start(store, 50_000, 0);
        assertThat(second.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertExactCounts(plugins.collected("out"), 50_000);
    }

    @Test
    void aCrashedRunResumesWithTheCheckpointsStateInAMemoryStore() throws Exception {
        MemoryStateStore backing = new MemoryStateStore();
        crashAndResume(backing);
        assertThat(backing.list("keyed-state")).isEmpty();
    }

    @Test
    void anElasticStagesStateMovesWithItsKeyGroupsWhenRescaledAndWhenResumed() throws Exception {
        parallelismYaml = "{ min: 1, max: 4 }";
        CheckpointStore store = new CheckpointStore(new FileStateStore(dir));
        PipelineRun first = start(store, 50_000, 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("counts").map(Checkpoint::id).orElse(0L) >= 2);
        first.parallelism("count", new ParallelismChange(3, null, null, null)); // groups move to 2 more instances
        long after = store.load("counts").orElseThrow().id();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("counts").map(Checkpoint::id).orElse(0L) >= after + 3);
        first.cancel(); // a crash with the groups spread over 3 instances; the resumed run starts with 1
        first.await();

        PipelineRun second = start(store, 50_000, 0);
        assertThat(second.resumedFrom()).isNotNull();
        assertThat(second.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertExactCounts(plugins.collected("out"), 50_000);
    }

    @Test
    void aResumeWithAnotherParallelismIsRefusedWithTheReason() throws Exception {
        CheckpointStore store = new CheckpointStore(new MemoryStateStore());
        PipelineRun first = start(store, 1_000_000, 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("counts").map(Checkpoint::id).orElse(0L) >= 2);
        first.cancel();
        first.await();
        parallelism = 3;
        PipelineResult r = start(store, 1_000_000, 0).await();
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure())
                .contains(
                        "stage 'count' cannot resume from checkpoint",
                        "its keyed state was taken with 2 instances and it now has 3");
    }

    @Test
    void onlyTheLatestCheckpointsSnapshotsAreKept() throws Exception {
        CheckpointStore store = new CheckpointStore(new FileStateStore(dir));
        PipelineRun run = start(store, 1_000_000, 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("counts").map(Checkpoint::id).orElse(0L) >= 8);
        run.stop(); // saves a last checkpoint and takes no more
        assertThat(run.await().state()).isEqualTo(PipelineState.STOPPED);
        Checkpoint cp = store.load("counts").orElseThrow();
        List<String> named =
                cp.state().values().stream().flatMap(List::stream).sorted().toList();
        try (Stream<Path> files = Files.walk(dir.resolve("keyed-state"))) {
            List<String> onDisk = files.filter(Files::isRegularFile)
                    .map(p -> dir.resolve("keyed-state")
                            .resolve("counts")
                            .relativize(p)
                            .toString())
                    .sorted()
                    .toList();
            assertThat(onDisk).as("the files of earlier checkpoints are gone").isEqualTo(named);
        }
    }
}
