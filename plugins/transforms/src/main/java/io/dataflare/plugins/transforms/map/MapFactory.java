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
 * that is an error. A failing expression rejects that record. {@code headers: {origin: "'eu'"}} sets headers
 * to expressions the same way (null removes the header): how merged streams keep their origin.
 */
@Extension
public final class MapFactory implements ProcessorFactory {
    static final String SET = "set";
    static final String REMOVE = "remove";
    static final String HEADERS = "headers";

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
                .optional(SET, ConfigType.MAP, Map.of(), "Field -> JEXL expression over the input record")
                .optional(REMOVE, ConfigType.STRING_LIST, null, "Fields to remove")
                .optional(
                        HEADERS,
                        ConfigType.MAP,
                        Map.of(),
                        "Header -> JEXL expression over the input record (its text; null removes the header)")
                .optional(Expressions.STRICT, ConfigType.BOOLEAN, false, Expressions.STRICT_DESCRIPTION)
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        for (String group : List.of(SET, HEADERS)) {
            for (Map.Entry<String, Object> e : config.getMap(group).entrySet()) {
                String option = group + "." + e.getKey();
                try {
                    Expressions.check(option, expressionText(option, e.getValue()));
                } catch (ConfigException ex) {
                    errors.addAll(ex.errors());
                }
            }
        }
        if (config.getMap(SET).isEmpty()
                && config.getMap(HEADERS).isEmpty()
                && config.<String>getList(REMOVE).isEmpty())
            errors.add(new ConfigError(SET, "map needs at least one of set, headers or remove"));
        for (String r : config.<String>getList(REMOVE)) {
            if (config.getMap(SET).containsKey(r))
                errors.add(new ConfigError(REMOVE, "removes '" + r + "', which set assigns"));
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Processor create(PluginContext ctx) {
        Expressions engine = Expressions.of(ctx.config());
        return Processor.mapping(new MapRecords(
                compiled(engine, ctx, SET),
                ctx.config().getList(REMOVE),
                compiled(engine, ctx, HEADERS),
                engine.newContext()));
    }

    private static Map<String, CompiledExpression> compiled(Expressions engine, PluginContext ctx, String group) {
        Map<String, CompiledExpression> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ctx.config().getMap(group).entrySet()) {
            out.put(e.getKey(), engine.compile(expressionText(group + "." + e.getKey(), e.getValue())));
        }
        return out;
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
