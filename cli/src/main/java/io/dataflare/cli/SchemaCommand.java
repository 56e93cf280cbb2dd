package io.dataflare.cli;

import picocli.CommandLine.Command;

/** {@code dataflare schema ...}: JSON Schemas for the files DataFlare reads, for editors to complete and check them. */
@Command(
        name = "schema",
        mixinStandardHelpOptions = true,
        description =
                "Prints JSON Schemas of pipeline, server config and workflow files, for editors (VS Code, IntelliJ) to complete and check.",
        subcommands = {SchemaPipelineCommand.class, SchemaServerConfigCommand.class, SchemaWorkflowCommand.class})
final class SchemaCommand extends CommandGroup {}
