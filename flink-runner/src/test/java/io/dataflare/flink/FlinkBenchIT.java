package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs {@link FlinkBench} when asked ({@code -Dflink.bench.rows=N[,N...] [-Dflink.bench.rounds=R]}): the benchmark needs the
 * built-in plugin JARs, which exist here only after {@code package}. The table goes to the output and to
 * {@code target/flink-bench.md}.
 */
@EnabledIfSystemProperty(named = "flink.bench.rows", matches = "[0-9,]+")
class FlinkBenchIT {
    @Test
    void measures() throws Exception {
        Path table = Path.of("target", "flink-bench.md");
        Files.deleteIfExists(table);
        FlinkBench.main(new String[] {
            System.getProperty("flink.bench.rows"),
            System.getProperty("flink.bench.rounds", "3"),
            Fixtures.BUILT_INS.toString(),
            Path.of("target", "flink-bench").toString(),
            table.toString()
        });
        assertThat(table).isNotEmptyFile();
    }
}
