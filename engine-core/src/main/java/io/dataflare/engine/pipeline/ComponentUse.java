package io.dataflare.engine.pipeline;

import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.plugin.PluginReference;

/**
 * A {@code use:} with its {@code with:} options, as written for a stage, a policy or the dead-letter sink.
 *
 * @param use         the reference
 * @param useLocation where {@code use:} is written
 * @param with        the options (an empty map when none)
 */
public record ComponentUse(PluginReference use, Location useLocation, MapNode with) {}
