package io.dataflare.cli.workflow;

import io.dataflare.cli.client.WorkflowClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dataflare workflow}: Amazon States Language workflows whose tasks are DataFlare plugins. */
@Command(
        name = "workflow",
        mixinStandardHelpOptions = true,
        description = {
            "Validates and runs workflows (Amazon States Language, JSON or YAML) whose tasks are plugins: validate, run"
                    + " and history in this process; register, start, status, stop and list on a task server"
                    + " (dataflare serve) through its HTTP API (--server URL, DATAFLARE_SERVER or the client config"
                    + " file; token: DATAFLARE_TOKEN or the client config file)."
        },
        subcommands = {
            WorkflowValidateCommand.class,
            WorkflowRunCommand.class,
            WorkflowHistoryCommand.class,
            WorkflowClient.Register.class,
            WorkflowClient.Start.class,
            WorkflowClient.Status.class,
            WorkflowClient.Stop.class,
            WorkflowClient.ListExecutions.class
        })
public final class WorkflowCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
