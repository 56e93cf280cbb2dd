package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart (CSV -> filter -> map -> JSON lines, bad rows to the dead letters) locally and on Flink. */
@Timeout(180)
class QuickstartOnFlinkIT {
    @Test
    void givesTheSameSummaryOutputAndDeadLettersAsALocalRun(@TempDir Path dir) throws Exception {
        Fixtures.copy(dir, "examples/quickstart.yaml", "examples/data/orders.csv");
        Path pipeline = dir.resolve("examples/quickstart.yaml");
        Path out = dir.resolve("examples/out/orders.jsonl");
        Path deadLetters = dir.resolve("examples/out/dead-letters.jsonl");
        List<Path> plugins = List.of(Fixtures.BUILT_INS);

        PipelineResult local = Fixtures.runLocally(pipeline, plugins);
        var localOut = Fixtures.jsonLines(out);
        var localDeadLetters = Fixtures.jsonLines(deadLetters, "failed_at");
        PipelineResult flink = Fixtures.runOnFlink(pipeline, plugins, null);

        assertThat(flink.failure()).isNull();
        assertThat(flink.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(Fixtures.counts(flink)).isEqualTo(Fixtures.counts(local));
        assertThat(flink.stats().recordsIn()).isEqualTo(10);
        assertThat(flink.stats().recordsOut()).isEqualTo(6);
        assertThat(flink.stats().deadLettered()).isEqualTo(2);
        assertThat(flink.stats().skipped()).isEqualTo(2);
        // one instance per stage: the same records in the same order
        assertThat(Fixtures.jsonLines(out)).isEqualTo(localOut).hasSize(6);
        assertThat(Fixtures.jsonLines(deadLetters, "failed_at"))
                .isEqualTo(localDeadLetters)
                .hasSize(2);
        assertThat(TaskPlans.loaded())
                .as("every task released the job's plugins")
                .isZero();
    }
}
