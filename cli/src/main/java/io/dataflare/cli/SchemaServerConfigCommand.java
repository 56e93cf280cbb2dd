package io.dataflare.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.Engine;
import io.dataflare.server.ServerConfigSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dataflare schema server-config}: the schema of {@code serve --config} files, tasks' pipelines included. */
@Command(
        name = "server-config",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the JSON Schema of the config file of 'dataflare serve --config': server:, auth:, and tasks:",
            "whose inline pipeline: is checked as a pipeline of the installed plugins and the server's built-ins."
        })
final class SchemaServerConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginFolders folders;

    @Override
    public Integer call() throws Exception {
        try (Engine engine = folders.engine()) {
            var pipeline = ServerConfigSchema.pipeline(
                    engine.plugins().plugins(), engine.plugins().engineVersion());
            spec.commandLine()
                    .getOut()
                    .println(new ObjectMapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(ServerConfigSchema.configFile(pipeline)));
        }
        return ExitCodes.OK;
    }
}
