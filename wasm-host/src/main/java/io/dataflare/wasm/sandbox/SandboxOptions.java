package io.dataflare.wasm.sandbox;

import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigOption;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox settings of one plugin instance, read from the stage's {@code with:}. A manifest may
 * declare one of these options itself to change its default (e.g. {@code max_memory_pages: {type: long,
 * default: 32}}); the pipeline can still override it.
 *
 * @param maxMemoryPages the memory cap in 64 KiB pages (default 256 = 16 MiB)
 * @param timeoutMs      the time limit of one call (default 1000)
 * @param maxOutputBytes the largest output one call may return (default 16 MiB)
 * @param mode           compiled (default) or interpreted
 */
public record SandboxOptions(int maxMemoryPages, long timeoutMs, int maxOutputBytes, ExecutionMode mode) {
    public static final String MAX_MEMORY_PAGES = "max_memory_pages";
    public static final String TIMEOUT_MS = "timeout_ms";
    public static final String MAX_OUTPUT_BYTES = "max_output_bytes";
    public static final String MODE = "mode";
    /** The host's option names: they are not handed to the module. */
    public static final Set<String> KEYS = Set.of(MAX_MEMORY_PAGES, TIMEOUT_MS, MAX_OUTPUT_BYTES, MODE);

    private static final int WASM_MAX_PAGES = 65536;

    /**
     * The stage options of a WASM component: the manifest's options, then the sandbox options (with
     * the manifest's defaults where it declares them), then {@code extra} host options.
     *
     * @throws IllegalArgumentException when the manifest redeclares a host option with another type
     */
    public static ConfigSpec spec(ConfigSpec manifest, List<ConfigOption> extra) {
        Map<String, Object> defaults = new LinkedHashMap<>(Map.of(
                MAX_MEMORY_PAGES, 256L, TIMEOUT_MS, 1000L, MAX_OUTPUT_BYTES, 16L * 1024 * 1024, MODE, "compiled"));
        List<ConfigOption> hostOptions = new ArrayList<>(extra);
        ConfigSpec.Builder b = ConfigSpec.builder();
        for (ConfigOption o : manifest.options()) {
            if (defaults.containsKey(o.name())) {
                Object expected = defaults.get(o.name());
                if (o.defaultValue() != null && o.defaultValue().getClass() != expected.getClass()) {
                    throw new IllegalArgumentException("config option '" + o.name() + "' is a sandbox setting of type "
                            + (expected instanceof Long ? "long" : "string"));
                }
                if (o.defaultValue() != null) defaults.put(o.name(), o.defaultValue());
            } else if (hostOptions.stream().anyMatch(h -> h.name().equals(o.name()))) {
                throw new IllegalArgumentException("config option '" + o.name() + "' is reserved by the WASM host");
            } else {
                b.option(o);
            }
        }
        b.optional(MAX_MEMORY_PAGES, ConfigType.LONG, defaults.get(MAX_MEMORY_PAGES), "memory cap in 64 KiB pages");
        b.optional(TIMEOUT_MS, ConfigType.LONG, defaults.get(TIMEOUT_MS), "time limit of one call, in milliseconds");
        b.optional(
                MAX_OUTPUT_BYTES,
                ConfigType.LONG,
                defaults.get(MAX_OUTPUT_BYTES),
                "largest output of one call, in bytes");
        b.option(new ConfigOption(
                MODE,
                ConfigType.STRING,
                false,
                defaults.get(MODE),
                "compiled (JVM bytecode) or interpreted",
                List.of("compiled", "interpreted")));
        for (ConfigOption o : hostOptions) b.option(o);
        return b.build();
    }

    /**
     * Reads the options of a validated configuration.
     *
     * @param minPages the module's declared minimum memory: a cap below it is raised to it (Chicory
     *                 would otherwise give the module less memory than it declares)
     * @throws ConfigException naming the option that is out of range
     */
    public static SandboxOptions from(PluginConfig config, int minPages) {
        List<ConfigError> errors = new ArrayList<>();
        long pages = config.getLong(MAX_MEMORY_PAGES, 256);
        if (pages < 1 || pages > WASM_MAX_PAGES) {
            errors.add(new ConfigError(
                    MAX_MEMORY_PAGES, "must be between 1 and " + WASM_MAX_PAGES + " pages, got " + pages));
        }
        pages = Math.max(pages, minPages);
        long timeout = config.getLong(TIMEOUT_MS, 1000);
        if (timeout < 1) errors.add(new ConfigError(TIMEOUT_MS, "must be at least 1, got " + timeout));
        long output = config.getLong(MAX_OUTPUT_BYTES, 16L * 1024 * 1024);
        if (output < 1 || output > Integer.MAX_VALUE - 8)
            errors.add(new ConfigError(MAX_OUTPUT_BYTES, "must be between 1 and 2^31-9, got " + output));
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return new SandboxOptions(
                (int) pages, timeout, (int) output, ExecutionMode.of(config.getString(MODE, "compiled")));
    }

    /** The configuration without the host's options: what the module itself sees. */
    public static Map<String, Object> moduleConfig(PluginConfig config, Set<String> hostKeys) {
        Map<String, Object> out = new LinkedHashMap<>();
        config.asMap().forEach((k, v) -> {
            if (!KEYS.contains(k) && !hostKeys.contains(k)) out.put(k, v);
        });
        return out;
    }
}
