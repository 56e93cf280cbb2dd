package io.dataflare.examples.js;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** javascript-processor/plugin/redact.js in a real pipeline: found in the plugins folder by the registry, run by the JavaScript host. */
@Timeout(60)
class RedactPipelineTest {
    @Test
    void redactsTheConfiguredFields() throws Exception {
        InProcessPlugins test = new InProcessPlugins();
        try (Engine engine = Engine.builder()
                .pluginDirectory(Path.of("javascript-processor", "plugin"))
                .environment(Map.of())
                .build()) {
            engine.plugins().register(test.plugin());
            PipelineResult r = engine.run(engine.load("""
                    sources: { in: { use: seq, with: { count: 2500, keys: 7 } } }
                    processors: { mask: { use: redact@^1, from: in, with: { fields: [key], keep: 1 } } }
                    sinks: { out: { use: collect, from: mask, with: { name: out } } }
                    """, "redact.yaml", ConfigReader.Format.YAML, Path.of(".")));

            assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
            assertThat(test.collected("out")).hasSize(2500).allSatisfy(rec -> {
                assertThat(rec.getString("key")).isEqualTo("k*");
                assertThat(rec.getLong("masked")).isEqualTo(1);
            });
            assertThat(test.collected("out").get(1234).getLong("id")).isEqualTo(1234);
        }
    }
}
