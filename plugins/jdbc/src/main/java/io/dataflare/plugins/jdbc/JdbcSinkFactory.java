package io.dataflare.plugins.jdbc;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/** The {@code jdbc} sink: inserts or upserts records into a PostgreSQL or SQLite table. */
@Extension
public final class JdbcSinkFactory implements SinkFactory {
    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public String description() {
        return "Inserts or upserts records into a PostgreSQL or SQLite table, a transaction per batch";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("url", ConfigType.STRING, "JDBC URL: jdbc:postgresql://host/db or jdbc:sqlite:path")
                .required("table", ConfigType.STRING, "The table to write")
                .oneOf("mode", "insert", List.of("insert", "upsert"), "insert, or upsert on the key columns")
                .optional("key", ConfigType.STRING_LIST, null, "The key columns of an upsert (a unique index)")
                .optional(
                        "init_sql",
                        ConfigType.STRING_LIST,
                        null,
                        "Statements run once when the sink starts, e.g. CREATE TABLE IF NOT EXISTS ...")
                .optional("user", ConfigType.STRING, null, "Database user")
                .optional("password", ConfigType.STRING, null, "Database password, e.g. ${secret:db_password}")
                .tuning("user", "password")
                .build();
    }

    @Override
    public void validate(PluginConfig c) {
        List<ConfigError> errors = new ArrayList<>();
        JdbcOptions.checkUrl(c, "jdbc sink", errors);
        JdbcOptions.checkTable(c, "jdbc sink", errors);
        boolean upsert = "upsert".equals(c.getString("mode"));
        List<String> key = c.getList("key");
        if (upsert && key.isEmpty())
            errors.add(new ConfigError("key", "jdbc sink: mode upsert needs the key columns, e.g. key: [id]"));
        if (!upsert && !key.isEmpty())
            errors.add(new ConfigError("key", "jdbc sink: is only used with mode: upsert, got " + key));
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Sink create(PluginContext ctx) throws SQLException, IOException {
        PluginConfig c = ctx.config();
        Database db = Database.of(c.getString("url"));
        String url = Database.resolve(c.getString("url"), ctx, true);
        String table = c.getString("table");
        Connection connection = db.connect(url, c.getString("user"), c.getString("password"));
        try {
            runInitSql(connection, c.getList("init_sql"));
            // a missing table is a configuration error, not a reason to reject every record
            try (Statement s = connection.createStatement()) {
                s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0").close();
            } catch (SQLException e) {
                throw new SQLException(
                        "jdbc sink: cannot read table '" + table + "' at " + Database.redact(url) + ": "
                                + e.getMessage(),
                        e);
            }
            return new JdbcSink(
                    db, connection, table, "upsert".equals(c.getString("mode")), c.getList("key"), ctx.metrics());
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static void runInitSql(Connection connection, List<String> statements) throws SQLException {
        for (int i = 0; i < statements.size(); i++) {
            try (Statement s = connection.createStatement()) {
                s.execute(statements.get(i));
            } catch (SQLException e) {
                throw new SQLException("jdbc sink: init_sql statement " + (i + 1) + " failed: " + e.getMessage(), e);
            }
        }
    }
}
