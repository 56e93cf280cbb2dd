package io.dataflare.plugins.policies.routing;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.KeyRouterFactory;
import org.pf4j.Extension;

/**
 * The {@code sticky} router: a key keeps the instance it first got, and new keys go to the least
 * loaded instance; {@code max_keys} bounds the key table (later keys are routed by hash).
 */
@Extension
public final class StickyRouterFactory implements KeyRouterFactory {
    private static final String MAX_KEYS = "max_keys";

    @Override
    public String name() {
        return "sticky";
    }

    @Override
    public String description() {
        return "Keeps each key on one instance, sending new keys to the least loaded one";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional(
                        MAX_KEYS,
                        ConfigType.LONG,
                        1_000_000L,
                        "Keys remembered; beyond them new keys are routed by hash")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        long max = config.getLong(MAX_KEYS, 1_000_000);
        if (max < 0) throw new ConfigException(MAX_KEYS, "must not be negative, got " + max);
    }

    @Override
    public KeyRouter create(PluginContext ctx) {
        return new StickyRouter(ctx.config().getLong(MAX_KEYS, 1_000_000));
    }
}
