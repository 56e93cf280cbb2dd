package io.dataflare.workflow.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.runtime.StatsSnapshot;
import io.dataflare.workflow.error.ErrorNames;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.interpreter.TaskInvoker;
import io.dataflare.workflow.interpreter.TaskRequest;
import io.dataflare.workflow.validation.ResourceCheck;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * {@code "Resource": "pipeline:FILE"}: a DataFlare pipeline (relative to the definition) run to its end as one
 * step; its summary is the task's result. A pipeline that fails fails the task with {@code PipelineFailed}
 * and the engine's reason as the cause. The task's input is not passed to the pipeline.
 */
public final class PipelineTaskInvoker implements TaskInvoker, ResourceCheck {
    /** The prefix of a resource naming a pipeline file. */
    public static final String PREFIX = "pipeline:";
    /** The error a failed pipeline raises. */
    public static final String PIPELINE_FAILED = "PipelineFailed";

    private final Engine engine;
    private final Path baseDir;

    public PipelineTaskInvoker(Engine engine, Path baseDir) {
        this.engine = engine;
        this.baseDir = baseDir;
    }

    private Path file(String resource) {
        return baseDir.resolve(resource.substring(PREFIX.length()));
    }

    @Override
    public String problem(String resource) {
        try {
            engine.load(file(resource));
            return null;
        } catch (InvalidConfigException e) {
            return "the pipeline " + resource.substring(PREFIX.length()) + " is not valid: "
                    + e.problems().stream().map(Problem::toString).collect(Collectors.joining("; "));
        }
    }

    @Override
    public JsonNode invoke(TaskRequest request) throws StatesError, InterruptedException {
        PipelinePlan plan;
        try {
            plan = engine.load(file(request.resource()));
        } catch (InvalidConfigException e) {
            throw new StatesError(ErrorNames.TASK_FAILED, problem(request.resource()), e);
        }
        PipelineResult r = engine.run(plan);
        if (r.state() == PipelineState.FAILED) throw new StatesError(PIPELINE_FAILED, r.failure());
        StatsSnapshot s = r.stats();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("pipeline", r.pipeline());
        out.put("status", r.state().name());
        out.put("records_in", s.recordsIn());
        out.put("records_out", s.recordsOut());
        out.put("dead_lettered", s.deadLettered());
        out.put("skipped", s.skipped());
        out.put("filtered", s.filtered());
        out.put("retries", s.retries());
        out.put("timeouts", s.timeouts());
        out.put("duration_ms", s.durationMs());
        return out;
    }
}
