package io.dataflare.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation reports every problem in one pass: a problem in one place hides none elsewhere, and none is
 * reported again as a follow-on of another.
 */
class OnePassValidationTest {
    @TempDir
    Path dir;

    private final AtomicInteger preflights = new AtomicInteger();
    private final Engine engine = TestEngines.withPlugins(
            new InProcessPlugins().processor("upper", () -> b -> b).add(new NeedsFile()));

    @AfterEach
    void close() {
        engine.close();
    }

    /** {@code needs-file}: a source whose {@code path} must exist before it runs, as a file source's. */
    final class NeedsFile implements SourceFactory {
        @Override
        public String name() {
            return "needs-file";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .required("path", ConfigType.STRING, "a file")
                    .build();
        }

        @Override
        public void preflight(PluginContext ctx) {
            preflights.incrementAndGet();
            Path p = ctx.resolvePath(ctx.config().getString("path"));
            if (!Files.isRegularFile(p)) throw new ConfigException("path", "no such file: " + p);
        }

        @Override
        public Source create(PluginContext ctx) {
            throw new IllegalStateException("not run in these tests");
        }
    }

    private List<String> problems(String yaml) {
        try {
            engine.load(yaml, "test.yaml", ConfigReader.Format.YAML, dir);
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }

    @Test
    void anUnsetVariableADanglingFromAnUnknownOptionAndAnUnsatisfiableRangeAreReportedTogether() {
        List<String> problems = problems("""
                sources:
                  in: { use: seq, with: { count: "${NOT_SET_ANYWHERE}" } }
                  other: { use: seq@^2, with: { count: 1 } }
                processors:
                  p: { use: upper, from: [in, other], with: { colour: red } }
                sinks:
                  out: { use: collect, from: [pp], with: { name: a } }
                """);
        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).startsWith("test.yaml:2:34: environment variable 'NOT_SET_ANYWHERE' is not set");
        assertThat(problems.get(1)).startsWith("test.yaml:3:17: no version of 'seq' satisfies ^2");
        assertThat(problems.get(2)).startsWith("test.yaml:5:47: upper: 'colour' is not an option of this plugin");
        assertThat(problems.get(3))
                .startsWith("test.yaml:7:31: sink 'out' reads from 'pp', which is not a stage (did you mean 'p'?)");
    }

    @Test
    void aStructuralProblemInAStageDoesNotHideItsOptionsOrOtherStages() {
        List<String> problems = problems("""
                sources:
                  in: { use: seq, with: { count: 1, kyes: 3 }, parallelism: 2 }
                processors:
                  p: { use: upper, from: in, colour: red }
                sinks:
                  out: { use: collect, from: p, with: { nmae: a } }
                """);
        assertThat(problems)
                .containsExactly(
                        "test.yaml:2:37: seq: 'kyes' is not an option of this plugin (did you mean 'keys'?); options: chunk, count, keys",
                        "test.yaml:2:48: 'parallelism' applies to processors only",
                        "test.yaml:4:30: unknown key 'colour' in processor 'p'; allowed: use, from, with, grants, parallelism, routing, buffer, description",
                        "test.yaml:6:39: collect: 'name' is required (where the test finds the records)",
                        "test.yaml:6:41: collect: 'nmae' is not an option of this plugin (did you mean 'name'?); options: delay_ms, name");
    }

    @Test
    void valuesWithUnresolvedReferencesAreNotCheckedAgain() {
        // Each value is wrong only because its variable is unset: one problem each, no "must be a number",
        // "must be a non-empty string", "not a stage" or "feeds nothing" on top.
        List<String> problems = problems("""
                sources:
                  in: { use: "${NO_PLUGIN}", with: { count: 1 } }
                  other: { use: seq, with: { count: "${NO_COUNT}" } }
                processors:
                  p: { use: upper, from: ["${NO_STAGE}", other], parallelism: "${NO_PARALLELISM}" }
                sinks:
                  out: { use: collect, from: [p, in], with: { name: a } }
                runtime: { batch_size: "${NO_BATCH}" }
                """);
        assertThat(problems).hasSize(5).allMatch(p -> p.contains("environment variable 'NO_"));
    }

    @Test
    void aStageThatCannotBeReadIsNotNamedAsMissingByItsReaders() {
        List<String> problems = problems("""
                sources:
                  in: { use: seq, with: { count: 1 } }
                processors:
                  bad name: { use: upper, from: in }
                  broken: "not a map"
                sinks:
                  out: { use: collect, from: ["bad name", broken], with: { name: a } }
                """);
        assertThat(problems)
                .containsExactly(
                        "test.yaml:4:3: stage name 'bad name' may use only letters, digits, '-', '_' and '.'",
                        "test.yaml:5:11: processor 'broken' must be a map with 'use:', found a string");
    }

    @Test
    void whatAStageNeedsToStartIsAProblemAtItsOptionBeforeTheRun() throws Exception {
        String yaml = """
                sources:
                  in:
                    use: needs-file
                    with: { path: data/in.csv }
                sinks:
                  out: { use: collect, from: in, with: { name: a, nmae: b } }
                """;
        assertThat(problems(yaml))
                .containsExactly(
                        "test.yaml:4:13: needs-file: 'path' no such file: " + dir.resolve("data/in.csv"),
                        "test.yaml:6:51: collect: 'nmae' is not an option of this plugin (did you mean 'name'?); options: delay_ms, name");

        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/in.csv"), "a\n");
        assertThat(problems(yaml)).hasSize(1).allMatch(p -> p.contains("'nmae'"));
    }

    @Test
    void preflightIsSkippedWhereItWouldMeanNothingAndForDefinitionsKeptForLater() {
        problems("""
                sources:
                  in: { use: needs-file, with: { path: "${NO_DIR}/in.csv" } }
                  other: { use: needs-file, with: { path: [a, b] } }
                sinks:
                  out: { use: collect, from: [in, other], with: { name: a } }
                """);
        assertThat(preflights)
                .as("no preflight with an unresolved or invalid option")
                .hasValue(0);

        ParsedPipeline parsed = engine.parser().readText("""
                sources:
                  in: { use: needs-file, with: { path: missing.csv } }
                sinks:
                  out: { use: collect, from: in, with: { name: a } }
                """, "test.yaml", ConfigReader.Format.YAML, dir);
        assertThat(engine.validate(parsed, PipelineValidator.Scope.DEFINITION).stage("in"))
                .isNotNull();
        assertThat(preflights).hasValue(0);
        assertThatThrownBy(() -> engine.validate(parsed, PipelineValidator.Scope.RUN))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .asString()
                                .contains("test.yaml:2:34: needs-file: 'path' no such file"));
    }

    @Test
    void plansAndComponentsPrintForPeopleWithoutTheirOptions() {
        PipelinePlan plan = engine.load("""
                name: people
                sources:
                  in: { use: seq, with: { count: 1 } }
                processors:
                  p: { use: upper, from: in, parallelism: 2 }
                sinks:
                  out: { use: collect, from: p, with: { name: secret-ish } }
                """, "test.yaml", ConfigReader.Format.YAML, dir);
        assertThat(plan.stage("out").component()).hasToString("collect (test-plugins@1.0.0)");
        assertThat(plan.stage("p")).hasToString("processor 'p': upper (test-plugins@1.0.0) x2");
        assertThat(plan.toString())
                .startsWith("pipeline 'people' [source 'in': seq (test-plugins@1.0.0)")
                .doesNotContain("secret-ish")
                .doesNotContain("Plan[");
    }
}
