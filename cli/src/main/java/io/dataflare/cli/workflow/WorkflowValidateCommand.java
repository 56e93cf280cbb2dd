package io.dataflare.cli.workflow;

import io.dataflare.cli.ExitCodes;
import io.dataflare.cli.PluginFolders;
import io.dataflare.engine.Engine;
import io.dataflare.workflow.definition.InvalidDefinitionException;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.plugin.EngineTaskInvoker;
import io.dataflare.workflow.validation.Definitions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataflare workflow validate FILE}: every check {@code workflow run} makes before it runs anything. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a workflow definition without running it: fields, paths, intrinsic calls, Choice rules, Next"
                    + " targets, reachability, dead ends, and that every Task's plugin is installed. Every problem is"
                    + " reported as file:line:column: message.",
            "Exit code: 0 valid, 2 invalid."
        })
public final class WorkflowValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The definition (JSON, or YAML for .yaml/.yml).")
    Path file;

    @Mixin
    PluginFolders folders;

    @Override
    public Integer call() {
        try (Engine engine = folders.engine();
                EngineTaskInvoker tasks = new EngineTaskInvoker(engine, baseDir(file))) {
            StateMachine m = Definitions.load(file, tasks);
            spec.commandLine()
                    .getOut()
                    .println(file + ": valid workflow, " + m.states().size() + " states, starts at '" + m.startAt()
                            + "'");
            return ExitCodes.OK;
        } catch (InvalidDefinitionException e) {
            return WorkflowProblems.print(e, spec.commandLine().getErr());
        }
    }

    static Path baseDir(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".").toAbsolutePath() : parent;
    }
}
