package io.dataflare.plugins.files.csv;

import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.FieldType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CSV options shared by {@code csv-file}, {@code stdin} and {@code stdout}: how they are declared,
 * checked and read.
 *
 * @param delimiter      the field separator (one ASCII character)
 * @param header         whether the first row names the columns (read) or a header row is written
 * @param columns        column names (read: instead of the header's; write: the column order), or null
 * @param schema         field to type for reading, empty for all strings
 * @param skipEmptyLines whether empty lines are ignored when reading
 */
public record CsvOptions(
        char delimiter, boolean header, List<String> columns, Map<String, FieldType> schema, boolean skipEmptyLines) {
    static final String HEADER = "header";
    static final String DELIMITER = "delimiter";
    static final String COLUMNS = "columns";
    static final String SCHEMA = "schema";
    static final String SKIP_EMPTY_LINES = "skip_empty_lines";

    /** Declares {@code header}, {@code delimiter} and {@code columns}. */
    public static ConfigSpec.Builder declareCommon(ConfigSpec.Builder spec) {
        return spec.optional(HEADER, ConfigType.BOOLEAN, true, "CSV: the first row holds the column names")
                .optional(DELIMITER, ConfigType.STRING, ",", "CSV: the field separator, one character (\\t for tab)")
                .optional(
                        COLUMNS,
                        ConfigType.STRING_LIST,
                        null,
                        "CSV: column names when there is no header (default c1..cN); for writing, the column order");
    }

    /** Declares the read-only options {@code schema} and {@code skip_empty_lines} too. */
    public static ConfigSpec.Builder declareRead(ConfigSpec.Builder spec) {
        return declareCommon(spec)
                .optional(
                        SCHEMA,
                        ConfigType.MAP,
                        null,
                        "CSV: field -> type (string, long, double, decimal, boolean, timestamp, bytes); values convert on read")
                .optional(SKIP_EMPTY_LINES, ConfigType.BOOLEAN, true, "CSV: ignore empty lines");
    }

    /**
     * Checks what the spec cannot: the delimiter is one usable character, the columns are distinct, the
     * schema's types exist.
     *
     * @throws ConfigException naming every offending option
     */
    public static void validate(PluginConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        try {
            delimiter(config.getString(DELIMITER, ","));
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError(DELIMITER, e.getMessage()));
        }
        Set<String> seen = new HashSet<>();
        for (String c : config.<String>getList(COLUMNS)) {
            if (c.isEmpty()) errors.add(new ConfigError(COLUMNS, "has an empty column name"));
            else if (!seen.add(c)) errors.add(new ConfigError(COLUMNS, "names '" + c + "' twice"));
        }
        for (Map.Entry<String, Object> e : config.getMap(SCHEMA).entrySet()) {
            try {
                schemaType(e.getValue());
            } catch (IllegalArgumentException ex) {
                errors.add(new ConfigError(SCHEMA + "." + e.getKey(), ex.getMessage()));
            }
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    /** The options of a validated configuration. */
    public static CsvOptions from(PluginConfig config) {
        Map<String, FieldType> schema = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : config.getMap(SCHEMA).entrySet()) {
            schema.put(e.getKey(), schemaType(e.getValue()));
        }
        List<String> columns = config.has(COLUMNS) ? List.copyOf(config.<String>getList(COLUMNS)) : null;
        return new CsvOptions(
                delimiter(config.getString(DELIMITER, ",")),
                config.getBoolean(HEADER, true),
                columns,
                Map.copyOf(schema),
                config.getBoolean(SKIP_EMPTY_LINES, true));
    }

    private static char delimiter(String s) {
        String d = s.equals("\\t") ? "\t" : s;
        if (d.length() != 1) throw new IllegalArgumentException("must be one character, got \"" + s + "\"");
        char c = d.charAt(0);
        // The scanner works on bytes: a multi-byte UTF-8 character cannot be one.
        if (c > 127 || c == '"' || c == '\n' || c == '\r') {
            throw new IllegalArgumentException(
                    "must be an ASCII character other than a quote or a line break, got \"" + s + "\"");
        }
        return c;
    }

    private static FieldType schemaType(Object label) {
        FieldType t = FieldType.fromLabel(label == null ? null : label.toString());
        if (t == FieldType.NULL || t == FieldType.LIST || t == FieldType.MAP) {
            throw new IllegalArgumentException("a CSV column cannot be read as " + t.label()
                    + " (expected string, long, double, decimal, boolean, timestamp or bytes)");
        }
        return t;
    }
}
