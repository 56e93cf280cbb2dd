package io.dataflare.plugins.transforms.dedupe;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code dedupe} processor: drops a record whose key was already seen within {@code ttl_ms} (counted as
 * filtered). The key is the record key, or the values of the {@code key} fields. The keys seen are keyed state,
 * so a run resumed from a checkpoint still knows every key seen before it.
 */
@Extension
public final class DedupeFactory implements ProcessorFactory {
    static final String KEY = "key";
    static final String TTL_MS = "ttl_ms";

    @Override
    public String name() {
        return "dedupe";
    }

    @Override
    public String description() {
        return "Drops records whose key was already seen within a time to live";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional(
                        KEY, ConfigType.STRING_LIST, null, "Fields whose values are the key (default: the record key)")
                .optional(
                        TTL_MS,
                        ConfigType.LONG,
                        null,
                        "How long a key is remembered after its first record, in ms (default: runtime.state.ttl_ms,"
                                + " else forever)")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        if (config.has(KEY)) {
            List<Object> fields = config.getList(KEY);
            if (fields.isEmpty())
                errors.add(new ConfigError(KEY, "needs at least one field (or omit it for the record key)"));
            for (int i = 0; i < fields.size(); i++) {
                if (!(fields.get(i) instanceof String s) || s.isBlank()) {
                    errors.add(new ConfigError(KEY + "." + i, "must be a field name, found " + fields.get(i)));
                }
            }
        }
        Long ttl = config.getLong(TTL_MS);
        if (ttl != null && ttl < 1) errors.add(new ConfigError(TTL_MS, "must be at least 1, found " + ttl));
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Processor create(PluginContext ctx) {
        PluginConfig config = ctx.config();
        List<String> fields = config.has(KEY) ? config.getList(KEY) : List.of();
        Long ttl = config.getLong(TTL_MS);
        return new DedupeProcessor(ctx.state(), fields, ttl == null ? null : Duration.ofMillis(ttl), ctx.clock());
    }
}
