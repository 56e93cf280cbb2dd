package io.dataflare.cli;

import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.RuntimeSettings;
import io.dataflare.engine.runtime.CheckpointMismatchException;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.runtime.RunOptions;
import io.dataflare.engine.state.StateIntegrityException;
import io.dataflare.engine.state.StateLockedException;
import io.dataflare.engine.state.StateStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataflare run PIPELINE}: validates a pipeline, runs it to its end, reports. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a pipeline to completion, resuming from its last checkpoint if a previous run crashed or was stopped.",
            "Standard output carries only what sinks write there (the stdout sink) and, with --json, the summary as its last line;"
                    + " progress and the summary for people go to standard error.",
            "Exit code: 0 COMPLETED (dead letters allowed), 1 FAILED, 2 invalid pipeline, configuration or checkpoint,"
                    + " 3 another run holds the pipeline's state, 130 stopped by Ctrl-C (143 by SIGTERM) after a checkpoint."
        })
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PIPELINE", description = "The pipeline file (YAML, JSON or TOML).")
    Path pipeline;

    @Mixin
    PluginFolders folders;

    @Option(names = "--json", description = "Print the summary as one JSON object on the last line of standard output.")
    boolean json;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress line.")
    boolean quiet;

    @Mixin
    StateOptions state;

    @Option(names = "--from-start", description = "Ignore (and discard) the pipeline's last checkpoint and start over.")
    boolean fromStart;

    @Option(
            names = "--watch-plugins",
            description = "Watch the plugin folders while running: stages switch to newer versions"
                    + " of their plugin (within their range), processors at the next batch boundary, sources, sinks"
                    + " and policies at a barrier.")
    boolean watchPlugins;

    @Option(
            names = "--engine",
            paramLabel = "local|flink",
            description = "Where to run: local (this process) or flink (cloud mode: an Apache Flink job on an embedded"
                    + " MiniCluster). Default: the pipeline's runtime.engine, else local.")
    String engineName;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description =
                    "With the flink engine: the instances of every processor that sets no parallelism of its own.")
    Integer parallelism;

    @Option(
            names = "--flink",
            paramLabel = "HOST:PORT",
            description = "With the flink engine: submit to the Flink session cluster with this REST address instead of"
                    + " an embedded MiniCluster, and follow the job to its end.")
    String flinkAddress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Engine engine = folders.pipelineEngine(watchPlugins)) {
            // Everything that can be checked before the run is, and reported together: the state store's
            // description and every problem of the pipeline (its inputs included).
            List<Problem> problems = new ArrayList<>();
            state.problem().ifPresent(problems::add);
            PipelinePlan plan = null;
            try {
                plan = engine.load(pipeline);
            } catch (InvalidConfigException e) {
                problems.addAll(e.problems());
            }
            if (!problems.isEmpty()) return Problems.print(problems, err);
            // --flink HOST:PORT means the flink engine; --engine overrides the file's runtime.engine
            String where = engineName != null
                    ? engineName
                    : flinkAddress != null
                            ? RuntimeSettings.FLINK
                            : plan.definition().runtime().engine();
            if (RuntimeSettings.FLINK.equals(where)) {
                if (watchPlugins) {
                    err.println("error: --watch-plugins is not supported with the flink engine; nothing was run");
                    return ExitCodes.INVALID;
                }
                return CloudRun.run(plan, folders.folders(), parallelism, flinkAddress, json, out, err);
            }
            if (!RuntimeSettings.LOCAL.equals(where)) {
                err.println("error: --engine must be local or flink, not '" + where + "'; nothing was run");
                return ExitCodes.INVALID;
            }
            if (parallelism != null || flinkAddress != null) {
                err.println("error: " + (parallelism != null ? "--parallelism" : "--flink")
                        + " is for the flink engine, and this run is local (--engine local); nothing was run");
                return ExitCodes.INVALID;
            }
            StateStore opened;
            try {
                opened = state.open();
            } catch (StateIntegrityException | IllegalArgumentException e) {
                err.println("error: " + e.getMessage() + "; nothing was run");
                return ExitCodes.INVALID;
            }
            try (StateStore store = opened) {
                return run(engine, plan, store, out, err);
            }
        }
    }

    private int run(Engine engine, PipelinePlan plan, StateStore store, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        String key = plan.definition().stateKey();
        PipelineRun run;
        try {
            run = engine.start(plan, new RunOptions(new CheckpointStore(store), !fromStart, key));
        } catch (StateLockedException e) {
            err.println(
                    "error: " + e.getMessage() + "; nothing was run (wait for it to end, or use another --state-dir)");
            return ExitCodes.BUSY;
        } catch (CheckpointMismatchException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        if (run.resumedFrom() != null) {
            err.println("resuming '" + plan.name() + "' from checkpoint "
                    + run.resumedFrom().id() + " of " + run.resumedFrom().createdAt() + " (" + store.describe()
                    + "; --from-start to start over)");
        }
        ProgressLine progress = !json && !quiet && Terminal.interactive() ? new ProgressLine(err) : null;
        if (progress != null) run.addListener(progress);
        PipelineResult result;
        try (StopSignals signals = StopSignals.install(run)) {
            try {
                result = run.await();
            } finally {
                if (progress != null) progress.clear();
            }
            out.flush();
            if (json) RunSummary.printJson(result, out);
            else RunSummary.printText(result, err);
            if (signals.received() != null) {
                err.println("stopped by " + signals.received()
                        + ": what was read reached the sinks and a checkpoint was taken;"
                        + " run the same command again to go on");
                return signals.exitCode();
            }
        }
        return result.state() == PipelineState.FAILED ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
