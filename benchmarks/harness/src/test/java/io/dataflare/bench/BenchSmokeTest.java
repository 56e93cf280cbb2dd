package io.dataflare.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's rows all do the same job correctly (figures are not asserted: benchmarks are not tests). */
class BenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void baselineJacksonLoopCamelAndExtismProduceTheSameRecords() throws Exception {
        Path input = InputData.write(dir, 2_000);
        assertThat(Files.readAllLines(input)).hasSize(2_001).first().isEqualTo(InputData.HEADER);
        Path module = Path.of("../../sdk-examples/wasm/bench/bench-extism-1.0.0.wasm");
        for (Row row : List.of(new BaselineRow(), new JacksonLoopRow(), new CamelRow(), new ExtismRow(module))) {
            Path out = Files.createDirectories(dir.resolve(row.name()));
            assertThat(row.run(input, out)).as(row.name()).isEqualTo(2_000);
            try (var files = Files.list(out)) {
                List<String> lines = Files.readAllLines(files.findFirst().orElseThrow());
                assertThat(lines).as(row.name()).hasSize(2_000);
                @SuppressWarnings("unchecked")
                Map<String, Object> last =
                        new com.fasterxml.jackson.databind.ObjectMapper().readValue(lines.get(1999), Map.class);
                assertThat(((Number) last.get("n2")).longValue()).as(row.name()).isEqualTo(3998L);
                assertThat(last.get("id"))
                        .as(row.name() + " keeps numbers typed")
                        .isInstanceOf(Number.class);
            }
        }
    }

    @Test
    void lineCopyWritesTheInputBackByteForByte() throws Exception {
        Path input = InputData.write(dir, 2_000);
        Path out = Files.createDirectories(dir.resolve("line-copy"));
        assertThat(new LineCopyRow().run(input, out)).isEqualTo(2_000);
        assertThat(Files.mismatch(input, out.resolve("line-copy.csv"))).isEqualTo(-1L);
    }

    @Test
    void targetsCompareRowsMeasuredInTheSameRunAndSayWhichAreMet() {
        Map<String, Measurement> results = new java.util.LinkedHashMap<>();
        // records/s: line-copy 4 M, jackson-loop 0.5 M, engine-builtins 1.5 M, engine-java 2 M, wasm 1.5 M, python 0.5
        // M
        String[] names = {
            "line-copy", "jackson-loop", "engine-builtins", "engine-java", "engine-wasm-compiled", "engine-python"
        };
        long[] nanos = {250_000_000L, 2_000_000_000L, 666_666_667L, 500_000_000L, 666_666_667L, 2_000_000_000L};
        for (int i = 0; i < names.length; i++) {
            Measurement m = new Measurement(names[i], null);
            m.add(1_000_000, nanos[i], 1L << 20);
            results.put(names[i], m);
        }
        String targets = new Report(results, 1_000_000, 100_000_000, "JVM: test").targets();
        assertThat(targets.lines())
                .contains(
                        "| `engine-builtins` >= 2.0x `jackson-loop` | 3.00x | met |",
                        "| `engine-builtins` >= 0.5x `line-copy` | 0.37x | not met |",
                        "| `engine-java` >= 0.6x `line-copy` | 0.50x | not met |",
                        "| `engine-wasm-compiled` >= 0.7x `engine-java` | 0.75x | met |",
                        "| `engine-python` >= 0.3x `engine-java` | 0.25x | not met |")
                .noneMatch(l -> l.contains("engine-js"));
        results.remove("line-copy");
        assertThat(new Report(results, 1_000_000, 100_000_000, "JVM: test").targets())
                .as("a target whose peer row did not run is left out")
                .doesNotContain("line-copy")
                .contains("jackson-loop");
    }

    @Test
    void startupTableGivesMediansAgainstTheJvmFloorAndTheTargets() {
        List<StartupSuite.Command> commands = StartupSuite.commands("http://127.0.0.1:1");
        Map<String, List<Double>> seconds = new java.util.LinkedHashMap<>();
        for (StartupSuite.Command c : commands) seconds.put(c.name(), List.of(0.5, 0.3, 9.0, 0.3, 0.4));
        seconds.put("java -version", List.of(0.1, 0.1, 0.2, 0.1, 0.1));
        seconds.put("dataflare --version", List.of(0.2, 0.4, 0.3, 0.3, 0.9));
        String table = StartupSuite.table(commands, seconds);
        assertThat(table.lines())
                .contains("| `java -version` | 0.10 s | 0.10 - 0.20 s | 1.0x | (the floor) |  |")
                .contains("| `dataflare --version` | 0.30 s | 0.20 - 0.90 s | 3.0x | <= 0.35 s | met |")
                .contains("| `dataflare task list` | 0.40 s | 0.30 - 9.00 s | 4.0x | <= 0.35 s | not met |");
    }

    @Test
    void reportRatiosAndMarkdownSections() throws Exception {
        Measurement base = new Measurement("baseline", null);
        base.add(1_000_000, 1_000_000_000L, 10L << 20);
        Measurement java = new Measurement("engine-java", null);
        java.add(1_000_000, 1_250_000_000L, 20L << 20);
        Measurement js = new Measurement("engine-js", "the javascript plugin host is not installed");
        Report r = new Report(
                new java.util.LinkedHashMap<>(Map.of("baseline", base)) {
                    {
                        put("engine-java", java);
                        put("engine-js", js);
                    }
                },
                1_000_000,
                100_000_000,
                "JVM: test");
        assertThat(r.table()).contains("engine-java").contains("0.80x").contains("not installed");
        assertThat(r.json())
                .contains("\"name\":\"engine-java\"")
                .contains("\"ratio_to_baseline\":0.8")
                .contains("\"heap_peak_mb\":20");
        Path md = dir.resolve("BENCHMARKS.md");
        Files.writeString(
                md, "# Title\n\nkept text\n\n<!-- results:start -->\nold\n<!-- results:end -->\n\nmore kept text\n");
        Report.writeSection(md, "results", "new table\n");
        assertThat(Files.readString(md))
                .contains("kept text")
                .contains("new table")
                .contains("more kept text")
                .doesNotContain("old");
    }

    @Test
    void connectorReportComparesEachRowWithItsOwnBaseline() throws Exception {
        Map<String, Measurement> results = new java.util.LinkedHashMap<>();
        long[][] perRow = {
            {1_000_000, 1_000_000_000L},
            {1_000_000, 2_000_000_000L},
            {1_000_000, 500_000_000L},
            {1_000_000, 625_000_000L}
        };
        String[] names = {"baseline-kafka", "engine-kafka", "baseline-jdbc-postgres", "engine-csv-postgres"};
        for (int i = 0; i < names.length; i++) {
            Measurement m = new Measurement(names[i], null);
            m.add(perRow[i][0], perRow[i][1], 1L << 20);
            results.put(names[i], m);
        }
        Report r = new Report(results, 1_000_000, 100_000_000, "JVM: test", ConnectorSuite.BASELINES);
        List<String> lines = r.table().lines().toList();
        assertThat(lines.get(0)).doesNotContain("engine-java");
        assertThat(lines.get(2)).contains("baseline-kafka").contains("1.00x");
        assertThat(lines.get(3)).contains("engine-kafka").contains("0.50x");
        assertThat(lines.get(5)).contains("engine-csv-postgres").contains("0.80x");
        assertThat(r.json()).contains("\"ratio_to_baseline\":0.5").contains("\"ratio_to_baseline\":0.8");
        assertThat(lines).allSatisfy(l -> assertThat(l).hasSize(lines.get(0).length()));
    }

    @Test
    void theInterpreterRowsChildJvmIsThisOneWithTheGraalCompilerOnTheClassPath() {
        assertThat(ChildJvmRow.interpreterJvm(
                        List.of(
                                "-Xmx1g",
                                "-XX:+UnlockExperimentalVMOptions",
                                "-XX:+EnableJVMCI",
                                "--upgrade-module-path=/d/jit/compiler.jar:/d/jit/word.jar",
                                "-Ddataflare.graal.jit=true",
                                "-Ddataflare.home=/d"),
                        "/d/lib/a.jar"))
                .containsExactly(
                        "-Xmx1g",
                        "-XX:+UnlockExperimentalVMOptions",
                        "-Ddataflare.home=/d",
                        "-Dpolyglot.engine.WarnInterpreterOnly=false",
                        "-cp",
                        "/d/lib/a.jar:/d/jit/compiler.jar:/d/jit/word.jar");
    }
}
