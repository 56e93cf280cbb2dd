package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The job the task manager crash tests run: generated records through a slow keyed stage of two instances into a
 * JSON-lines file, checkpointed every 200 ms; a task manager dies while it writes, at a point that depends on the
 * round, and the output must still hold every record exactly once.
 */
final class CrashJob {
    static final int RECORDS = 30_000;

    /** The pipeline file. */
    final Path pipeline;
    /** The file the job writes. */
    final Path out;
    /** Lines of output after which the task manager dies: at 1/5, 2/5 or 3/5 of the records, by round. */
    final long killAt;

    private CrashJob(Path pipeline, Path out, long killAt) {
        this.pipeline = pipeline;
        this.out = out;
        this.killAt = killAt;
    }

    /** Writes the pipeline into {@code dir} for round {@code round} (from 1). */
    static CrashJob write(Path dir, int round) throws IOException {
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
        return new CrashJob(pipeline, dir.resolve("out/crash.jsonl"), RECORDS * (1 + round % 3) / 5L);
    }

    /** Waits until the output reaches {@link #killAt} lines, as {@link MidJob#awaitOutput} does. */
    void awaitKillPoint(Duration within, MidJob.StillRunning stillRunning) throws Exception {
        MidJob.awaitOutput(out, killAt, RECORDS, within, stillRunning);
    }

    /** Checks that the job completed with every record in the output once, and counted once. */
    void assertEveryRecordOnce(PipelineResult result) throws IOException {
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
}
