package io.dataflare.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dataflare schema ...}: JSON Schemas for the files DataFlare reads, for editors to complete and check them. */
@Command(
        name = "schema",
        mixinStandardHelpOptions = true,
        description =
                "Prints JSON Schemas of pipeline, server config and workflow files, for editors (VS Code, IntelliJ) to complete and check.",
        subcommands = {SchemaPipelineCommand.class, SchemaServerConfigCommand.class, SchemaWorkflowCommand.class})
final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
