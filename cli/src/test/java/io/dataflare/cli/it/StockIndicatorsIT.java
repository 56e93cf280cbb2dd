package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/stock-indicators.yaml} through the CLI with the real plugin JARs, once with the JavaScript
 * processor (its default) and once with the Rust WASM module: every per-stock output file is, byte for byte, what
 * the plain-Java reference computes.
 */
class StockIndicatorsIT {
    @TempDir
    Path dir;

    private Distribution.Cli run(Path ticks, Path plugin) throws Exception {
        String yaml = Files.readString(StockExample.EXAMPLES.resolve("stock-indicators.yaml"));
        Path pipeline = dir.resolve("stock-indicators.yaml");
        Files.writeString(
                pipeline,
                StockExample.withVars(
                        yaml,
                        Map.of(
                                "TICKS", ticks.toAbsolutePath().toString(),
                                "INDICATORS", plugin.toAbsolutePath().toString())));
        StockExample.deleteTree(dir.resolve("out")); // each run's files alone
        return Distribution.cli("run", pipeline.toString(), "--json", "--state", "memory:");
    }

    private static void assertCompleted(Distribution.Cli r, long ticks) throws Exception {
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("records_in").asLong()).isEqualTo(ticks);
        assertThat(s.get("records_out").asLong()).isEqualTo(ticks);
        assertThat(s.get("dead_lettered").asLong()).isZero();
    }

    @Test
    void theSampleWithTheDefaultJavaScriptProcessorGivesTheReferenceFiles() throws Exception {
        String yaml = Files.readString(StockExample.EXAMPLES.resolve("stock-indicators.yaml"));
        Path sample = StockExample.EXAMPLES.resolve(StockExample.defaultOf(yaml, "TICKS"));
        assertThat(StockExample.EXAMPLES
                        .resolve(StockExample.defaultOf(yaml, "INDICATORS"))
                        .normalize())
                .as("the pipeline's default plugin is the JavaScript example")
                .isEqualTo(StockExample.JS.normalize());

        Distribution.Cli r = run(sample, StockExample.JS);

        assertCompleted(r, Files.readAllLines(sample).size() - 1);
        StockExample.assertSameAsReference(sample, dir.resolve("out/indicators"), "javascript, sample");
    }

    @Test
    void javaScriptAndWasmGiveTheReferenceFilesOnManyTicks() throws Exception {
        Path ticks = dir.resolve("ticks.csv");
        StockTicks.write(ticks, 50_000, 40, 7);

        assertCompleted(run(ticks, StockExample.JS), 50_000);
        StockExample.assertSameAsReference(ticks, dir.resolve("out/indicators"), "javascript");

        assertCompleted(run(ticks, StockExample.WASM), 50_000);
        StockExample.assertSameAsReference(ticks, dir.resolve("out/indicators"), "wasm");
    }
}
