package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugins travel with the job: the plugin folder the pipeline was resolved from is deleted before the job
 * starts, and the job still runs as the local run did, from the bundle the runner packed. When the job ends the
 * task manager has released the plugins and deleted what it unpacked.
 */
@Timeout(180)
class PluginShippingIT {
    @Test
    void theJobRunsFromItsShippedPluginsAndReleasesThem(@TempDir Path dir) throws Exception {
        Fixtures.copy(dir, "examples/quickstart.yaml", "examples/data/orders.csv");
        Path pipeline = dir.resolve("examples/quickstart.yaml");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (Stream<Path> jars = Files.list(Fixtures.BUILT_INS)) {
            for (Path jar : jars.toList()) Files.copy(jar, plugins.resolve(jar.getFileName()));
        }
        PipelineResult local = Fixtures.runLocally(pipeline, List.of(plugins));
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> unpackedBefore = unpacked(tmp);

        FlinkRunner runner;
        try (Engine engine = Fixtures.engine(List.of(plugins))) {
            runner = new FlinkRunner(engine.load(pipeline), List.of(plugins), null);
        }
        try (Stream<Path> files = Files.list(plugins)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(plugins);

        PipelineResult flink = runner.run();

        assertThat(flink.failure()).isNull();
        assertThat(flink.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(Fixtures.counts(flink)).isEqualTo(Fixtures.counts(local));
        assertThat(TaskPlans.loaded())
                .as("every task released the job's plugins")
                .isZero();
        assertThat(unpacked(tmp)).as("the unpacked plugins are deleted").isEqualTo(unpackedBefore);
    }

    private static List<Path> unpacked(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("dataflare-plugins-"))
                    .sorted()
                    .toList();
        }
    }
}
