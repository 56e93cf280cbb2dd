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

/** {@code parallelism:} as a number or a map, and the elastic form's checks, each naming its field. */
class ElasticParallelismConfigTest {
    private final Engine engine = TestEngines.withPlugins(new InProcessPlugins().processor("identity", () -> b -> b));

    @AfterEach
    void close() {
        engine.close();
    }

    private PipelinePlan plan(String processor) {
        return TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 10 } } }
                processors:
                  p: %s
                sinks: { out: { use: collect, from: p, with: { name: c } } }
                """.formatted(processor));
    }

    private List<String> problems(String processor) {
        try {
            plan(processor);
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("the pipeline was accepted");
    }

    @Test
    void aNumberKeepsAFixedParallelism() {
        StagePlan p = plan("{ use: identity, from: in, parallelism: 3 }").stage("p");
        assertThat(p.instances()).isEqualTo(3);
        assertThat(p.definition().elastic()).isNull();
    }

    @Test
    void theMapFormReadsBoundsAndAutoscalerSettingsWithDefaults() {
        StagePlan p = plan("""
                        { use: identity, from: in, routing: { key: key, strategy: hash },
                          parallelism: { min: 2, max: 8, auto: true, scale_threshold: 0.9, scale_up_after_ms: 500 } }""").stage("p");
        ElasticParallelism e = p.definition().elastic();
        assertThat(p.instances()).as("instances created: the maximum").isEqualTo(8);
        assertThat(e.min()).isEqualTo(2);
        assertThat(e.initial()).isEqualTo(2);
        assertThat(e.auto()).isTrue();
        assertThat(e.autoscale().upThreshold()).isEqualTo(0.9);
        assertThat(e.autoscale().upAfterMs()).isEqualTo(500);
        assertThat(e.autoscale().downThreshold()).isEqualTo(0.3);
        assertThat(e.autoscale().downAfterMs()).isEqualTo(300_000);
        assertThat(e.autoscale().windowBatches()).isEqualTo(100);
    }

    @Test
    void badElasticSettingsAreRejectedNamingTheField() {
        assertThat(problems("{ use: identity, from: in, parallelism: { min: 4, max: 2 } }"))
                .anyMatch(p -> p.contains("parallelism.max (2) must be at least parallelism.min (4)"));
        assertThat(problems("{ use: identity, from: in, parallelism: { min: 1 } }"))
                .anyMatch(p -> p.contains("parallelism.max is required"));
        assertThat(problems("{ use: identity, from: in, parallelism: { max: 4, scale_threshold: 1.5 } }"))
                .anyMatch(p -> p.contains("parallelism.scale_threshold must be a number above 0 and at most 1"));
        assertThat(problems("{ use: identity, from: in, parallelism: { max: 4, auto: maybe } }"))
                .anyMatch(p -> p.contains("parallelism.auto must be true or false"));
        assertThat(problems("{ use: identity, from: in, parallelism: { max: 500 } }"))
                .anyMatch(p -> p.contains("parallelism.max must be between 1 and 128"));
        assertThat(problems("{ use: identity, from: in, parallelism: { max: 4, scale_down_threshold: 0.9 } }"))
                .anyMatch(p -> p.contains("scale_down_threshold (0.9) must be below parallelism.scale_threshold"));
        assertThat(problems("{ use: identity, from: in, parallelism: { max: 4, scale_up_aftr_ms: 5 } }"))
                .anyMatch(p -> p.contains("unknown key 'scale_up_aftr_ms' in parallelism"));
    }

    @Test
    void elasticParallelismRefusesRoutersThatDoNotKeepAKeyOnOneInstance() {
        assertThatThrownBy(() -> plan("""
                        { use: identity, from: in, routing: { key: key, strategy: round_robin },
                          parallelism: { max: 4, auto: true } }"""))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("routing.strategy 'round_robin' cannot be used with elastic parallelism");
    }
}
