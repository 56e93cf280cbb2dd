package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parquet-file and avro-file sources and sinks through the CLI with the real plugin JAR (Parquet's Hadoop
 * classes in the plugin's class loader): the csv-to-parquet example, and pipelines killed with SIGKILL at random
 * moments and resumed, after which every record is in the output exactly once.
 */
class ColumnarFilesIT {
    private static final int RECORDS = 300_000;

    @TempDir
    Path dir;

    @Test
    void csvToParquetExampleKeepsDecimalsExactAndDeadLettersTheBadRows() throws Exception {
        Path examples = Path.of("..", "examples");
        Files.createDirectories(dir.resolve("data"));
        Files.copy(examples.resolve("csv-to-parquet.yaml"), dir.resolve("csv-to-parquet.yaml"));
        Files.copy(examples.resolve("data/orders.csv"), dir.resolve("data/orders.csv"));
        Distribution.Cli r =
                Distribution.cli("run", dir.resolve("csv-to-parquet.yaml").toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("sinks").get("parquet").asLong()).isEqualTo(8);
        assertThat(s.get("dead_lettered").asLong()).isEqualTo(2);

        Path back = Files.writeString(dir.resolve("back.yaml"), """
                name: back
                sources:
                  in: { use: parquet-file, with: { path: out/orders.parquet } }
                sinks:
                  out: { use: jsonl-file, from: in, with: { path: out/orders.jsonl } }
                """);
        Distribution.Cli read = Distribution.cli("run", back.toString(), "--json");
        assertThat(read.exit()).as(read.err()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("out/orders.jsonl"));
        assertThat(lines).hasSize(8);
        JsonNode first = Distribution.JSON.readTree(lines.get(0));
        assertThat(first.get("order_id").asLong()).isEqualTo(1001);
        // decimal(10,2): exact, with its two places (the JSON number as written, not a double's 19.9)
        assertThat(lines.get(0)).contains("\"amount\":19.90");
        assertThat(first.get("quantity").asLong()).isEqualTo(1);
        assertThat(first.get("country").asText()).isEqualTo("DE");
    }

    @Test
    void killedAtRandomMomentsCsvToParquetThenParquetToAvroKeepEveryRecordExactlyOnce() throws Exception {
        writeInput(dir.resolve("in.csv"));
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path toParquet = Files.writeString(dir.resolve("to-parquet.yaml"), """
                name: to-parquet
                sources:
                  in: { use: csv-file, with: { path: in.csv, schema: { id: long, amount: decimal } } }
                sinks:
                  out: { use: parquet-file, from: in, with: { path: pq/records.parquet } }
                runtime: { batch_size: 1000, checkpoint_interval_ms: 100 }
                """);
        crashAndResume(toParquet, "pq-state", random, seed);
        // the parquet source resumes mid-file; the avro sink discards its unfinished part
        Path toAvro = Files.writeString(dir.resolve("to-avro.yaml"), """
                name: to-avro
                sources:
                  in: { use: parquet-file, with: { path: "pq/*.parquet" } }
                sinks:
                  out: { use: avro-file, from: in, with: { path: avro/records.avro } }
                runtime: { batch_size: 1000, checkpoint_interval_ms: 100 }
                """);
        crashAndResume(toAvro, "avro-state", random, seed);

        Path toJsonl = Files.writeString(dir.resolve("to-jsonl.yaml"), """
                name: to-jsonl
                sources:
                  in: { use: avro-file, with: { path: "avro/*.avro" } }
                sinks:
                  out: { use: jsonl-file, from: in, with: { path: records.jsonl } }
                """);
        Distribution.Cli r = Distribution.cli("run", toJsonl.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        BitSet seen = new BitSet(RECORDS);
        int lines = 0;
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("records.jsonl"))) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode n = Distribution.JSON.readTree(line);
                int id = n.get("id").asInt();
                assertThat(seen.get(id)).as("seed %d: id %d twice", seed, id).isFalse();
                assertThat(line).contains("\"amount\":" + (id % 1000) + ".25");
                seen.set(id);
                lines++;
            }
        }
        assertThat(lines).as("seed %d: records", seed).isEqualTo(RECORDS);
        try (var parts = Files.list(dir.resolve("pq"))) {
            assertThat(parts.map(p -> p.getFileName().toString()))
                    .as("no unfinished part is left")
                    .allMatch(n -> n.matches("records(_\\d{5})?\\.parquet"));
        }
    }

    private void crashAndResume(Path pipeline, String stateDir, Random random, long seed) throws Exception {
        String state = dir.resolve(stateDir).toString();
        int kills = 0;
        for (int run = 0; run < 4; run++) {
            Process p = Distribution.startChild(
                    List.of(),
                    dir.resolve(stateDir + run + ".out"),
                    dir.resolve(stateDir + run + ".err"),
                    "run",
                    pipeline.toString(),
                    "--state-dir",
                    state,
                    "--json");
            // kill once a checkpoint has been stored (so that the next run resumes), at a random moment after it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && !Distribution.hasCheckpoint(dir.resolve(stateDir)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(random.nextInt(400));
            if (p.isAlive()) {
                p.destroyForcibly(); // SIGKILL
                kills++;
            }
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(kills)
                .as("seed %d: some runs of %s were killed mid-way", seed, pipeline.getFileName())
                .isPositive();
        Distribution.Cli last =
                Distribution.childJvm(List.of(), "run", pipeline.toString(), "--state-dir", state, "--json");
        assertThat(last.exit()).as("seed %d: %s", seed, last.err()).isZero();
        assertThat(last.json().get("status").asText()).isEqualTo("COMPLETED");
        // the runs after a kill resumed from a checkpoint (a fresh start would pass the count check trivially)
        StringBuilder errs = new StringBuilder(last.err());
        for (int run = 1; run < 4; run++) errs.append(Files.readString(dir.resolve(stateDir + run + ".err")));
        String name = pipeline.getFileName().toString().replace(".yaml", "");
        assertThat(errs.toString())
                .as("seed %d: %s resumed", seed, name)
                .contains("resuming '" + name + "' from checkpoint");
    }

    private static void writeInput(Path file) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,amount,text\n");
            for (int id = 0; id < RECORDS; id++) {
                w.write(id + "," + (id % 1000) + ".25,some text for record " + id + "\n");
            }
        }
    }
}
