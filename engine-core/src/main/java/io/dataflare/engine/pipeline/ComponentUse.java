package io.dataflare.engine.pipeline;

import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.plugin.PluginReference;

/**
 * A {@code use:} with its {@code with:} options and {@code grants:}, as written for a stage, a policy or the
 * dead-letter sink.
 *
 * @param use         the reference
 * @param useLocation where {@code use:} is written
 * @param with        the options (an empty map when none)
 * @param grants      the {@code grants:} list, or null when none is written
 */
public record ComponentUse(PluginReference use, Location useLocation, MapNode with, GrantsDefinition grants) {
    /** A use with no {@code grants:} written. */
    public ComponentUse(PluginReference use, Location useLocation, MapNode with) {
        this(use, useLocation, with, null);
    }
}
