package io.dataflare.plugins.transforms.route;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.plugins.transforms.expr.Expressions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/**
 * The {@code switch} processor: content-based routing. Each case names an output and a boolean JEXL
 * expression over the record ({@code {output: high, when: "amount >= 1000"}}); later stages read an
 * output with {@code from: router.high}. The first matching case wins, or with {@code all_matches: true}
 * every matching case does (a record goes once to each of their outputs). A record matching no case goes to
 * the {@code default} output when there is one, else it is dropped and counted as filtered. Expressions have
 * {@code filter}'s semantics: a null result does not match (with {@code strict: true} it rejects the record),
 * any other non-boolean result or a failing evaluation rejects the record.
 */
@Extension
public final class SwitchFactory implements ProcessorFactory {
    static final String CASES = "cases";
    static final String DEFAULT = "default";
    static final String ALL_MATCHES = "all_matches";
    static final String OUTPUT = "output";
    static final String WHEN = "when";
    private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    @Override
    public String name() {
        return "switch";
    }

    @Override
    public String description() {
        return "Routes each record to the named outputs whose case expression matches";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required(
                        CASES,
                        ConfigType.LIST,
                        "Cases in order: {output: NAME, when: boolean JEXL expression over the fields}")
                .optional(
                        DEFAULT,
                        ConfigType.STRING,
                        null,
                        "Output for records matching no case (without it they are dropped, counted as filtered)")
                .optional(
                        ALL_MATCHES,
                        ConfigType.BOOLEAN,
                        false,
                        "false: the first matching case wins; true: a record goes to every matching output")
                .optional(Expressions.STRICT, ConfigType.BOOLEAN, false, Expressions.STRICT_DESCRIPTION)
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        cases(config, errors);
        String dflt = config.getString(DEFAULT);
        if (dflt != null && !OUTPUT_NAME.matcher(dflt).matches()) {
            errors.add(new ConfigError(DEFAULT, "'" + dflt + "' is not an output name (letters, digits, '_', '-')"));
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    /** The outputs: each case's (once, in order), then the default's. */
    @Override
    public List<String> outputs(PluginConfig config) {
        Set<String> out = new LinkedHashSet<>();
        for (Case c : cases(config, new ArrayList<>())) out.add(c.output());
        String dflt = config.getString(DEFAULT);
        if (dflt != null) out.add(dflt);
        return List.copyOf(out);
    }

    @Override
    public Processor create(PluginContext ctx) {
        PluginConfig config = ctx.config();
        return new SwitchProcessor(
                Expressions.of(config),
                cases(config, new ArrayList<>()),
                config.getString(DEFAULT),
                config.getBoolean(ALL_MATCHES, false));
    }

    /** One case as written. */
    record Case(String output, String when) {}

    /** The cases of {@code config}; what is wrong with them goes to {@code errors}, naming the case. */
    static List<Case> cases(PluginConfig config, List<ConfigError> errors) {
        List<Object> raw = config.getList(CASES);
        List<Case> cases = new ArrayList<>();
        if (raw.isEmpty()) errors.add(new ConfigError(CASES, "needs at least one case {output: NAME, when: EXPR}"));
        for (int i = 0; i < raw.size(); i++) {
            String at = CASES + "." + i;
            if (!(raw.get(i) instanceof Map<?, ?> m)) {
                errors.add(new ConfigError(at, "must be {output: NAME, when: EXPR}, found " + raw.get(i)));
                continue;
            }
            for (Object k : m.keySet()) {
                if (!OUTPUT.equals(k) && !WHEN.equals(k)) {
                    errors.add(new ConfigError(at + "." + k, "unknown key (a case has 'output' and 'when')"));
                }
            }
            Object output = m.get(OUTPUT);
            Object when = m.get(WHEN);
            if (!(output instanceof String o) || !OUTPUT_NAME.matcher(o).matches()) {
                errors.add(new ConfigError(
                        at + "." + OUTPUT,
                        output == null
                                ? "is missing: name the output this case routes to"
                                : "'" + output + "' is not an output name (letters, digits, '_', '-')"));
                continue;
            }
            if (!(when instanceof String w) || w.isBlank()) {
                errors.add(new ConfigError(at + "." + WHEN, "is missing: a boolean expression over the fields"));
                continue;
            }
            try {
                Expressions.check(at + "." + WHEN, w);
            } catch (ConfigException e) {
                errors.addAll(e.errors());
                continue;
            }
            cases.add(new Case(o, w));
        }
        return cases;
    }
}
