package io.dataflare.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.state.keyed.StateSettings;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code runtime.engine}: where a pipeline runs (this process, or a Flink job), checked like every runtime key. */
class RuntimeEngineConfigTest {
    private final Engine engine = TestEngines.withPlugins(new InProcessPlugins());

    @AfterEach
    void close() {
        engine.close();
    }

    private PipelinePlan plan(String runtime) {
        return TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 10 } } }
                sinks: { out: { use: collect, from: in, with: { name: c } } }
                %s
                """.formatted(runtime));
    }

    /** The defaults the README documents, the same whether {@code runtime:} is left out or left empty. */
    @Test
    void aPipelineWithoutRuntimeKeysGetsTheDefaults() {
        RuntimeSettings documented = new RuntimeSettings(
                1000, 200, 1, 4, 10_000, 0, null, StateSettings.DEFAULTS, "local", ResourceLimits.NONE);
        assertThat(plan("").definition().runtime()).isEqualTo(documented);
        assertThat(plan("runtime: {}").definition().runtime()).isEqualTo(documented);
    }

    @Test
    void aPipelineRunsLocallyUnlessItSaysFlink() {
        assertThat(plan("").definition().runtime().engine()).isEqualTo("local");
        assertThat(plan("runtime: { engine: local }").definition().runtime().engine())
                .isEqualTo("local");
        assertThat(plan("runtime: { engine: flink }").definition().runtime().engine())
                .isEqualTo("flink");
    }

    @Test
    void anotherEngineIsAProblemWithItsLine() {
        assertThatThrownBy(() -> plan("runtime: { engine: spark }"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(":3:")
                .hasMessageContaining("'runtime.engine' must be local or flink, found");
    }
}
