package io.dataflare.plugins.jdbc;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/** The {@code jdbc} source: the rows of a PostgreSQL or SQLite table or query, optionally incremental. */
@Extension
public final class JdbcSourceFactory implements SourceFactory {
    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public String description() {
        return "Reads a PostgreSQL or SQLite table or query, incrementally by a column, optionally polling for new rows";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("url", ConfigType.STRING, "JDBC URL: jdbc:postgresql://host/db or jdbc:sqlite:path")
                .optional("table", ConfigType.STRING, null, "The table to read (or query)")
                .optional("query", ConfigType.STRING, null, "A SELECT to read (or table)")
                .optional(
                        "incremental",
                        ConfigType.STRING,
                        null,
                        "A column that grows (key or timestamp): rows in its order, resume after the last value")
                .optional("fetch_size", ConfigType.LONG, 1000L, "Rows fetched from the database per round trip")
                .optional(
                        "poll_interval_ms",
                        ConfigType.LONG,
                        null,
                        "Ask again for new rows this often, never ending (needs incremental)")
                .optional("user", ConfigType.STRING, null, "Database user")
                .optional("password", ConfigType.STRING, null, "Database password, e.g. ${secret:db_password}")
                .tuning("fetch_size", "poll_interval_ms", "user", "password")
                .build();
    }

    @Override
    public void validate(PluginConfig c) {
        List<ConfigError> errors = new ArrayList<>();
        JdbcOptions.checkUrl(c, "jdbc source", errors);
        JdbcOptions.checkTable(c, "jdbc source", errors);
        if (c.has("table") == c.has("query")) {
            errors.add(new ConfigError(
                    c.has("table") ? "query" : "table",
                    "jdbc source: set exactly one of 'table' and 'query'"
                            + (c.has("table") ? ", got both" : ", got neither")));
        }
        long fetch = c.getLong("fetch_size", 1000);
        if (fetch < 1 || fetch > 1_000_000)
            errors.add(new ConfigError("fetch_size", "jdbc source: must be from 1 to 1000000, got " + fetch));
        if (c.has("poll_interval_ms")) {
            long poll = c.getLong("poll_interval_ms");
            if (poll < 1)
                errors.add(new ConfigError("poll_interval_ms", "jdbc source: must be at least 1, got " + poll));
            if (!c.has("incremental"))
                errors.add(new ConfigError(
                        "poll_interval_ms",
                        "jdbc source: polling needs 'incremental' (a column that tells new rows from read ones)"));
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Source create(PluginContext ctx) throws SQLException, IOException {
        PluginConfig c = ctx.config();
        Database db = Database.of(c.getString("url"));
        String url = Database.resolve(c.getString("url"), ctx, false);
        String sql = c.has("table") ? "SELECT * FROM " + c.getString("table") : c.getString("query");
        Connection connection = db.connect(url, c.getString("user"), c.getString("password"));
        try {
            return new JdbcSource(
                    db,
                    connection,
                    sql,
                    c.getString("incremental"),
                    c.getInt("fetch_size", 1000),
                    c.getLong("poll_interval_ms", 0),
                    ctx.metrics());
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }
}
