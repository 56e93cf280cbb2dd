package io.dataflare.wasm.extism;

import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigOption;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an Extism plugin is called per record (the stage's {@code with:}): {@code function} to call,
 * {@code input} ({@code record}: the record as a JSON object, or {@code field:NAME}: that field's value
 * as UTF-8), {@code output} ({@code record}: the new record as a JSON object, or {@code field:NAME}:
 * stored in that field, parsed JSON if it parses, else a string) and {@code config} (for
 * {@code config_get}).
 *
 * @param inputField  the input field, or null for the whole record
 * @param outputField the output field, or null for the whole record
 */
public record ExtismOptions(String function, String inputField, String outputField, Map<String, String> config) {
    public static final String FUNCTION = "function", INPUT = "input", OUTPUT = "output", CONFIG = "config";
    /** The host's option names for Extism plugins. */
    public static final Set<String> KEYS = Set.of(FUNCTION, INPUT, OUTPUT, CONFIG);

    /** The options' declarations. */
    public static List<ConfigOption> options() {
        return List.of(
                new ConfigOption(
                        FUNCTION, ConfigType.STRING, false, "process", "the export to call per record", List.of()),
                new ConfigOption(
                        INPUT, ConfigType.STRING, false, "record", "record (as JSON) or field:NAME", List.of()),
                new ConfigOption(
                        OUTPUT, ConfigType.STRING, false, "record", "record (a JSON object) or field:NAME", List.of()),
                new ConfigOption(CONFIG, ConfigType.MAP, false, null, "values for the plugin's config_get", List.of()));
    }

    /**
     * Reads validated options.
     *
     * @throws ConfigException when input or output is neither {@code record} nor {@code field:NAME}
     */
    public static ExtismOptions from(PluginConfig c) {
        Map<String, String> config = new LinkedHashMap<>();
        c.getMap(CONFIG).forEach((k, v) -> config.put(k, String.valueOf(v)));
        return new ExtismOptions(
                c.getString(FUNCTION, "process"), field(c, INPUT), field(c, OUTPUT), Map.copyOf(config));
    }

    private static String field(PluginConfig c, String key) {
        String v = c.getString(key, "record").trim();
        if (v.equals("record")) return null;
        if (v.startsWith("field:") && v.length() > "field:".length()) return v.substring("field:".length());
        throw new ConfigException(List.of(new ConfigError(key, "must be 'record' or 'field:NAME', got '" + v + "'")));
    }
}
