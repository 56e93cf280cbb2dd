package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mistakes against the real built-in plugins: exit code 2 and one file:line:column problem, nothing run. */
class InvalidPipelineIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            misspelled option   | sources: { in: { use: generator, with: { cuont: 5 } } }            | :1:42: generator: 'cuont' is not an option of this plugin (did you mean 'count'?)
            wrong option type   | sources: { in: { use: generator, with: { count: many } } }         | :1:42: generator: 'count' must be a whole number, got "many"
            bad filter syntax   | processors: { f: { use: filter, from: in, with: { expr: "a >" } } } | :1:51: filter: 'expr' does not parse
            bad cast type       | processors: { f: { use: cast, from: in, with: { schema: { a: money } } } } | :1:59: cast: 'schema.a'
            sink used as source | sources: { in: { use: discard } }                                   | :1:23: 'discard' is a sink, not a source
            unknown plugin      | processors: { f: { use: filtre, from: in } }                        | :1:25: no processor named 'filtre' is installed (did you mean 'filter'?)
            version range       | sources: { in: { use: generator@^2 } }                              | :1:23: no version of 'generator' satisfies ^2 (installed: 1.1.0)
            unknown strategy    | policies: { routing: { key: id, strategy: random } }                | :1:43: no key router named 'random' is installed
            unknown error policy| policies: { errors: { on_error: ignore } }                          | :1:33: no error policy named 'ignore' is installed
            retry option        | policies: { retry: { use: exponential-backoff, with: { jitter: some } } } | :1:56: exponential-backoff: 'jitter' must be one of full, none
            """)
    void oneLocatedProblemAndExitCode2(String kind, String line, String expected) throws Exception {
        String base = """
                sources: { in: { use: generator, with: { count: 5 } } }
                processors: { f: { use: select, from: in, with: { fields: [id] } } }
                sinks: { out: { use: discard, from: f } }
                """;
        // replace the base line of the same section with the broken one, keeping it on line 1
        String section = line.substring(0, line.indexOf(':'));
        StringBuilder yaml = new StringBuilder(line).append('\n');
        for (String l : base.split("\n")) {
            if (!l.startsWith(section + ":")) yaml.append(l).append('\n');
        }
        Path p = Files.writeString(dir.resolve("p.yaml"), yaml.toString());
        Distribution.Cli r = Distribution.cli("run", p.toString());
        assertThat(r.exit()).as(kind + ": " + r.err()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith(p.toString())))
                .as(r.err())
                .hasSize(1);
        assertThat(r.err()).contains(p + expected);
        assertThat(r.err()).contains("nothing was run");
        assertThat(r.out()).isEmpty();
    }
}
