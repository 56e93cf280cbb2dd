package io.dataflare.plugins.transforms.expr;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.PluginConfig;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlExpression;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.JexlInfo;
import org.apache.commons.jexl3.internal.introspection.Uberspect;
import org.apache.commons.jexl3.introspection.JexlPermissions;
import org.apache.commons.jexl3.introspection.JexlUberspect;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.impl.Slf4jLogFactory;

/**
 * The JEXL set-up of {@code filter} and {@code map}: sandboxed (restricted permissions; no loops,
 * assignments, {@code new}, lambdas or pragmas), in one of two modes.
 *
 * <ul>
 *   <li>Default: forgiving about absent data, for optional fields and mixed-shape records. A missing field
 *       is null (the {@link RecordContext} defines every name), arithmetic on null gives null and an
 *       ordering comparison with null is false ({@link NullPropagatingArithmetic}), and property or method
 *       access on null gives null (JEXL's safe navigation, engine-wide).</li>
 *   <li>Strict ({@code strict: true}): an undefined variable, a null operand of an operator other than
 *       {@code ==}/{@code !=}, or access on null is an error that rejects the record.</li>
 * </ul>
 * In both modes the engine itself stays strict, so an unknown function or a property a value does not have
 * is an error. One engine per processor instance, so instances share nothing.
 */
public final class Expressions {
    /** The option of {@code filter} and {@code map} that selects strict mode. */
    public static final String STRICT = "strict";
    /** Its description in the plugins' config specs. */
    public static final String STRICT_DESCRIPTION =
            "Undefined fields, null operands and access on null reject the record instead of giving null/false";

    private static final Pattern LOCATION = Pattern.compile("^\\S*@(\\d+):(\\d+)(?:!\\S*)? (.*)$", Pattern.DOTALL);

    /**
     * JEXL's log, through SLF4J as commons-logging would choose, but made here: commons-logging's own choice
     * first looks for its configuration file in every JAR of the class path (the distribution's 150 or so: 70 ms
     * of each command that loads this plugin).
     */
    private static final Log JEXL_LOG = new Slf4jLogFactory().getInstance(JexlEngine.class);

    private final boolean strict;
    private final JexlEngine engine;

    /** A new engine in the mode {@code config}'s {@value #STRICT} option selects. */
    public static Expressions of(PluginConfig config) {
        return new Expressions(config.getBoolean(STRICT, false));
    }

    /** A new engine, strict or default (see the class comment). */
    public Expressions(boolean strict) {
        this.strict = strict;
        JexlFeatures features = new JexlFeatures()
                .sideEffect(false)
                .sideEffectGlobal(false)
                .loops(false)
                .newInstance(false)
                .lambda(false)
                .localVar(false)
                .pragma(false)
                .importPragma(false)
                .namespacePragma(false)
                .annotation(false)
                .script(false);
        this.engine = new JexlBuilder()
                .permissions(JexlPermissions.RESTRICTED)
                // what JEXL would make for these permissions, made here with JEXL_LOG: JEXL's own compares the
                // logger with commons-logging's default, which would make commons-logging look for its settings
                .uberspect(new Uberspect(JEXL_LOG, JexlUberspect.JEXL_STRATEGY, JexlPermissions.RESTRICTED))
                .features(features)
                .arithmetic(strict ? new DecimalArithmetic() : new NullPropagatingArithmetic())
                .strict(true)
                .safe(!strict)
                .silent(false)
                .debug(false)
                .cache(0)
                .logger(JEXL_LOG)
                .create();
    }

    /** A context for this mode's expressions, to be reused across records by one processor instance. */
    public RecordContext newContext() {
        return new RecordContext(!strict);
    }

    /** Whether this engine is in strict mode. */
    public boolean strict() {
        return strict;
    }

    /**
     * Compiles {@code text}.
     *
     * @throws JexlException when it does not parse
     */
    public CompiledExpression compile(String text) {
        JexlExpression expression = engine.createExpression(new JexlInfo("expr", 1, 1), text);
        return new CompiledExpression(text, expression, DirectArithmetic.parse(text, engine));
    }

    /** {@code text} evaluated by JEXL's interpreter only: the reference the direct arithmetic is tested against. */
    CompiledExpression compileInterpreted(String text) {
        return new CompiledExpression(text, engine.createExpression(new JexlInfo("expr", 1, 1), text), null);
    }

    /**
     * Checks that {@code text}, the value of option {@code option}, compiles.
     *
     * @throws ConfigException on {@code option} saying why it does not parse
     */
    public static void check(String option, String text) {
        try {
            new Expressions(true).compile(text);
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
