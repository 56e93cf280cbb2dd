package io.dataflare.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each kind of mistake gives one clear problem at the right line and column, before anything runs. */
class PipelineValidationTest {
    private final Engine engine = TestEngines.withPlugins(new InProcessPlugins().processor("upper", () -> b -> b));

    @AfterEach
    void close() {
        engine.close();
    }

    static List<Arguments> mistakes() {
        return List.of(
                Arguments.of(
                        "unknown top-level key",
                        """
                        name: p
                        sorces:
                          in: { use: seq, with: { count: 1 } }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        """,
                        "test.yaml:2:1: unknown key 'sorces' in pipeline (did you mean 'sources'?)"),
                Arguments.of(
                        "unknown stage key",
                        """
                        sources:
                          in: { use: seq, with: { count: 1 }, form: [x] }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        """,
                        "test.yaml:2:39: unknown key 'form' in source 'in' (did you mean 'from'?)"),
                Arguments.of(
                        "dangling from",
                        """
                        sources:
                          in: { use: seq, with: { count: 1 } }
                        sinks:
                          out: { use: collect, from: [inn], with: { name: a } }
                        """,
                        "test.yaml:4:31: sink 'out' reads from 'inn', which is not a stage (did you mean 'in'?)"),
                Arguments.of("cycle", """
                        sources:
                          in: { use: seq, with: { count: 1 } }
                        processors:
                          a: { use: upper, from: [in, b] }
                          b: { use: upper, from: [a] }
                        sinks:
                          out: { use: collect, from: b, with: { name: a } }
                        """, "cycle: a <- b <- a"),
                Arguments.of(
                        "unknown plugin",
                        """
                        sources:
                          in: { use: seqq, with: { count: 1 } }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        """,
                        "test.yaml:2:14: no source named 'seqq' is installed (did you mean 'seq'?)"),
                Arguments.of("wrong kind", """
                        sources:
                          in: { use: collect, with: { name: a } }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        """, "test.yaml:2:14: 'collect' is a sink, not a source"),
                Arguments.of(
                        "no version satisfies range",
                        """
                        sources:
                          in: { use: seq@^2, with: { count: 1 } }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        """,
                        "test.yaml:2:14: no version of 'seq' satisfies ^2 (installed: 1.0.0)"),
                Arguments.of("missing required option", """
                        sources:
                          in: { use: seq }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        """, "test.yaml:2:14: seq: 'count' is required (records)"),
                Arguments.of(
                        "option of the wrong type",
                        """
                        sources:
                          in:
                            use: seq
                            with:
                              count: lots
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        """,
                        "test.yaml:5:7: seq: 'count' must be a whole number, got \"lots\""),
                Arguments.of(
                        "unknown option",
                        """
                        sources:
                          in: { use: seq, with: { count: 1, kyes: 3 } }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        """,
                        "test.yaml:2:37: seq: 'kyes' is not an option of this plugin (did you mean 'keys'?)"),
                Arguments.of("sink without from", """
                        sources:
                          in: { use: seq, with: { count: 1 } }
                        sinks:
                          out: { use: collect, with: { name: a } }
                        """, "test.yaml:4:3: sink 'out' needs 'from:'"),
                Arguments.of(
                        "records going nowhere",
                        """
                        sources:
                          in: { use: seq, with: { count: 1 } }
                          other: { use: seq, with: { count: 1 } }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        """,
                        "test.yaml:3:3: source 'other' feeds nothing: its records would be lost"),
                Arguments.of("no sinks", """
                        sources:
                          in: { use: seq, with: { count: 1 } }
                        """, "the pipeline has no sinks"),
                Arguments.of("duplicate stage name", """
                        sources:
                          a: { use: seq, with: { count: 1 } }
                        sinks:
                          a: { use: collect, from: a, with: { name: a } }
                        """, "test.yaml:4:3: stage name 'a' is already used at line 2"),
                Arguments.of(
                        "runtime value out of range",
                        """
                        sources:
                          in: { use: seq, with: { count: 1 } }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        runtime: { batch_size: 0 }
                        """,
                        "test.yaml:5:24: 'batch_size' must be between 1 and 1000000, found 0"),
                Arguments.of(
                        "unknown state backend",
                        """
                        sources:
                          in: { use: seq, with: { count: 1 } }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        runtime: { state: { backend: leveldb } }
                        """,
                        "test.yaml:5:30: 'backend' must be 'memory' or 'rocksdb', found 'leveldb'"),
                Arguments.of(
                        "dead-letter without a sink",
                        """
                        sources:
                          in: { use: seq, with: { count: 1 } }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        policies:
                          errors: { on_error: dead-letter }
                        """,
                        "test.yaml:6:23: on_error: dead-letter needs a 'dead_letter:' sink"),
                Arguments.of("parallelism on a sink", """
                        sources:
                          in: { use: seq, with: { count: 1 } }
                        sinks:
                          out: { use: collect, from: in, parallelism: 2, with: { name: a } }
                        """, "test.yaml:4:34: 'parallelism' applies to processors only"),
                Arguments.of("bad version range", """
                        sources:
                          in: { use: seq@>>1, with: { count: 1 } }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        """, "test.yaml:2:14: use: '>>1' is not a version range"),
                Arguments.of(
                        "unset environment variable",
                        """
                        sources:
                          in: { use: seq, with: { count: "${NOT_SET_ANYWHERE}" } }
                        sinks:
                          out: { use: collect, from: in, with: { name: a } }
                        """,
                        "test.yaml:2:34: environment variable 'NOT_SET_ANYWHERE' is not set"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeGivesOneLocatedProblem(String kind, String yaml, String expected) {
        assertThatThrownBy(() -> TestEngines.plan(engine, yaml))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.problems())
                            .as("problems for %s: %s", kind, e.problems())
                            .hasSize(1);
                    Problem p = e.problems().get(0);
                    assertThat(p.toString()).contains(expected);
                    assertThat(p.location().line()).as("located").isPositive().matches(l -> true);
                });
    }

