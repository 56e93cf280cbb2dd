package io.dataflare.cli.workflow;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dataflare workflow}: Amazon States Language workflows whose tasks are DataFlare plugins. */
@Command(
        name = "workflow",
        mixinStandardHelpOptions = true,
        description = "Validates and runs workflows (Amazon States Language, JSON or YAML) whose tasks are plugins.",
        subcommands = {WorkflowValidateCommand.class, WorkflowRunCommand.class, WorkflowHistoryCommand.class})
public final class WorkflowCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
