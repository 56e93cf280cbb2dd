package io.dataflare.plugins.generator;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code generator} source: deterministic synthetic records ({@code id}, {@code key},
 * {@code amount}, {@code name}, {@code text}) for tests, demos and benchmarks. The record key is the
 * {@code key} field.
 */
@Extension
public final class GeneratorSourceFactory implements SourceFactory {
    @Override
    public String name() {
        return "generator";
    }

    @Override
    public String description() {
        return "Generates deterministic synthetic records (id, key, amount, name, text)";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("count", ConfigType.LONG, 1000L, "How many records; -1 for no end")
                .optional("seed", ConfigType.LONG, 42L, "Same seed, same records")
                .optional("keys", ConfigType.LONG, 100L, "Distinct keys: key is k<id mod keys>")
                .optional("words", ConfigType.LONG, 8L, "Words in the text field")
                .optional("start", ConfigType.LONG, 0L, "The first id")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        long count = config.getLong("count", 1000);
        if (count < -1) errors.add(new ConfigError("count", "must be -1 (no end) or more, got " + count));
        long keys = config.getLong("keys", 100);
        if (keys < 1) errors.add(new ConfigError("keys", "must be at least 1, got " + keys));
        long words = config.getLong("words", 8);
        if (words < 0 || words > 10_000) errors.add(new ConfigError("words", "must be from 0 to 10000, got " + words));
        long start = config.getLong("start", 0);
        if (count > 0 && start > Long.MAX_VALUE - count)
            errors.add(new ConfigError("start", "start + count overflows"));
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Source create(PluginContext ctx) {
        PluginConfig c = ctx.config();
        SyntheticRecords records =
                new SyntheticRecords(c.getLong("seed", 42), c.getLong("keys", 100), c.getInt("words", 8));
        return new GeneratorSource(records, c.getLong("start", 0), c.getLong("count", 1000));
    }
}
