package io.dataflare.server.http;

import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.server.ServerConfigSchema;
import io.dataflare.workflow.definition.WorkflowSchema;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code /api/schema/workflow} and {@code /api/schema/server-config}: the documents {@code dataflare schema workflow}
 * and {@code dataflare schema server-config} print, so an editor (or the console) can fetch them from a running
 * server. The server-config schema is built from the plugins the server has now, since tasks' inline pipelines are
 * checked against them.
 */
final class SchemaRoutes {
    private static final String SCHEMA_JSON = "application/schema+json";

    private final PluginRegistry registry;

    SchemaRoutes(PluginRegistry registry) {
        this.registry = registry;
    }

    void register(RoutesConfig r) {
        r.get("/api/schema/workflow", this::workflow);
        r.get("/api/schema/server-config", this::serverConfig);
    }

    private void workflow(Context ctx) {
        ctx.status(200).contentType(SCHEMA_JSON).result(WorkflowSchema.of().toString());
    }

    private void serverConfig(Context ctx) {
        var pipeline = ServerConfigSchema.pipeline(registry.plugins(), registry.engineVersion());
        ctx.status(200)
                .contentType(SCHEMA_JSON)
                .result(ServerConfigSchema.configFile(pipeline).toString());
    }
}
