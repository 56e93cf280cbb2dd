package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submission over REST ({@code --flink HOST:PORT}) to a running cluster, here a MiniCluster's REST endpoint: the job
 * is sent as a client sends it to a session cluster, followed to its end, and summed up as a local run.
 */
@Timeout(180)
class SessionClusterSubmitIT {
    @Test
    void theQuickstartSubmittedOverRestGivesTheLocalSummary(@TempDir Path dir) throws Exception {
        Fixtures.copy(dir, "examples/quickstart.yaml", "examples/data/orders.csv");
        Path pipeline = dir.resolve("examples/quickstart.yaml");
        List<Path> plugins = List.of(Fixtures.BUILT_INS);
        PipelineResult local = Fixtures.runLocally(pipeline, plugins);

        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        MiniClusterConfiguration config = new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build();
        try (Engine engine = Fixtures.engine(plugins);
                MiniCluster cluster = new MiniCluster(config)) {
            cluster.start();
            String rest = cluster.getRestAddress().get().getHost() + ":"
                    + cluster.getRestAddress().get().getPort();
            FlinkRunner runner = new FlinkRunner(engine.load(pipeline), plugins, null);

            PipelineResult remote = runner.runOn(rest);

            assertThat(remote.failure()).isNull();
            assertThat(remote.state()).isEqualTo(PipelineState.COMPLETED);
            assertThat(Fixtures.counts(remote)).isEqualTo(Fixtures.counts(local));
            assertThatThrownBy(() -> runner.runOn("no-port"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("HOST:PORT");
        }
    }
}
