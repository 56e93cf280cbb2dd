package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MiniCluster with two task managers, one of which is shut down while the job writes its output: the job
 * restarts from its last checkpoint (the sink cuts its file back to it, the source seeks back) and the output
 * holds every record exactly once; the summary counts each record once too. Five times in a row, each
 * shutting down the other task manager, at another point of the output.
 */
class TaskManagerKillIT {
    private static final int RECORDS = 30_000;

    @RepeatedTest(5)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyRecordIsWrittenExactlyOnceAfterATaskManagerDies(RepetitionInfo repetition, @TempDir Path dir)
            throws Exception {
        int round = repetition.getCurrentRepetition();
        long killAt = RECORDS * (1 + round % 3) / 5L;
        Path pipeline = dir.resolve("crash.yaml");
        Files.writeString(pipeline, """
                name: crash
                sources:
                  gen: { use: generator, with: { count: %d, keys: 10 } }
                processors:
                  slow: { use: delay, from: gen, parallelism: 2, routing: { key: key }, with: { per_record_us: 100 } }
                sinks:
                  out: { use: jsonl-file, from: slow, with: { path: out/crash.jsonl } }
                runtime: { batch_size: 100, checkpoint_interval_ms: 200 }
                """.formatted(RECORDS));
        Path out = dir.resolve("out/crash.jsonl");
        List<Path> plugins = List.of(Fixtures.BUILT_INS);

        MiniClusterConfiguration config = new MiniClusterConfiguration.Builder()
                .setConfiguration(new Configuration())
                .setNumTaskManagers(2)
                .setNumSlotsPerTaskManager(1)
                .build();
        try (Engine engine = Fixtures.engine(plugins);
                MiniCluster cluster = new MiniCluster(config)) {
            cluster.start();
            FlinkRunner runner = new FlinkRunner(engine.load(pipeline), plugins, null);
            JobID job = runner.submit(cluster);
            // mid-job: after some output (and so some checkpoints), well before the end
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (lines(out) < killAt) {
                assertThat(cluster.getJobStatus(job).get().isGloballyTerminalState())
                        .as("the job ended early: %s", cluster.getJobStatus(job).get())
                        .isFalse();
                assertThat(System.nanoTime()).as("output started").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(lines(out)).isLessThan(RECORDS);
            cluster.terminateTaskManager(round % 2).get();
            cluster.startTaskManager();

            PipelineResult result = runner.await(cluster, job);

            assertThat(result.failure()).isNull();
            assertThat(result.state()).isEqualTo(PipelineState.COMPLETED);
            List<JsonNode> written = Fixtures.jsonLines(out);
            Set<Long> ids = new HashSet<>();
            for (JsonNode n : written) ids.add(n.get("id").asLong());
            assertThat(ids).as("every record once").hasSize(RECORDS);
            assertThat(written).as("no record twice").hasSize(RECORDS);
            assertThat(result.stats().recordsIn()).isEqualTo(RECORDS);
            assertThat(result.stats().recordsOut()).isEqualTo(RECORDS);
        }
        assertThat(TaskPlans.loaded()).isZero();
    }

    private static long lines(Path file) throws Exception {
        if (!Files.exists(file)) return 0;
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }
}
