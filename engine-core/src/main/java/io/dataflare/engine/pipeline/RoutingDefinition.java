package io.dataflare.engine.pipeline;

import io.dataflare.engine.config.Location;
import io.dataflare.engine.plugin.PluginReference;

/**
 * How records are spread over the instances of a parallel stage ({@code routing:}).
 *
 * @param key      the field whose value is the routing key (null: the record's own key)
 * @param strategy the key router ({@code hash}, {@code round_robin}, {@code sticky} or a plugin)
 * @param location where the routing is written
 */
public record RoutingDefinition(String key, ComponentUse strategy, Location location) {
    /** The default strategy name. */
    public static final String DEFAULT_STRATEGY = "hash";

    /** The strategy's reference. */
    public PluginReference strategyReference() {
        return strategy.use();
    }
}
