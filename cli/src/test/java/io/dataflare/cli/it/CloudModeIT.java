package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataflare run --engine flink} and {@code runtime.engine: flink}: the pipeline as a Flink job. */
class CloudModeIT {
    @TempDir
    Path dir;

    private Path copyExample(String extraRuntime) throws Exception {
        Path examples = Path.of("..", "examples");
        Files.createDirectories(dir.resolve("data"));
        String yaml = Files.readString(examples.resolve("quickstart.yaml"));
        Files.writeString(
                dir.resolve("quickstart.yaml"),
                yaml.replace("  batch_size: 1000", "  batch_size: 1000\n" + extraRuntime));
        Files.copy(examples.resolve("data/orders.csv"), dir.resolve("data/orders.csv"));
        return dir.resolve("quickstart.yaml");
    }

    private static JsonNode withoutTimings(JsonNode summary) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) summary).remove("duration_ms");
        return summary;
    }

    @Test
    void theQuickstartOnFlinkPrintsTheSameSummaryAndOutputAsLocally() throws Exception {
        Path p = copyExample("");
        Distribution.Cli local = Distribution.cli("run", p.toString(), "--json", "--state", "memory:");
        assertThat(local.exit()).as(local.err()).isZero();
        List<String> localOut = Files.readAllLines(dir.resolve("out/orders.jsonl"));

        Distribution.Cli flink = Distribution.cli("run", p.toString(), "--engine", "flink", "--json");

        assertThat(flink.exit()).as(flink.err()).isZero();
        assertThat(withoutTimings(flink.json())).isEqualTo(withoutTimings(local.json()));
        assertThat(flink.json().get("records_in").asLong()).isEqualTo(10);
        assertThat(Files.readAllLines(dir.resolve("out/orders.jsonl")))
                .isEqualTo(localOut)
                .hasSize(6);
        assertThat(Files.readAllLines(dir.resolve("out/dead-letters.jsonl"))).hasSize(2);
    }

    @Test
    void runtimeEngineFlinkInTheFileRunsOnFlinkWhichRefusesWhatItCannotDo() throws Exception {
        Path p = copyExample("  engine: flink\n  stop_when_idle_ms: 1000");

        Distribution.Cli r = Distribution.cli("run", p.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err())
                .contains("quickstart.yaml")
                .contains("runtime.stop_when_idle_ms is not supported with --engine flink");
        assertThat(dir.resolve("out/orders.jsonl")).doesNotExist();
        // --engine local overrides the file: the same pipeline runs here
        Distribution.Cli local = Distribution.cli("run", p.toString(), "--engine", "local", "--state", "memory:");
        assertThat(local.exit()).as(local.err()).isZero();
    }

    @Test
    void parallelismAndClusterAreForTheFlinkEngineOnly() throws Exception {
        String p = copyExample("").toString();
        Distribution.Cli r = Distribution.cli("run", p, "--parallelism", "2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--parallelism is for the flink engine");
        Distribution.Cli f = Distribution.cli("run", p, "--engine", "local", "--flink", "h:1");
        assertThat(f.exit()).isEqualTo(2);
        assertThat(f.err()).contains("--flink is for the flink engine");
        // --flink means the flink engine; an address that is not one is refused before anything is submitted
        Distribution.Cli bad = Distribution.cli("run", p, "--flink", "no-port");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--flink takes the REST address of a Flink cluster as HOST:PORT, not 'no-port'");
    }
}
