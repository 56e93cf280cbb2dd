package io.dataflare.engine.host;

import io.dataflare.api.PluginContext;

/**
 * A component context that carries the stage's grants: the engine's contexts do; a sandboxed host reads them
 * with {@link Grants#of(PluginContext)}, which gives the plugin-local defaults for any other context.
 */
public interface GrantedContext extends PluginContext {
    /** What the person running the pipeline granted this stage. */
    Grants grants();
}
