package io.dataflare.examples.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** python-processor/plugin/running_count.py in a real pipeline: found in the plugins folder by the registry, run by the Python host. */
@Timeout(120)
class RunningCountPipelineTest {
    @Test
    void countsPerKeyAcrossBatches() throws Exception {
        InProcessPlugins test = new InProcessPlugins();
        try (Engine engine = Engine.builder()
                .pluginDirectory(Path.of("python-processor", "plugin"))
                .environment(Map.of())
                .build()) {
            engine.plugins().register(test.plugin());
            PipelineResult r = engine.run(engine.load("""
                    sources: { in: { use: seq, with: { count: 3000, keys: 3 } } }
                    processors: { count: { use: running-count@1.0.0, from: in, with: { every: 10 } } }
                    sinks: { out: { use: collect, from: count, with: { name: out } } }
                    runtime: { batch_size: 250 }
                    """, "count.yaml", ConfigReader.Format.YAML, Path.of(".")));

            assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
            List<Record> out = test.collected("out");
            // 1,000 records per key, every 10th kept: ids 27, 57, ... for k0 (the 10th k0 is id 27)
            assertThat(out).hasSize(300);
            assertThat(out.get(0).getLong("id")).isEqualTo(27);
            assertThat(out.get(0).getLong("seen")).isEqualTo(10);
            assertThat(out.get(out.size() - 1).getLong("seen")).isEqualTo(1000);
        }
    }
}
