package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's watch-folder example through the CLI with the real plugin JAR: CSV files dropped into the folder
 * while the run is going are all read, and the run ends COMPLETED by itself once no file has come for a while
 * ({@code runtime.stop_when_idle_ms}).
 */
@Timeout(120)
class WatchFolderIT {
    @TempDir
    Path dir;

    /** Drops a file as a writer should: written under another name, then renamed into the folder. */
    private void drop(String name, String text) throws Exception {
        Path part = dir.resolve("inbox").resolve(name + ".part");
        Files.writeString(part, text);
        Files.move(part, dir.resolve("inbox").resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void filesDroppedWhileRunningAreReadAndTheRunEndsWhenTheyStop() throws Exception {
        String yaml = Files.readString(Path.of("..", "examples", "watch-folder.yaml"))
                .replace("watch_interval_ms: 1000", "watch_interval_ms: 100")
                .replace("stop_when_idle_ms: 10000", "stop_when_idle_ms: 3000");
        Path pipeline = dir.resolve("watch-folder.yaml");
        Files.writeString(pipeline, yaml);
        Files.createDirectories(dir.resolve("inbox"));
        drop("first.csv", "id,name\n1,ann\n2,bob\n");

        CompletableFuture<Distribution.Cli> run = CompletableFuture.supplyAsync(
                () -> Distribution.cli("run", pipeline.toString(), "--json", "--state", "memory:"));
        // Well within the 3 s of quiet that end the run: the second file arrives while it watches.
        Thread.sleep(1500);
        assertThat(run).as("still watching").isNotDone();
        drop("second.csv", "name,id\nchris,3\noops\ndora,4\n");
        Distribution.Cli r = run.get(90, TimeUnit.SECONDS);

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("dead_lettered").asLong()).isEqualTo(1);
        List<String> lines = Files.readAllLines(dir.resolve("out/inbox.jsonl"));
        assertThat(lines)
                .extracting(l -> Distribution.JSON.readTree(l).get("id").asText() + ":"
                        + Distribution.JSON.readTree(l).get("name").asText())
                .containsExactly("1:ann", "2:bob", "3:chris", "4:dora");
        List<String> dlq = Files.readAllLines(dir.resolve("out/inbox-dead-letters.jsonl"));
        assertThat(dlq).hasSize(1);
        JsonNode d = Distribution.JSON.readTree(dlq.get(0));
        assertThat(d.get("error").asText()).startsWith("second.csv line 3");
        assertThat(d.get("headers").get("source.file").asText())
                .isEqualTo(dir.resolve("inbox/second.csv").toString());
    }

    @Test
    void aLaterRunResumesFromTheCheckpointReadingOnlyTheNewFiles() throws Exception {
        String yaml = Files.readString(Path.of("..", "examples", "watch-folder.yaml"))
                .replace("watch_interval_ms: 1000", "watch_interval_ms: 100")
                .replace("stop_when_idle_ms: 10000", "stop_when_idle_ms: 1500");
        Path pipeline = dir.resolve("watch-folder.yaml");
        Files.writeString(pipeline, yaml);
        Path state = dir.resolve("state");
        Files.createDirectories(dir.resolve("inbox"));
        drop("first.csv", "id,name\n1,ann\n2,bob\n");

        Distribution.Cli first = Distribution.cli("run", pipeline.toString(), "--json", "--state", state.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.json().get("status").asText()).isEqualTo("COMPLETED");

        drop("second.csv", "id,name\n3,chris\n");
        Distribution.Cli second = Distribution.cli("run", pipeline.toString(), "--json", "--state", state.toString());
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.err()).contains("resuming");
        assertThat(Files.readAllLines(dir.resolve("out/inbox.jsonl")))
                .extracting(l -> Distribution.JSON.readTree(l).get("id").asText())
                .containsExactly("1", "2", "3");
    }
}
