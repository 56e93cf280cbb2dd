package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void badTicksGoToTheDeadLettersWithTheReasonInBothLanguages() throws Exception {
        String good = StockTicks.HEADER + "\n2026-01-05T09:30:00Z,A,10.00,100\n2026-01-05T09:30:01Z,A,10.50,100\n";
        Path ticks = Files.writeString(
                dir.resolve("ticks.csv"),
                good + "2026-01-05T09:30:02Z,,10.25,100\n2026-01-05T09:30:03Z,A,10.123456789,100\n");
        Path expected = Files.writeString(dir.resolve("good.csv"), good);
        for (Path plugin : new Path[] {StockExample.JS, StockExample.WASM}) {
            Distribution.Cli r = run(ticks, plugin);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.json().get("dead_lettered").asLong())
                    .as(plugin.toString())
                    .isEqualTo(2);
            // the two bad ticks may reach the dead letters in either order (they may go to different instances)
            List<String> errors = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("out/indicators-dead-letters.jsonl")))
                errors.add(Distribution.JSON.readTree(line).get("error").asText());
            errors.sort(null);
            assertThat(errors).as(plugin.toString()).hasSize(2);
            assertThat(errors.get(0)).as(plugin.toString()).contains("no stock_code");
            assertThat(errors.get(1)).as(plugin.toString()).contains("price:").contains("at most 8 decimals");
            StockExample.assertSameAsReference(expected, dir.resolve("out/indicators"), plugin.toString());
        }
    }
}
