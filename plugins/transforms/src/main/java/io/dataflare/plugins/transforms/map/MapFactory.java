package io.dataflare.plugins.transforms.map;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.plugins.transforms.expr.CompiledExpression;
import io.dataflare.plugins.transforms.expr.Expressions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code map} processor: sets fields to JEXL expressions over the input record
 * ({@code set: {total: "price * qty"}}) and removes fields ({@code remove: [tmp]}). Every expression
 * sees the input record, not the other expressions' results. By default a missing field is null and
 * arithmetic on null gives null, written as a null field (see {@link Expressions}); with {@code strict: true}
 * that is an error. A failing expression rejects that record.
 */
@Extension
public final class MapFactory implements ProcessorFactory {
    static final String SET = "set";
    static final String REMOVE = "remove";

    @Override
    public String name() {
        return "map";
    }

    @Override
    public String description() {
        return "Sets fields to expressions over the record, removes fields";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required(SET, ConfigType.MAP, "Field -> JEXL expression over the input record")
                .optional(REMOVE, ConfigType.STRING_LIST, null, "Fields to remove")
                .optional(Expressions.STRICT, ConfigType.BOOLEAN, false, Expressions.STRICT_DESCRIPTION)
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        for (Map.Entry<String, Object> e : config.getMap(SET).entrySet()) {
            String option = SET + "." + e.getKey();
            try {
                Expressions.check(option, expressionText(option, e.getValue()));
            } catch (ConfigException ex) {
                errors.addAll(ex.errors());
            }
        }
        for (String r : config.<String>getList(REMOVE)) {
            if (config.getMap(SET).containsKey(r))
                errors.add(new ConfigError(REMOVE, "removes '" + r + "', which set assigns"));
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Processor create(PluginContext ctx) {
        Expressions engine = Expressions.of(ctx.config());
        Map<String, CompiledExpression> set = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ctx.config().getMap(SET).entrySet()) {
            set.put(e.getKey(), engine.compile(expressionText(SET + "." + e.getKey(), e.getValue())));
        }
        return Processor.mapping(new MapRecords(set, ctx.config().getList(REMOVE), engine.newContext()));
    }

    /** YAML may give a bare number or boolean ({@code flag: true}); those are expressions too. */
    private static String expressionText(String option, Object v) {
        if (v instanceof String || v instanceof Number || v instanceof Boolean) return v.toString();
        throw new ConfigException(
                option,
                "must be an expression (a string), got "
                        + (v == null ? "nothing" : "a " + v.getClass().getSimpleName()));
    }
}
