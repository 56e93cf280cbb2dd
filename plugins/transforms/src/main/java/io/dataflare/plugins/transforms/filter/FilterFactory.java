package io.dataflare.plugins.transforms.filter;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.plugins.transforms.expr.Expressions;
import org.pf4j.Extension;

/**
 * The {@code filter} processor: keeps the records for which a JEXL expression over their fields is
 * true, such as {@code amount > 100 && country == 'FR'}. By default a missing field is null and null
 * never makes an error (see {@link Expressions}); a null result does not match. A result that is neither a
 * boolean nor null, or an error, rejects that record with a reason naming the expression; with
 * {@code strict: true} so does any undefined field, null operand or null result.
 */
@Extension
public final class FilterFactory implements ProcessorFactory {
    static final String EXPR = "expr";

    @Override
    public String name() {
        return "filter";
    }

    @Override
    public String description() {
        return "Keeps records for which a boolean expression is true";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required(
                        EXPR,
                        ConfigType.STRING,
                        "Boolean JEXL expression over the fields (record['odd name'] for other names)")
                .optional(Expressions.STRICT, ConfigType.BOOLEAN, false, Expressions.STRICT_DESCRIPTION)
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        Expressions.check(EXPR, config.getString(EXPR));
    }

    @Override
    public Processor create(PluginContext ctx) {
        return Processor.filtering(new ExpressionPredicate(
                Expressions.of(ctx.config()), ctx.config().getString(EXPR)));
    }
}
