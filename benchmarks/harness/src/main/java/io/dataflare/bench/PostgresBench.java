package io.dataflare.bench;

import io.dataflare.engine.testing.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The connector suite's PostgreSQL: a real server started with the installed initdb/pg_ctl (as the tests
 * start theirs), one database, and a table per row emptied before each run.
 */
final class PostgresBench implements AutoCloseable {
    static final String COLUMNS =
            "(id BIGINT, key TEXT, amount DOUBLE PRECISION, quantity BIGINT, name TEXT, text TEXT)";
    private final PostgresServer server;
    private final String url;

    PostgresBench() throws Exception {
        this.server = PostgresServer.start();
        this.url = server.createDatabase("bench");
    }

    String url() {
        return url;
    }

    /** Creates {@code table} if need be and empties it. */
    void emptyTable(String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " " + COLUMNS);
            s.execute("TRUNCATE " + table);
        }
    }

    /** {@code claimed}, once {@code table} is seen to hold exactly that many rows. */
    long written(String table, long claimed) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            long there = rs.getLong(1);
            if (there != claimed)
                throw new IllegalStateException("table " + table + " holds " + there + " rows, expected " + claimed);
            return there;
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
