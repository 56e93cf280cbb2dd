package io.dataflare.cli;

import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.flink.FlinkRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * {@code dataflare run --engine flink} (or {@code runtime.engine: flink}): the pipeline as an Apache Flink job on
 * an embedded MiniCluster, or with {@code --flink HOST:PORT} on a session cluster; what cannot run there is reported as a validation problem, and the summary is printed
 * as a local run's.
 */
final class CloudRun {
    private CloudRun() {}

    static int run(
            PipelinePlan plan,
            List<Path> pluginFolders,
            Integer parallelism,
            String clusterAddress,
            boolean json,
            PrintWriter out,
            PrintWriter err)
            throws Exception {
        // Flink warns about what a MiniCluster leaves out (log files, delegation tokens, a web UI): not the
        // pipeline's business. Its errors still show; DATAFLARE_LOG_LEVEL shows it all as set.
        if (System.getenv("DATAFLARE_LOG_LEVEL") == null
                && System.getProperty("org.slf4j.simpleLogger.log.org.apache.flink") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink", "error");
        }
        FlinkRunner runner;
        try {
            runner = new FlinkRunner(plan, pluginFolders, parallelism);
        } catch (InvalidConfigException e) {
            return Problems.print(e, err); // what cannot run on Flink, as validation problems
        }
        if (clusterAddress == null) return report(runner.run(), json, out, err);
        try {
            FlinkRunner.restAddress(clusterAddress);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage() + "; nothing was run");
            return ExitCodes.INVALID;
        }
        PipelineResult result;
        try {
            result = runner.runOn(clusterAddress);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            err.println("error: the Flink cluster at " + clusterAddress + " did not run the job: " + cause);
            return ExitCodes.FAILED;
        }
        return report(result, json, out, err);
    }

    private static int report(PipelineResult result, boolean json, PrintWriter out, PrintWriter err) {
        out.flush();
        if (json) RunSummary.printJson(result, out);
        else RunSummary.printText(result, err);
        return result.state() == PipelineState.FAILED ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
