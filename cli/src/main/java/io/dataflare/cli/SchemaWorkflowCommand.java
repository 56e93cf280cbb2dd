package io.dataflare.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.workflow.definition.WorkflowSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dataflare schema workflow}: the schema of workflow definitions (the States Language as DataFlare runs it). */
@Command(
        name = "workflow",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the JSON Schema of workflow definitions (Amazon States Language, JSONPath): each state type's",
            "fields as 'dataflare workflow validate' accepts them."
        })
final class SchemaWorkflowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        spec.commandLine()
                .getOut()
                .println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(WorkflowSchema.of()));
        return ExitCodes.OK;
    }
}
