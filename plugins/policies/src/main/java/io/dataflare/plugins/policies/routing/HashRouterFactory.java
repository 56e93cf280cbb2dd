package io.dataflare.plugins.policies.routing;

import io.dataflare.api.PluginContext;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.KeyRouterFactory;
import org.pf4j.Extension;

/** The {@code hash} router: equal keys always go to the same instance (a null key to instance 0). */
@Extension
public final class HashRouterFactory implements KeyRouterFactory {
    @Override
    public String name() {
        return "hash";
    }

    @Override
    public String description() {
        return "Routes each key to a fixed instance by its hash";
    }

    @Override
    public KeyRouter create(PluginContext ctx) {
        return (key, load) -> Keys.hashRoute(key, load.instances());
    }
}
