package io.dataflare.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code from: stage.output} is checked against the outputs the stage's plugin declares, before anything runs. */
class NamedOutputsValidationTest {
    /** {@code router}: declares the outputs its {@code outputs} option lists. */
    static final class Router implements ProcessorFactory {
        @Override
        public String name() {
            return "router";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .optional("outputs", ConfigType.STRING_LIST, List.of("high", "eu", "rest"), "outputs")
                    .build();
        }

        @Override
        public List<String> outputs(PluginConfig config) {
            return config.getList("outputs");
        }

        @Override
        public Processor create(PluginContext context) {
            return b -> b;
        }
    }

    private final Engine engine =
            TestEngines.withPlugins(new InProcessPlugins().add(new Router()).processor("upper", () -> b -> b));

    @AfterEach
    void close() {
        engine.close();
    }

    private static String pipeline(String sinks) {
        return """
                sources:
                  in: { use: seq, with: { count: 1 } }
                processors:
                  router: { use: router, from: in }
                sinks:
                """ + sinks;
    }

    static List<Arguments> mistakes() {
        return List.of(
                Arguments.of(
                        "unknown output",
                        pipeline("""
                          a: { use: collect, from: router.hgh, with: { name: a } }
                          b: { use: collect, from: [router.eu, router.rest], with: { name: b } }
                        """),
                        "test.yaml:6:28: sink 'a' reads from 'router.hgh', but 'router' has no output 'hgh'"
                                + " (did you mean 'high'?); its outputs: high, eu, rest"),
                Arguments.of(
                        "unknown stage",
                        pipeline("""
                          a: { use: collect, from: [routr.high, router.eu, router.rest], with: { name: a } }
                        """),
                        "test.yaml:6:29: sink 'a' reads from 'routr.high', which is not a stage"
                                + " (did you mean 'router.high'?); stages: in, router, a"),
                Arguments.of(
                        "main output of a stage with named outputs",
                        pipeline("""
                          a: { use: collect, from: [router], with: { name: a } }
                        """),
                        "test.yaml:6:29: sink 'a' reads from 'router', which emits only to its named outputs"
                                + " (high, eu, rest): read one as 'router.high'"),
                Arguments.of(
                        "named output of a stage without any",
                        pipeline("""
                          a: { use: collect, from: [router.high, router.eu, router.rest, in.x], with: { name: a } }
                        """),
                        "sink 'a' reads from 'in.x', but 'in' has no named outputs: read it as 'in'"),
                Arguments.of(
                        "an output nobody reads",
                        pipeline("""
                          a: { use: collect, from: [router.high, router.eu], with: { name: a } }
                        """),
                        "test.yaml:4:3: processor 'router': output 'rest' feeds nothing: its records would be lost;"
                                + " read it with 'from: router.rest' in a processor or sink"),
                Arguments.of(
                        "no output read at all: the stage feeds nothing, said once",
                        """
                        sources:
                          in: { use: seq, with: { count: 1 } }
                        processors:
                          router: { use: router, from: in }
                        sinks:
                          a: { use: collect, from: in, with: { name: a } }
                        """,
                        "processor 'router' feeds nothing: its records would be lost"),
                Arguments.of(
                        "an invalid output name declared",
                        """
                        sources:
                          in: { use: seq, with: { count: 1 } }
                        processors:
                          router: { use: router, from: in, with: { outputs: [ok, "not.ok"] } }
                        sinks:
                          a: { use: collect, from: [router.ok], with: { name: a } }
                        """,
                        "processor 'router': output 'not.ok' is not a valid output name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeGivesOneLocatedProblem(String kind, String yaml, String expected) {
        assertThatThrownBy(() -> TestEngines.plan(engine, yaml))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.problems())
                            .as("problems for %s: %s", kind, e.problems())
                            .hasSize(1);
                    assertThat(e.problems().get(0).toString()).contains(expected);
                });
    }

    @Test
    void aStageReadingSeveralOutputsOfOneStageIsPlannedDownstreamOfItOnce() {
        PipelinePlan plan = TestEngines.plan(engine, """
                sources:
                  in: { use: seq, with: { count: 1 } }
                processors:
                  router: { use: router, from: in }
                  b: { use: upper, from: router.rest }
                sinks:
                  a: { use: collect, from: [router.high, router.eu], with: { name: a } }
                  c: { use: collect, from: b, with: { name: c } }
                """);
        assertThat(plan.stage("router").downstream()).containsExactly("b", "a");
        assertThat(plan.stages()).extracting(StagePlan::name).containsExactly("in", "router", "b", "a", "c");
    }

    @Test
    void aStageWhoseNameHasADotIsReadWhole() {
        PipelinePlan plan = TestEngines.plan(engine, """
                sources:
                  in: { use: seq, with: { count: 1 } }
                processors:
                  clean.v2: { use: upper, from: in }
                sinks:
                  a: { use: collect, from: clean.v2, with: { name: a } }
                """);
        assertThat(plan.stage("clean.v2").downstream()).containsExactly("a");
    }
}
