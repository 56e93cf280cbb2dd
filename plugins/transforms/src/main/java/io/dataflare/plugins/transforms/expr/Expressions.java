package io.dataflare.plugins.transforms.expr;

import io.dataflare.api.config.ConfigException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.JexlInfo;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * The JEXL set-up of {@code filter} and {@code map}: sandboxed (restricted permissions; no loops,
 * assignments, {@code new}, lambdas or pragmas) and strict (an undefined variable or a null operand is
 * an error, not a silent null). One engine per processor instance, so instances share nothing.
 */
public final class Expressions {
    private static final Pattern LOCATION = Pattern.compile("^\\S*@(\\d+):(\\d+)(?:!\\S*)? (.*)$", Pattern.DOTALL);

    private final JexlEngine engine;

    /** A new engine. */
    public Expressions() {
        JexlFeatures features = new JexlFeatures()
                .sideEffect(false).sideEffectGlobal(false)
                .loops(false).newInstance(false).lambda(false).localVar(false)
                .pragma(false).importPragma(false).namespacePragma(false).annotation(false)
                .script(false);
        this.engine = new JexlBuilder()
                .permissions(JexlPermissions.RESTRICTED)
                .features(features)
                .strict(true).safe(false).silent(false)
                .debug(false)
                .cache(0)
                .create();
    }

    /**
     * Compiles {@code text}.
     *
     * @throws JexlException when it does not parse
     */
    public CompiledExpression compile(String text) {
        return new CompiledExpression(text, engine.createExpression(new JexlInfo("expr", 1, 1), text));
    }

    /**
     * Checks that {@code text}, the value of option {@code option}, compiles.
     *
     * @throws ConfigException on {@code option} saying why it does not parse
     */
    public static void check(String option, String text) {
        try {
            new Expressions().compile(text);
        } catch (JexlException e) {
            throw new ConfigException(option, "does not parse: " + describe(e, true));
        }
    }

    /** The exception's message without JEXL's location prefix (with the column when asked). */
    static String describe(JexlException e, boolean withColumn) {
        String m = String.valueOf(e.getMessage());
        Matcher x = LOCATION.matcher(m);
        if (!x.matches()) return m;
        return withColumn ? x.group(3) + " (column " + x.group(2) + ")" : x.group(3);
    }
}
