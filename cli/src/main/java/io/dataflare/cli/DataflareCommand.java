package io.dataflare.cli;

import picocli.CommandLine.Command;

/** {@code dataflare}: runs pipelines, validates them, inspects plugins, serves tasks and manages them. */
@Command(
        name = "dataflare",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description =
                "A pluggable data-flow engine: pipelines of sources, processors and sinks from Java, WASM and script plugins.",
        subcommands = {
            RunCommand.class,
            ValidateCommand.class,
            ReplayCommand.class,
            PluginsCommand.class,
            AuditCommand.class,
            StateCommand.class,
            io.dataflare.cli.server.ServeCommand.class,
            io.dataflare.cli.server.EdgeCommand.class,
            io.dataflare.cli.client.TaskCommand.class,
            io.dataflare.cli.client.ShellCommand.class,
            io.dataflare.cli.workflow.WorkflowCommand.class,
            SchemaCommand.class,
            CompletionCommand.class,
            io.dataflare.cli.client.ApprovalsCommand.class
        },
        usageHelpAutoWidth = true)
final class DataflareCommand extends CommandGroup {}
