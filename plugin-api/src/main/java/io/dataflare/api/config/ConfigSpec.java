package io.dataflare.api.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options a plugin accepts under a stage's {@code with:}: name, type, required or default, and a
 * description. The engine validates a pipeline's configuration against it before anything runs and
 * reports every error with the file, line and column of the offending option.
 *
 * <pre>{@code
 * ConfigSpec.builder()
 *     .required("path", ConfigType.STRING, "Input file or glob")
 *     .optional("header", ConfigType.BOOLEAN, true, "The first line names the columns")
 *     .oneOf("format", "csv", List.of("csv", "jsonl"), "Line format")
 *     .build();
 * }</pre>
 *
 * @since 1.0.0
 */
public final class ConfigSpec {
    private static final ConfigSpec EMPTY = new ConfigSpec(List.of(), false, java.util.Set.of());

    private final List<ConfigOption> options;
    private final boolean allowUnknown;
    private final java.util.Set<String> tuning;

    private ConfigSpec(List<ConfigOption> options, boolean allowUnknown, java.util.Set<String> tuning) {
        this.options = List.copyOf(options);
        this.allowUnknown = allowUnknown;
        this.tuning = java.util.Set.copyOf(tuning);
    }

    /**
     * Whether option {@code name} only tunes how the component works (a queue's size, a time limit) and not
     * what it reads or writes: a checkpoint taken with one value can be resumed with another. Every other
     * option counts as part of the component's identity, and changing it makes the engine refuse to resume a
     * source's or sink's checkpoint (seeking other input, or cutting back other output, would corrupt it).
     *
     * @since 1.1.0
     */
    public boolean isTuning(String name) {
        return tuning.contains(name);
    }

    /** A spec with no options (any option set is then an error). */
    public static ConfigSpec empty() {
        return EMPTY;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The declared options, in declaration order. */
    public List<ConfigOption> options() {
        return options;
    }

    /** Whether options that are not declared are passed through instead of rejected. */
    public boolean allowsUnknown() {
        return allowUnknown;
    }

    /** The option named {@code name}, or null. */
    public ConfigOption option(String name) {
        for (ConfigOption o : options) {
            if (o.name().equals(name)) return o;
        }
        return null;
    }

    /**
     * Checks {@code raw} (the stage's {@code with:} map) and returns it coerced, with defaults.
     *
     * @throws ConfigException listing every problem: unknown options (with the known ones), missing
     *                         required options, values of the wrong type or outside the allowed values
     */
    public PluginConfig validate(Map<String, ?> raw) {
        Map<String, ?> in = raw == null ? Map.of() : raw;
        List<ConfigError> errors = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : in.keySet()) {
            if (option(key) == null) {
                if (allowUnknown) {
                    out.put(key, in.get(key));
                } else {
                    errors.add(new ConfigError(key, "is not an option of this plugin" + knownOptions(key)));
                }
            }
        }
        for (ConfigOption o : options) {
            Object v = in.get(o.name());
            if (v == null) {
                if (o.required()) {
                    errors.add(new ConfigError(o.name(), "is required" + describe(o)));
                } else if (o.defaultValue() != null) {
                    out.put(o.name(), o.defaultValue());
                }
                continue;
            }
            try {
                Object c = o.type().coerce(v);
                if (!o.allowedValues().isEmpty() && !o.allowedValues().contains(String.valueOf(c))) {
                    throw new IllegalArgumentException("must be one of " + String.join(", ", o.allowedValues())
                            + ", got " + ConfigType.describe(c));
                }
                out.put(o.name(), c);
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(o.name(), e.getMessage()));
            }
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return new PluginConfig(out);
    }

    private String knownOptions(String unknown) {
        if (options.isEmpty()) return " (it takes no options)";
        String near = nearest(unknown);
        Set<String> names = new TreeSet<>();
        for (ConfigOption o : options) names.add(o.name());
        return (near == null ? "" : " (did you mean '" + near + "'?)") + "; options: " + String.join(", ", names);
    }

    private String nearest(String key) {
        String best = null;
        int bestDistance = 3;
        for (ConfigOption o : options) {
            int d = editDistance(key, o.name());
            if (d < bestDistance) {
                bestDistance = d;
                best = o.name();
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String describe(ConfigOption o) {
        return o.description().isEmpty() ? "" : " (" + o.description() + ")";
    }

    @Override
    public String toString() {
        return "ConfigSpec" + options;
    }

    /**
     * Builds a {@link ConfigSpec}.
     *
     * @since 1.0.0
     */
    public static final class Builder {
        private final List<ConfigOption> options = new ArrayList<>();
        private final java.util.Set<String> tuning = new java.util.HashSet<>();
        private boolean allowUnknown;

        private Builder() {}

        /** Declares a required option. */
        public Builder required(String name, ConfigType type, String description) {
            return option(new ConfigOption(name, type, true, null, description, List.of()));
        }

        /** Declares an optional option with a default (null for none). */
        public Builder optional(String name, ConfigType type, Object defaultValue, String description) {
            return option(new ConfigOption(name, type, false, defaultValue, description, List.of()));
        }

        /** Declares an optional string option limited to {@code allowed}, with a default. */
        public Builder oneOf(String name, String defaultValue, List<String> allowed, String description) {
            return option(new ConfigOption(name, ConfigType.STRING, false, defaultValue, description, allowed));
        }

        /** Declares an option. */
        public Builder option(ConfigOption option) {
            for (ConfigOption o : options) {
                if (o.name().equals(option.name())) {
                    throw new IllegalArgumentException("option '" + option.name() + "' declared twice");
                }
            }
            options.add(option);
            return this;
        }

        /**
         * Marks declared options as tuning: they change how the component works, not what it reads or writes,
         * so a checkpoint stays valid when only they change (see {@link ConfigSpec#isTuning}).
         *
         * @since 1.1.0
         */
        public Builder tuning(String... names) {
            for (String n : names) {
                boolean declared = false;
                for (ConfigOption o : options) declared |= o.name().equals(n);
                if (!declared)
                    throw new IllegalArgumentException("tuning option '" + n + "' is not declared (declare it first)");
                tuning.add(n);
            }
            return this;
        }

        /** Passes undeclared options through instead of rejecting them. */
        public Builder allowUnknown() {
            this.allowUnknown = true;
            return this;
        }

        /** The spec. */
        public ConfigSpec build() {
            return new ConfigSpec(Collections.unmodifiableList(options), allowUnknown, tuning);
        }
    }
}
