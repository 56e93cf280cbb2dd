package io.dataflare.flink;

import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.PipelineResult;
import java.nio.file.Path;
import java.util.List;

/**
 * A process that submits a pipeline to a session cluster and follows it to its end, as {@code dataflare run --flink}
 * does, for the tests that signal it: {@code PIPELINE PLUGIN_DIR HOST:PORT}.
 */
public final class SubmitToCluster {
    private SubmitToCluster() {}

    public static void main(String[] args) throws Exception {
        List<Path> plugins = List.of(Path.of(args[1]));
        try (Engine engine = Fixtures.engine(plugins)) {
            FlinkRunner runner = new FlinkRunner(engine.load(Path.of(args[0])), plugins, null);
            System.out.println("submitting");
            PipelineResult result = runner.runOn(args[2]);
            System.out.println("ended: " + result.state());
        }
    }
}
