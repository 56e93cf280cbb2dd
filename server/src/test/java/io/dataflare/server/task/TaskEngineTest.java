package io.dataflare.server.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.SecretResolver;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A task runs on the server's engine: a pipeline that asks for the Flink engine is refused, not run locally. */
class TaskEngineTest {
    private static TaskSpec spec(String runtime) {
        return new TaskSpec("t1", "yaml", """
                sources: { in: { use: seq, with: { count: 3 } } }
                sinks: { out: { use: collect, from: in, with: { name: c } } }
                %s
                """.formatted(runtime), ".", "api");
    }

    @Test
    void aPipelineForTheFlinkEngineIsRefusedWithTheReason() {
        try (Engine engine = TestEngines.withPlugins(new InProcessPlugins())) {
            TaskCompiler compiler = new TaskCompiler(engine, Map.<String, String>of()::get, SecretResolver.none());
            assertThat(compiler.compile(spec("runtime: { engine: local }")).plan())
                    .isNotNull();
            assertThatThrownBy(() -> compiler.compile(spec("runtime: { engine: flink }")))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("the server runs tasks on its own engine");
        }
    }
}