    @Test
    void runtimeStateSetsTheBackendAndTheDefaultTtl() {
        PipelinePlan plan = TestEngines.plan(engine, """
                sources:
                  in: { use: seq, with: { count: 1 } }
                sinks:
                  out: { use: collect, from: in, with: { name: a } }
                runtime: { state: { backend: rocksdb, ttl_ms: 60000 } }
                """);
        assertThat(plan.definition().runtime().state())
                .isEqualTo(new io.dataflare.engine.state.keyed.StateSettings("rocksdb", 60_000));
        PipelinePlan defaults = TestEngines.plan(engine, """
                sources:
                  in: { use: seq, with: { count: 1 } }
                sinks:
                  out: { use: collect, from: in, with: { name: a } }
                """);
        assertThat(defaults.definition().runtime().state())
                .isEqualTo(io.dataflare.engine.state.keyed.StateSettings.DEFAULTS);
    }

    @Test
    void reportsAllProblemsAtOnce() {
        assertThatThrownBy(() -> TestEngines.plan(engine, """
                sources:
                  in: { use: nope }
                sinks:
                  out: { use: collect, from: [missing], with: { name: a, extra: 1 } }
                """))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems()).hasSize(3));
    }

    @Test
    void validPipelineIsPlannedUpstreamFirstWithResolvedVersions() {
        PipelinePlan plan = TestEngines.plan(engine, """
                name: ok
                sinks:
                  out: { use: collect, from: [b], with: { name: a } }
                processors:
                  b: { use: upper, from: a }
                  a: { use: upper@^1, from: in, parallelism: 3 }
                sources:
                  in: { use: seq, with: { count: 1 } }
                """);
        assertThat(plan.stages()).extracting(StagePlan::name).containsExactly("in", "a", "b", "out");
        assertThat(plan.stage("a").instances()).isEqualTo(3);
        assertThat(plan.stage("in").component().pluginLabel()).isEqualTo("test-plugins@1.0.0");
        assertThat(plan.stage("in").component().config().getLong("keys")).isEqualTo(10L);
    }
}
