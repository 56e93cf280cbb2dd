package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} checks what {@code run} checks before it starts, in one pass: every problem once, as
 * {@code file:line:column: message}, exit code 2, nothing run; inputs and state store options included.
 */
class ChecksBeforeRunIT {
    @TempDir
    Path dir;

    private Path pipeline(String yaml) throws Exception {
        return Files.writeString(dir.resolve("p.yaml"), yaml);
    }

    /** The lines of stderr that point into {@code file}. */
    private static List<String> problems(Distribution.Cli r, Path file) {
        return r.err().lines().filter(l -> l.startsWith(file.toString())).toList();
    }

    @Test
    void everyIndependentProblemIsReportedInOnePassByValidateAndRun() throws Exception {
        Path p = pipeline("""
                sources:
                  in: { use: csv-file, with: { path: "${DATAFLARE_TEST_UNSET_DIR}/orders.csv" } }
                  gen: { use: generator@^2, with: { count: 5 } }
                  missing: { use: jsonl-file, with: { path: data/missing.jsonl } }
                processors:
                  f: { use: filter, from: [in, gen, missing], with: { exprr: "id > 1" } }
                sinks:
                  out: { use: jsonl-file, from: [ff], with: { path: out/o.jsonl } }
                """);
        List<String> expected = List.of(
                p + ":2:38: environment variable 'DATAFLARE_TEST_UNSET_DIR' is not set",
                p + ":3:15: no version of 'generator' satisfies ^2 (installed: 1.1.0)",
                p + ":4:39: jsonl-file: 'path' no such file: data/missing.jsonl (resolved to "
                        + dir.resolve("data/missing.jsonl") + ")",
                p + ":6:53: filter: 'expr' is required",
                p + ":6:55: filter: 'exprr' is not an option of this plugin (did you mean 'expr'?)",
                p + ":8:34: sink 'out' reads from 'ff', which is not a stage (did you mean 'f'?)");
        for (String command : List.of("validate", "run")) {
            Distribution.Cli r = Distribution.cli(command, p.toString());
            assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(2);
            List<String> lines = problems(r, p);
            assertThat(lines).as(command + ": " + r.err()).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++)
                assertThat(lines.get(i)).as(command + ": " + r.err()).startsWith(expected.get(i));
            assertThat(r.err()).as(command).endsWith("6 problems found; nothing was run." + System.lineSeparator());
            assertThat(r.out()).as(command).isEmpty();
        }
        assertThat(dir.resolve("out")).as("nothing ran").doesNotExist();
    }

    @Test
    void aMissingInputIsAProblemAtItsPathLineForValidateAndRun() throws Exception {
        Path p = pipeline("""
                sources:
                  in:
                    use: csv-file
                    with:
                      path: data/*.csv
                sinks:
                  out: { use: jsonl-file, from: in, with: { path: out/o.jsonl } }
                """);
        for (String command : List.of("validate", "run")) {
            Distribution.Cli r = Distribution.cli(
                    command, p.toString(), "--state-dir", dir.resolve("state").toString());
            assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(2);
            assertThat(problems(r, p))
                    .as(command)
                    .containsExactly(p + ":5:7: csv-file: 'path' no file matches data/*.csv (looked in "
                            + dir.resolve("data") + ")");
            assertThat(r.out()).as(command).isEmpty();
        }
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir.resolve("state")).as("the run did not start").doesNotExist();

        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/a.csv"), "id\n1\n2\n");
        Distribution.Cli ok = Distribution.cli("run", p.toString(), "--state", "memory:", "--json");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.json().get("records_out").asLong()).isEqualTo(2);
    }

    @Test
    void aFileInTheWayOfASinksDirectoryIsAProblemBeforeTheRun() throws Exception {
        Files.writeString(dir.resolve("in.csv"), "id\n1\n");
        Files.writeString(dir.resolve("out"), "a file where the sink wants a directory");
        Path p = pipeline("""
                sources:
                  in: { use: csv-file, with: { path: in.csv } }
                sinks:
                  out: { use: jsonl-file, from: in, with: { path: out/o.jsonl } }
                policies:
                  errors: { on_error: dead-letter, dead_letter: { use: jsonl-file, with: { path: out/dlq/d.jsonl } } }
                """);
        Distribution.Cli r = Distribution.cli("run", p.toString(), "--state", "memory:");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(problems(r, p))
                .containsExactly(
                        p + ":4:45: jsonl-file: 'path' the directory " + dir.resolve("out") + " cannot be created: "
                                + dir.resolve("out") + " is a file",
                        p + ":6:76: jsonl-file: 'path' the directory " + dir.resolve("out/dlq") + " cannot be created: "
                                + dir.resolve("out") + " is a file");
    }

    @Test
    void stateStoreUrlsAreCheckedBeforeAnythingRuns() throws Exception {
        Files.writeString(dir.resolve("in.csv"), "id\n1\n");
        Path p = pipeline("""
                sources:
                  in: { use: csv-file, with: { path: in.csv } }
                sinks:
                  out: { use: jsonl-file, from: in, with: { path: out.jsonl } }
                """);
        for (String command : List.of("validate", "run")) {
            Distribution.Cli r = Distribution.cli(command, p.toString(), "--state", "postgres://host/db");
            assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(2);
            assertThat(r.err())
                    .as(command)
                    .startsWith("--state: invalid state store 'postgres://host/db': 'postgres:' is not a state"
                            + " store scheme (did you mean jdbc:postgresql://host/db?); use " + StateStores.FORMS)
                    .endsWith("1 problem found; nothing was run." + System.lineSeparator());
            assertThat(r.out()).as(command).isEmpty();
        }
        assertThat(Path.of("postgres:")).as("no directory named after the URL").doesNotExist();
        assertThat(dir.resolve("out.jsonl")).doesNotExist();

        // a state URL problem and pipeline problems come together
        Files.delete(dir.resolve("in.csv"));
        Distribution.Cli both = Distribution.cli("validate", p.toString(), "--state", "jdbc:mysql://host/db");
        assertThat(both.err())
                .contains("--state: invalid state store 'jdbc:mysql://host/db': 'jdbc:mysql:' is not supported")
                .contains(p + ":2:32: csv-file: 'path' no such file")
                .contains("2 problems found; nothing was run.");

        // plain directories still work, with either option
        Files.writeString(dir.resolve("in.csv"), "id\n1\n");
        Path state = dir.resolve("some/state");
        assertThat(Distribution.cli("validate", p.toString(), "--state-dir", state.toString())
                        .exit())
                .isZero();
        Distribution.Cli run = Distribution.cli("run", p.toString(), "--state", state.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(state).isDirectory();
    }

    @Test
    void validateListsTheStagesForPeople() throws Exception {
        Files.writeString(dir.resolve("in.csv"), "id\n1\n");
        Path p = pipeline("""
                sources:
                  in: { use: csv-file, with: { path: in.csv } }
                processors:
                  m: { use: map, from: in, parallelism: 2, with: { set: { x: "id" } } }
                sinks:
                  out: { use: jsonl-file, from: m, with: { path: out.jsonl } }
                policies:
                  errors: { on_error: dead-letter, dead_letter: { use: jsonl-file, with: { path: dlq.jsonl } } }
                """);
        Distribution.Cli r = Distribution.cli("validate", p.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("csv-file (dataflare-files@1.1.0)")
                .contains("map (dataflare-transforms@1.1.0) x2")
                .containsPattern("sink +dead_letter +jsonl-file \\(dataflare-files@1.1.0\\)")
                .doesNotContain("Plan[")
                .doesNotContain("config=")
                .doesNotContain("in.csv");
    }

    @Test
    void anInvalidPipelinePrintsEachProblemOnce() throws Exception {
        Path p = pipeline("""
                sources:
                  in: { use: csv-file, with: { path: nowhere.csv } }
                sinks:
                  out: { use: jsonl-file, from: [inn], with: { path: out.jsonl } }
                """);
        Distribution.Cli r = Distribution.childJvm(List.of(), "run", p.toString(), "--state", "memory:");
        assertThat(r.exit()).isEqualTo(2);
        String all = r.out() + r.err();
        assertThat(occurrences(all, "no such file: nowhere.csv")).as(all).isEqualTo(1);
        assertThat(occurrences(all, "reads from 'inn'")).as(all).isEqualTo(1);
    }

    @Test
    void aRunThatCannotStartPrintsItsErrorOnce() throws Exception {
        Files.writeString(dir.resolve("in.csv"), "id\n1\n2\n");
        Path p = pipeline("""
                sources:
                  in: { use: csv-file, with: { path: in.csv } }
                sinks:
                  out: { use: jsonl-file, from: in, with: { path: out.jsonl } }
                """);
        // A checkpoint saying out.jsonl held 100 bytes, which it no longer does: the run cannot resume exactly.
        Path state = dir.resolve("state");
        String key;
        try (var engine = Distribution.engine()) {
            key = engine.load(p).definition().stateKey();
        }
        try (StateStore store = StateStores.open(state.toString())) {
            new CheckpointStore(store)
                    .save(new Checkpoint(
                            1,
                            key,
                            Instant.now(),
                            Map.of("in", Map.of("file", dir.resolve("in.csv").toString(), "line", 2)),
                            Map.of("out", Map.of("files", Map.of("out.jsonl", 100))),
                            null,
                            null));
        }
        Distribution.Cli r = Distribution.childJvm(List.of(), "run", p.toString(), "--state-dir", state.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        String all = r.out() + r.err();
        assertThat(all).contains("error: stage 'out' cannot resume from checkpoint 1:");
        assertThat(occurrences(all, "cannot resume from checkpoint 1")).as(all).isEqualTo(1);
    }

    @Test
    void aRunThatFailsPrintsItsErrorOnce() throws Exception {
        Files.writeString(dir.resolve("in.csv"), "id,country\n1,DE\n2,XX\n");
        Path p = pipeline("""
                sources:
                  in: { use: csv-file, with: { path: in.csv } }
                processors:
                  check: { use: fail, from: in, with: { field: country, equals: XX, mode: throw } }
                sinks:
                  out: { use: jsonl-file, from: check, with: { path: out.jsonl } }
                """);
        Distribution.Cli r = Distribution.childJvm(List.of(), "run", p.toString(), "--state", "memory:");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        String all = r.out() + r.err();
        assertThat(all).contains("FAILED");
        assertThat(occurrences(all, "stage 'check'")).as(all).isEqualTo(1);
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
