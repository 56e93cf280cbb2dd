package io.dataflare.plugins.policies.routing;

import io.dataflare.api.PluginContext;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.KeyRouterFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.pf4j.Extension;

/** The {@code round_robin} router: records go to the instances in turn, whatever their key. */
@Extension
public final class RoundRobinRouterFactory implements KeyRouterFactory {
    @Override
    public String name() {
        return "round_robin";
    }

    @Override
    public String description() {
        return "Routes records to the instances in turn (no per-key order)";
    }

    @Override
    public KeyRouter create(PluginContext ctx) {
        AtomicLong next = new AtomicLong();
        return (key, load) -> (int) Math.floorMod(next.getAndIncrement(), (long) load.instances());
    }
}
