package io.dataflare.workflow.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.workflow.definition.InvalidDefinitionException;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.InMemoryHistory;
import io.dataflare.workflow.interpreter.VirtualClock;
import io.dataflare.workflow.interpreter.WorkflowEngine;
import io.dataflare.workflow.validation.Definitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code "Resource": "pipeline:FILE"}: a pipeline run as one step, its summary the result. */
class PipelineTaskTest {
    @TempDir
    Path dir;

    Engine engine;
    InProcessPlugins plugins;
    EngineTaskInvoker tasks;

    @BeforeEach
    void start() {
        plugins = new InProcessPlugins().processor("boom", () -> batch -> {
            throw new IllegalStateException("boom");
        });
        engine = Engine.builder().build();
        engine.plugins().register(plugins.plugin());
        tasks = new EngineTaskInvoker(engine, dir);
    }

    @AfterEach
    void stop() {
        tasks.close();
        engine.close();
    }

    private StateMachine definition(String resource) throws Exception {
        return Definitions.parse("""
                {"StartAt": "Load", "States": {
                  "Load": {"Type": "Task", "Resource": "%s", "ResultSelector": {"in.$": "$.records_in", "out.$": "$.records_out", "status.$": "$.status"}, "End": true,
                           "Catch": [{"ErrorEquals": ["PipelineFailed"], "Next": "Failed"}]},
                  "Failed": {"Type": "Pass", "End": true}}}
                """.formatted(resource), "wf.json", false, tasks);
    }

    private ExecutionResult run(StateMachine m) throws InterruptedException {
        WorkflowEngine workflows = new WorkflowEngine(tasks, new VirtualClock(Instant.EPOCH), new InMemoryHistory());
        return workflows.run(m, "p", JsonNodeFactory.instance.objectNode());
    }

    @Test
    void aPipelineRunsAsAStepAndItsSummaryIsTheResult() throws Exception {
        Files.writeString(dir.resolve("load.yaml"), """
                sources: { in: { use: seq, with: { count: 5 } } }
                sinks: { out: { use: collect, from: in, with: { name: wf } } }
                """);
        ExecutionResult r = run(definition("pipeline:load.yaml"));
        assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(r.output().toString()).isEqualTo("{\"in\":5,\"out\":5,\"status\":\"COMPLETED\"}");
        assertThat(plugins.collected("wf")).hasSize(5);
    }

    @Test
    void aFailedPipelineIsTheErrorPipelineFailed() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), """
                sources: { in: { use: seq, with: { count: 3 } } }
                processors: { b: { use: boom, from: in } }
                sinks: { out: { use: collect, from: b, with: { name: never } } }
                """);
        ExecutionResult r = run(definition("pipeline:bad.yaml"));
        assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(r.output().get("Error").asText()).isEqualTo("PipelineFailed");
        assertThat(r.output().get("Cause").asText()).contains("boom");
    }

    @Test
    void anInvalidPipelineIsAValidationProblemOfTheWorkflow() throws Exception {
        Files.writeString(dir.resolve("invalid.yaml"), "sources: { in: { use: nope } }\n");
        assertThatThrownBy(() -> definition("pipeline:invalid.yaml"))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("wf.json:2:")
                .hasMessageContaining("the pipeline invalid.yaml is not valid")
                .hasMessageContaining("nope");
    }
}
