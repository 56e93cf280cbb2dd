package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file source's glob is read as one split per file: the files spread over several readers and give the same
 * records and counts as a local run; when a task manager dies mid-job, each file resumes from its own checkpointed
 * position and every record is written exactly once.
 */
class FileSplitsIT {
    private static final int FILES = 6;
    private static final int ROWS = 5_000;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aGlobIsReadAsOneSplitPerFileByTwoReadersWithTheSameOutputAsLocally(@TempDir Path dir) throws Exception {
        writeFiles(dir);
        Path pipeline = pipeline(dir, 0);
        List<Path> plugins = List.of(Fixtures.BUILT_INS);

        PipelineResult local = Fixtures.runLocally(pipeline, plugins);
        List<JsonNode> localOut = sortedById(Fixtures.jsonLines(dir.resolve("out/all.jsonl")));
        try (Engine engine = Fixtures.engine(plugins)) {
            FlinkRunner runner = new FlinkRunner(engine.load(pipeline), plugins, null);
            JobVertex source = null;
            for (JobVertex v : runner.jobGraph().getVertices()) if (v.getName().contains("Source: in")) source = v;
            assertThat(source).as("the source's vertex").isNotNull();
            assertThat(source.getParallelism()).as("readers").isEqualTo(2);
        }
        PipelineResult flink = Fixtures.runOnFlink(pipeline, plugins, null);

        assertThat(flink.failure()).isNull();
        assertThat(Fixtures.counts(flink)).isEqualTo(Fixtures.counts(local));
        List<JsonNode> flinkOut = sortedById(Fixtures.jsonLines(dir.resolve("out/all.jsonl")));
        assertThat(flinkOut).hasSize(FILES * ROWS).isEqualTo(localOut);
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void eachFileResumesFromItsOwnPositionAfterATaskManagerDies(@TempDir Path dir) throws Exception {
        writeFiles(dir);
        Path pipeline = pipeline(dir, 60);
        List<Path> plugins = List.of(Fixtures.BUILT_INS);
        Path out = dir.resolve("out/all.jsonl");
        try (Engine engine = Fixtures.engine(plugins);
                MiniCluster cluster = MidJob.twoTaskManagers()) {
            cluster.start();
            FlinkRunner runner = new FlinkRunner(engine.load(pipeline), plugins, null);
            JobID job = runner.submit(cluster);
            MidJob.awaitOutput(
                    out, FILES * ROWS / 3, FILES * ROWS, Duration.ofSeconds(150), MidJob.running(cluster, job));
            cluster.terminateTaskManager(1).get();
            cluster.startTaskManager();

            PipelineResult result = runner.await(cluster, job);

            assertThat(result.failure()).isNull();
            assertThat(result.state()).isEqualTo(PipelineState.COMPLETED);
            assertThat(result.stats().recordsIn()).isEqualTo(FILES * ROWS);
        }
        List<JsonNode> written = Fixtures.jsonLines(out);
        Set<Long> ids = new HashSet<>();
        for (JsonNode n : written) ids.add(n.get("id").asLong());
        assertThat(ids).as("every record once").hasSize(FILES * ROWS);
        assertThat(written).as("no record twice").hasSize(FILES * ROWS);
        assertThat(TaskPlans.loaded()).isZero();
    }

    private static void writeFiles(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("in"));
        for (int f = 0; f < FILES; f++) {
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("in/part-" + f + ".csv"))) {
                w.write("id,key,amount\n");
                for (int i = 0; i < ROWS; i++) {
                    long id = (long) f * ROWS + i;
                    w.write(id + ",k" + (id % 13) + "," + (id % 97) + "\n");
                }
            }
        }
    }

    private static Path pipeline(Path dir, int delayUs) throws Exception {
        return Files.writeString(dir.resolve("files.yaml"), """
                name: files
                sources:
                  in: { use: csv-file, with: { path: "in/*.csv", schema: { id: long, amount: long } } }
                processors:
                  slow: { use: delay, from: in, parallelism: 2, routing: { key: key }, with: { per_record_us: %d } }
                sinks:
                  out: { use: jsonl-file, from: slow, with: { path: out/all.jsonl } }
                runtime: { batch_size: 100, checkpoint_interval_ms: 200 }
                """.formatted(delayUs));
    }

    private static List<JsonNode> sortedById(List<JsonNode> lines) {
        return lines.stream()
                .sorted(Comparator.comparingLong(n -> n.get("id").asLong()))
                .toList();
    }
}
