package io.dataflare.cli;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataflare validate PIPELINE}: everything {@code run} checks, without running. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks a pipeline (syntax, graph, plugins and their configuration) without running it.",
            "Exit code: 0 valid, 2 invalid."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PIPELINE", description = "The pipeline file (YAML, JSON or TOML).")
    Path pipeline;

    @Mixin
    PluginFolders folders;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Engine engine = folders.engine()) {
            PipelinePlan plan = engine.load(pipeline);
            out.println(pipeline + ": valid pipeline '" + plan.name() + "'");
            for (StagePlan s : plan.stages()) {
                out.printf("  %-10s %-16s %s%s%n", s.role().label(), s.name(), s.component(),
                        s.instances() > 1 ? " x" + s.instances() : "");
            }
            if (plan.deadLetter() != null) out.printf("  %-10s %-16s %s%n", "sink", "dead_letter", plan.deadLetter().component());
            return ExitCodes.OK;
        } catch (InvalidConfigException e) {
            return Problems.print(e, spec.commandLine().getErr());
        }
    }
}
