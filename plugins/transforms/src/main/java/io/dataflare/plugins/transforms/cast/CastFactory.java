package io.dataflare.plugins.transforms.cast;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.FieldType;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The {@code cast} processor: converts fields to types ({@code schema: {amount: double}}) and requires
 * fields to be present and non-null ({@code required: [id]}). A value that does not convert, or a
 * missing required field, rejects the record ("field 'amount': 'abc' is not a number").
 */
@Extension
public final class CastFactory implements ProcessorFactory {
    static final String SCHEMA = "schema";
    static final String REQUIRED = "required";
    private static final Set<FieldType> CASTABLE = EnumSet.of(
            FieldType.STRING,
            FieldType.LONG,
            FieldType.DOUBLE,
            FieldType.BOOLEAN,
            FieldType.TIMESTAMP,
            FieldType.BYTES,
            FieldType.DECIMAL);

    @Override
    public String name() {
        return "cast";
    }

    @Override
    public String description() {
        return "Converts fields to types and checks required fields";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional(
                        SCHEMA,
                        ConfigType.MAP,
                        null,
                        "Field -> type: string, long, double, decimal, boolean, timestamp or bytes")
                .optional(REQUIRED, ConfigType.STRING_LIST, null, "Fields that must be present and not null")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        for (Map.Entry<String, Object> e : config.getMap(SCHEMA).entrySet()) {
            try {
                type(e.getValue());
            } catch (IllegalArgumentException ex) {
                errors.add(new ConfigError(SCHEMA + "." + e.getKey(), ex.getMessage()));
            }
        }
        if (!config.has(SCHEMA) && !config.has(REQUIRED)) {
            errors.add(new ConfigError("", "needs 'schema', 'required' or both"));
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Processor create(PluginContext ctx) {
        Map<String, FieldType> schema = new LinkedHashMap<>();
        ctx.config().getMap(SCHEMA).forEach((k, v) -> schema.put(k, type(v)));
        return Processor.mapping(new CastRecords(schema, ctx.config().getList(REQUIRED)));
    }

    private static FieldType type(Object label) {
        FieldType t = FieldType.fromLabel(label == null ? null : label.toString());
        if (!CASTABLE.contains(t)) {
            throw new IllegalArgumentException("cannot cast to " + t.label()
                    + " (expected string, long, double, decimal, boolean, timestamp or bytes)");
        }
        return t;
    }
}
