package io.dataflare.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.Engine;
import io.dataflare.engine.pipeline.PipelineSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dataflare schema pipeline}: the pipeline schema for the plugins installed in the plugin folders. */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the JSON Schema of pipeline files for the installed plugins: each stage's use: names, each",
            "plugin's with: options (types, defaults, descriptions, required), and the engine's own keys."
        })
final class SchemaPipelineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginFolders folders;

    @Override
    public Integer call() throws Exception {
        try (Engine engine = folders.engine()) {
            spec.commandLine()
                    .getOut()
                    .println(new ObjectMapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(
                                    PipelineSchema.of(engine.plugins().plugins())));
        }
        return ExitCodes.OK;
    }
}
