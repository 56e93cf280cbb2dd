package io.dataflare.workflow.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.Engine;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.interpreter.TaskInvoker;
import io.dataflare.workflow.interpreter.TaskRequest;
import io.dataflare.workflow.validation.ResourceCheck;
import java.nio.file.Path;

/** The Task resources of an engine: {@code pipeline:FILE} runs a pipeline, everything else names a plugin. */
public final class EngineTaskInvoker implements TaskInvoker, ResourceCheck, AutoCloseable {
    private final PluginTaskInvoker plugins;
    private final PipelineTaskInvoker pipelines;

    /** @param baseDir the definition's folder: relative plugin and pipeline paths are resolved against it */
    public EngineTaskInvoker(Engine engine, Path baseDir) {
        this.plugins = new PluginTaskInvoker(engine.plugins(), baseDir);
        this.pipelines = new PipelineTaskInvoker(engine, baseDir);
    }

    @Override
    public String problem(String resource) {
        return resource.startsWith(PipelineTaskInvoker.PREFIX)
                ? pipelines.problem(resource)
                : plugins.problem(resource);
    }

    @Override
    public JsonNode invoke(TaskRequest request) throws StatesError, InterruptedException {
        return request.resource().startsWith(PipelineTaskInvoker.PREFIX)
                ? pipelines.invoke(request)
                : plugins.invoke(request);
    }

    @Override
    public void close() {
        plugins.close();
    }
}
