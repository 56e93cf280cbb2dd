package io.dataflare.api.policy;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;

/**
 * Creates {@link KeyRouter}s; named by a pipeline's {@code policies.routing.strategy}.
 *
 * @since 1.0.0
 */
public interface KeyRouterFactory extends PluginFactory<KeyRouter> {
    @Override
    default ComponentKind kind() {
        return ComponentKind.KEY_ROUTER;
    }
}
