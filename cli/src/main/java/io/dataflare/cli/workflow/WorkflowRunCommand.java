package io.dataflare.cli.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.cli.ExitCodes;
import io.dataflare.cli.PluginFolders;
import io.dataflare.cli.StateOptions;
import io.dataflare.engine.Engine;
import io.dataflare.engine.state.StateLockedException;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.definition.InvalidDefinitionException;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.durable.DurableWorkflows;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.WorkflowClock;
import io.dataflare.workflow.interpreter.WorkflowEngine;
import io.dataflare.workflow.plugin.EngineTaskInvoker;
import io.dataflare.workflow.validation.Definitions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataflare workflow run FILE}: one execution, in this process, to its end. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Validates a workflow definition, then runs one execution of it to its end in this process, its history"
                    + " kept in the state store: an unfinished execution of the same --name is resumed, a finished"
                    + " one answers how it ended.",
            "Exit code: 0 SUCCEEDED, 1 FAILED, TIMED_OUT or ABORTED, 2 invalid definition or input."
        })
public final class WorkflowRunCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The definition (JSON, or YAML for .yaml/.yml).")
    Path file;

    @Option(
            names = "--input",
            paramLabel = "JSON|@FILE",
            description = "The execution's input: JSON text, or @ and a file holding it (default {}).")
    String input = "{}";

    @Option(names = "--name", paramLabel = "ID", description = "The execution's name (default: a random one).")
    String name;

    @Option(
            names = "--redrive",
            description = "Redrive the FAILED, TIMED_OUT or ABORTED execution --name from the state that failed, with"
                    + " that state's input (--input is ignored), and run it to its end.")
    boolean redrive;

    @Option(
            names = "--json",
            description =
                    "Print the outcome as one JSON object (execution, status, output, error, cause) on the last line.")
    boolean json;

    @Mixin
    PluginFolders folders;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonNode in;
        try {
            String text = input.startsWith("@")
                    ? Files.readString(Path.of(input.substring(1)), StandardCharsets.UTF_8)
                    : input;
            in = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            err.println("--input: not JSON: " + e.getOriginalMessage());
            return ExitCodes.INVALID;
        } catch (IOException e) {
            err.println("--input: cannot read " + input.substring(1) + ": " + e.getMessage());
            return ExitCodes.INVALID;
        }
        var stateProblem = state.problem();
        if (stateProblem.isPresent()) {
            err.println(stateProblem.get().location().source() + ": "
                    + stateProblem.get().message());
            return ExitCodes.INVALID;
        }
        if (redrive && name == null) {
            err.println("--redrive needs the --name of the execution to redrive");
            return ExitCodes.INVALID;
        }
        String execution = name != null ? name : UUID.randomUUID().toString();
        try (StateStore store = state.open();
                Engine engine = folders.engine();
                EngineTaskInvoker tasks = new EngineTaskInvoker(engine, WorkflowValidateCommand.baseDir(file))) {
            StateMachine m = Definitions.load(file, tasks);
            DurableWorkflows workflows = new DurableWorkflows(store, tasks, WorkflowClock.SYSTEM);
            ExecutionResult r = redrive ? workflows.redrive(m, execution) : workflows.run(m, execution, in);
            if (json) {
                out.println(MAPPER.writeValueAsString(r.toJson()));
            } else {
                out.println("execution " + r.execution() + " " + r.status());
                if (r.status() == ExecutionStatus.SUCCEEDED) out.println(r.output());
                else
                    out.println("error: " + r.error()
                            + (r.cause() == null || r.cause().isEmpty() ? "" : ": " + r.cause()));
            }
            out.flush();
            return r.status() == ExecutionStatus.SUCCEEDED ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (WorkflowEngine.NotRedrivableException e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (StateLockedException e) {
            err.println("execution '" + execution + "' is running in another process: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (InvalidDefinitionException e) {
            return WorkflowProblems.print(e, err);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the result did not serialise", e);
        }
    }
}
