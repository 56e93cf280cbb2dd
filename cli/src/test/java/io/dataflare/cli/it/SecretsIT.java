package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret never shows, on any channel of the CLI (standard output, standard error, the log at debug level,
 * summaries, dead letters, files the engine writes), on every error path: an option that fails validation,
 * bad input dead-lettered, a run that fails. The secret is part of a file name here, so it reaches messages
 * the way a credential in a URL does.
 */
class SecretsIT {
    private static final String SECRET = "hunter2-supersecret";

    @TempDir
    Path dir;

    private Distribution.Cli cli(String... args) throws Exception {
        Path out = dir.resolve("cli.out");
        Path err = dir.resolve("cli.err");
        Process p = Distribution.startChild(
                List.of(), Map.of("DATAFLARE_SECRET_PW", SECRET, "DATAFLARE_LOG_LEVEL", "debug"), out, err, args);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Distribution.Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Path pipeline(String errors, String sinkExtra) throws Exception {
        Files.writeString(dir.resolve("in-" + SECRET + ".csv"), "id,amount\n1,2.5\n2,oops\n3,4\n");
        return Files.writeString(dir.resolve("p.yaml"), """
                sources:
                  in: { use: csv-file, with: { path: "in-${secret:pw}.csv", schema: { amount: double } } }
                sinks:
                  out: { use: jsonl-file, from: in, with: { path: out.jsonl%s } }
                %s
                """.formatted(sinkExtra, errors));
    }

    private void assertNoSecret(Distribution.Cli r) throws Exception {
        assertThat(r.out()).doesNotContain(SECRET);
        assertThat(r.err()).doesNotContain(SECRET);
        List<Path> written = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("in-"))
                    .forEach(written::add);
        }
        for (Path f : written) assertThat(Files.readString(f)).as("%s", f).doesNotContain(SECRET);
    }

    @Test
    void anOptionThatFailsValidation() throws Exception {
        Path p = pipeline("", ", append: \"${secret:pw}\"");
        Distribution.Cli v = cli("validate", p.toString());
        assertThat(v.exit()).isEqualTo(2);
        assertThat(v.err()).contains("got \"***\"");
        assertNoSecret(v);
        Distribution.Cli r = cli(
                "run",
                p.toString(),
                "--json",
                "--state-dir",
                dir.resolve("state").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertNoSecret(r);
    }

    @Test
    void badInputDeadLettered() throws Exception {
        Path p = pipeline(
                "policies: { errors: { on_error: dead-letter, dead_letter: { use: jsonl-file, with: { path: dlq.jsonl } } } }",
                "");
        Distribution.Cli r = cli(
                "run",
                p.toString(),
                "--json",
                "--state-dir",
                dir.resolve("state").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(dir.resolve("dlq.jsonl"))).contains("in-***.csv line 3");
        assertNoSecret(r);
        Distribution.Cli v = cli("validate", p.toString());
        assertThat(v.exit()).isZero();
        assertNoSecret(v);
    }

    @Test
    void aRunThatFails() throws Exception {
        Path p = pipeline("", "");
        Distribution.Cli r = cli(
                "run",
                p.toString(),
                "--json",
                "--state-dir",
                dir.resolve("state").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.json().get("error").asText()).contains("in-***.csv line 3");
        assertNoSecret(r);
    }
}
