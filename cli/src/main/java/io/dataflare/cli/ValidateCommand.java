package io.dataflare.cli;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataflare validate PIPELINE}: everything {@code run} checks, without running. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a pipeline without running it, as run checks it before it starts: syntax, variables, graph,"
                    + " plugins and their options, inputs and output directories, and the state store options. Every problem is"
                    + " reported in one pass.",
            "Exit code: 0 valid, 2 invalid."
        })
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PIPELINE", description = "The pipeline file (YAML, JSON or TOML).")
    Path pipeline;

    @Mixin
    PluginFolders folders;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Problem> problems = new ArrayList<>();
        state.problem().ifPresent(problems::add);
        try (Engine engine = folders.pipelineEngine(false)) {
            PipelinePlan plan = engine.load(pipeline);
            if (!problems.isEmpty())
                return Problems.print(problems, spec.commandLine().getErr());
            out.println(pipeline + ": valid pipeline '" + plan.name() + "'");
            for (StagePlan s : plan.stages()) {
                out.printf(
                        "  %-10s %-16s %s%s%s%n",
                        s.role().label(),
                        s.name(),
                        s.component().describe(),
                        s.instances() > 1 ? " x" + s.instances() : "",
                        granted(s.component().grants()));
            }
            if (plan.deadLetter() != null)
                out.printf(
                        "  %-10s %-16s %s%n",
                        "sink", "dead_letter", plan.deadLetter().describe());
            return ExitCodes.OK;
        } catch (InvalidConfigException e) {
            problems.addAll(e.problems());
            return Problems.print(problems, spec.commandLine().getErr());
        }
    }

    /** What the stage is granted beyond the plugin-local defaults, for the operator to review; empty for none. */
    private static String granted(Grants grants) {
        List<String> extra = grants.all().stream()
                .filter(g -> !Grants.PLUGIN_LOCAL.contains(g))
                .sorted()
                .toList();
        return extra.isEmpty() ? "" : "  granted " + String.join(", ", extra);
    }
}
