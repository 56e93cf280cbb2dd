package io.dataflare.plugins.jdbc;

import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.PluginConfig;
import java.util.List;
import java.util.regex.Pattern;

/** Options both the source and the sink take, and their checks. */
final class JdbcOptions {
    // Table names are used unquoted, so that PostgreSQL folds them to lower case as in the user's own SQL.
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");

    private JdbcOptions() {}

    static void checkUrl(PluginConfig c, String connector, List<ConfigError> errors) {
        String url = c.getString("url");
        if (url != null && Database.of(url) == null) {
            errors.add(new ConfigError(
                    "url",
                    connector + ": must start with jdbc:postgresql: or jdbc:sqlite: (the bundled drivers), got \""
                            + Database.redact(url) + "\""));
        }
    }

    static void checkTable(PluginConfig c, String connector, List<ConfigError> errors) {
        String table = c.getString("table");
        if (table != null && !TABLE.matcher(table).matches()) {
            errors.add(new ConfigError(
                    "table",
                    connector + ": must be a table name (letters, digits, '_', optionally schema.table), got \"" + table
                            + "\""));
        }
    }
}
