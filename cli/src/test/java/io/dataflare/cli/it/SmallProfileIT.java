package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small profile for edge devices: the packaged CLI with its heap capped at 64 MB runs the quickstart and a
 * 1,000,000-record CSV to JSON-lines pipeline under a memory budget ({@code runtime.memory_mb: 16}). Prints the
 * time and throughput of the large run.
 */
class SmallProfileIT {
    private static final List<String> SMALL = List.of("-Xmx64m", "-XX:+UseSerialGC");
    private static final int ROWS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void theQuickstartRunsIn64Mb() throws Exception {
        Path examples = Path.of("..", "examples");
        Files.createDirectories(dir.resolve("data"));
        Files.copy(examples.resolve("quickstart.yaml"), dir.resolve("quickstart.yaml"));
        Files.copy(examples.resolve("data/orders.csv"), dir.resolve("data/orders.csv"));
        Distribution.Cli r = Distribution.childJvm(
                SMALL, "run", dir.resolve("quickstart.yaml").toString(), "--json", "--state", "memory:");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("status").asText()).isEqualTo("COMPLETED");
        assertThat(r.json().get("records_out").asLong()).isEqualTo(6);
    }

    @Test
    void aMillionRecordCsvToJsonLinesPipelineRunsIn64Mb() throws Exception {
        Path csv = dir.resolve("readings.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("id,device,reading,unit,note\n");
            for (int i = 0; i < ROWS; i++) {
                w.write(i + ",device-" + (i % 500) + "," + (i % 1000) / 10.0 + ",celsius,reading number " + i + "\n");
            }
        }
        Path pipeline = Files.writeString(dir.resolve("small.yaml"), """
                name: small
                sources:
                  readings: { use: csv-file, with: { path: readings.csv, schema: { id: long, reading: double } } }
                processors:
                  scaled: { use: map, from: readings, with: { set: { fahrenheit: "reading * 1.8 + 32" } } }
                sinks:
                  out: { use: jsonl-file, from: scaled, with: { path: out/readings.jsonl } }
                runtime: { memory_mb: 16 }
                """);
        long t0 = System.nanoTime();
        Distribution.Cli r = Distribution.childJvm(SMALL, "run", pipeline.toString(), "--json", "--state", "memory:");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("records_out").asLong()).isEqualTo(ROWS);
        long lines = 0;
        String last = null;
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("out/readings.jsonl"))) {
            for (String l; (l = in.readLine()) != null; ) {
                lines++;
                last = l;
            }
        }
        assertThat(lines).isEqualTo(ROWS);
        assertThat(Distribution.JSON.readTree(last).get("id").asLong()).isEqualTo(ROWS - 1);
        System.out.printf(
                "small profile (-Xmx64m, runtime.memory_mb 16): %,d records CSV -> JSON lines in %.1f s (JVM start"
                        + " included; %,.0f records/s)%n",
                ROWS, seconds, ROWS / seconds);
    }
}
