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
 * true, such as {@code amount > 100 && country == 'FR'}. A result that is not a boolean, or an error
 * (an undefined field, a null operand), rejects that record with a reason naming the expression.
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
                .required(EXPR, ConfigType.STRING, "Boolean JEXL expression over the fields (record['odd name'] for other names)")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        Expressions.check(EXPR, config.getString(EXPR));
    }

    @Override
    public Processor create(PluginContext ctx) {
        return Processor.filtering(new ExpressionPredicate(new Expressions().compile(ctx.config().getString(EXPR))));
    }
}
