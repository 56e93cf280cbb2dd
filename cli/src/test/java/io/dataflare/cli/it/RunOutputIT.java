package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code run} writes where, and how it ends on Ctrl-C: on the packaged distribution, in child JVMs. */
class RunOutputIT {
    @TempDir
    Path dir;

    @Test
    void standardOutputCarriesOnlyTheDataOfTheStdoutSink() throws Exception {
        Path p = Files.writeString(dir.resolve("p.yaml"), """
                sources: { gen: { use: generator, with: { count: 100 } } }
                sinks: { out: { use: stdout, from: gen } }
                """);
        Distribution.Cli quiet = Distribution.childJvm(
                List.of(),
                "run",
                "-q",
                p.toString(),
                "--state-dir",
                dir.resolve("s").toString());
        assertThat(quiet.exit()).as(quiet.err()).isZero();
        List<String> lines = quiet.out().lines().toList();
        assertThat(lines).hasSize(100);
        for (String line : lines)
            assertThat(Distribution.JSON.readTree(line).has("id")).as(line).isTrue();
        assertThat(quiet.err())
                .as("the summary for people goes to stderr")
                .contains("COMPLETED")
                .contains("100 records in");

        Distribution.Cli json = Distribution.childJvm(
                List.of(),
                "run",
                p.toString(),
                "--json",
                "--state-dir",
                dir.resolve("s").toString());
        List<String> all = json.out().lines().toList();
        assertThat(all).hasSize(101);
        assertThat(json.json().get("status").asText())
                .as("with --json the summary is the last line")
                .isEqualTo("COMPLETED");
        assertThat(all.subList(0, 100)).allSatisfy(l -> assertThat(l).startsWith("{\"id\":"));
        assertThat(json.err()).doesNotContain("COMPLETED");
    }

    @Test
    void ctrlCStopsAtACheckpointPrintsTheSummaryAndTheNextRunContinues() throws Exception {
        int count = 300_000;
        Path p = Files.writeString(dir.resolve("p.yaml"), """
                sources: { gen: { use: generator, with: { count: %d } } }
                processors: { slow: { use: delay, from: gen, with: { per_batch_ms: 10 } } }
                sinks: { out: { use: jsonl-file, from: slow, with: { path: out.jsonl } } }
                runtime: { batch_size: 1000 }
                """.formatted(count));
        String state = dir.resolve("state").toString();
        Process run = Distribution.startChild(
                List.of(), dir.resolve("1.out"), dir.resolve("1.err"), "run", p.toString(), "--state-dir", state);
        Path out = dir.resolve("out.jsonl");
        while (!Files.exists(out) || Files.size(out) < 100_000) Thread.sleep(50);
        assertThat(run.isAlive()).isTrue();
        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String err = Files.readString(dir.resolve("1.err"));
        assertThat(run.exitValue()).as(err).isEqualTo(130);
        assertThat(err).contains("STOPPED").contains("stopped by SIGINT").contains("records in");
        assertThat(Files.readString(dir.resolve("1.out"))).isEmpty();

        Distribution.Cli next = Distribution.childJvm(List.of(), "run", p.toString(), "--state-dir", state, "--json");
        assertThat(next.exit()).as(next.err()).isZero();
        assertThat(next.err()).contains("resuming");
        JsonNode summary = next.json();
        assertThat(summary.get("records_in").asLong())
                .as("the second run read only what the first did not")
                .isLessThan(count);
        RunCollisionsIT.assertExactlyOnce(out, count);
    }
}
