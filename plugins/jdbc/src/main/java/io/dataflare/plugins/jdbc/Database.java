package io.dataflare.plugins.jdbc;

import io.dataflare.api.PluginContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Properties;

/**
 * The databases the connector supports and how each differs: the bundled driver, identifier quoting and
 * how timestamps are stored. Drivers are instantiated directly rather than looked up in DriverManager,
 * which only sees drivers on the engine's class path, not in this plugin's class loader.
 */
enum Database {
    POSTGRESQL("jdbc:postgresql:"),
    SQLITE("jdbc:sqlite:");

    /** SQLite has no timestamp type: text of fixed width, so that it sorts in time order. */
    static final DateTimeFormatter SQLITE_TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final String prefix;

    Database(String prefix) {
        this.prefix = prefix;
    }

    /** The database of a JDBC URL, or null when no bundled driver serves it. */
    static Database of(String url) {
        for (Database d : values()) {
            if (url.startsWith(d.prefix)) return d;
        }
        return null;
    }

    /**
     * The URL with a relative SQLite file path taken relative to the pipeline file's folder (as every
     * other path in a pipeline is), its folder created for a sink.
     */
    static String resolve(String url, PluginContext ctx, boolean createFolder) throws IOException {
        if (of(url) != SQLITE) return url;
        String rest = url.substring(SQLITE.prefix.length());
        int q = rest.indexOf('?');
        String file = q < 0 ? rest : rest.substring(0, q);
        if (file.isEmpty() || file.startsWith(":") || file.startsWith("file:")) return url; // :memory:, URIs
        Path path = ctx.resolvePath(file);
        if (createFolder && path.getParent() != null) Files.createDirectories(path.getParent());
        return SQLITE.prefix + path + (q < 0 ? "" : rest.substring(q));
    }

    /** The URL without its query string, which may hold a password: for messages. */
    static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }

    /** A new connection, in UTC for PostgreSQL so that TIMESTAMP columns hold UTC times. */
    Connection connect(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        Driver driver;
        if (this == POSTGRESQL) {
            // strings are sent untyped, so the server converts them to the column's type (CSV text into NUMERIC)
            p.setProperty("stringtype", "unspecified");
            driver = new org.postgresql.Driver();
        } else {
            driver = new org.sqlite.JDBC();
        }
        Connection c = driver.connect(url, p);
        if (c == null)
            throw new SQLException("the " + name().toLowerCase(Locale.ROOT) + " driver refused " + redact(url));
        if (this == POSTGRESQL) {
            try (Statement s = c.createStatement()) {
                s.execute("SET TIME ZONE 'UTC'");
            }
        }
        return c;
    }

    /** A column name quoted for SQL (field names may hold spaces or upper case). */
    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** How a timestamp is bound to a statement parameter. */
    Object timestampParameter(Instant t) {
        return this == SQLITE ? SQLITE_TIMESTAMP.format(t) : t.atOffset(ZoneOffset.UTC);
    }
}
