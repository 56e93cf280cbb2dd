package io.dataflare.engine.state;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * State in a SQL database through JDBC: SQLite ({@code jdbc:sqlite:/path/state.db}) or PostgreSQL
 * ({@code jdbc:postgresql://host/db?user=...}). The store creates and migrates its own schema
 * ({@link #MIGRATIONS}, recorded in {@code dataflare_schema}) when it opens: nobody runs SQL by hand.
 * Each put is one auto-committed upsert, atomic and durable in both databases.
 */
public final class JdbcStateStore implements StateStore {
    /** Schema versions in order; a store applies the ones its database has not seen, in one transaction each. */
    static final List<String> MIGRATIONS = List.of(
            "CREATE TABLE dataflare_state (namespace VARCHAR(64) NOT NULL, state_key VARCHAR(200) NOT NULL,"
                    + " state_value TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (namespace, state_key))",
            "CREATE TABLE dataflare_locks (lock_name VARCHAR(200) NOT NULL PRIMARY KEY, owner TEXT NOT NULL, since BIGINT NOT NULL)");

    private final String url;
    private final Connection connection;
    private final MemoryLocks processLocks;

    /**
     * Connects and migrates the schema.
     *
     * @throws StateStoreException when the database cannot be reached or migrated
     */
    public JdbcStateStore(String url) {
        this.url = url;
        this.processLocks = new MemoryLocks(redact(url));
        try {
            this.connection = DriverManager.getConnection(url);
            migrate();
        } catch (SQLException e) {
            throw new StateStoreException("cannot open state store " + redact(url) + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS dataflare_schema (version INTEGER NOT NULL)");
        }
        int current = 0;
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(version) FROM dataflare_schema")) {
            if (rs.next()) current = rs.getInt(1);
        }
        for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                s.execute(MIGRATIONS.get(v - 1));
                s.execute("INSERT INTO dataflare_schema (version) VALUES (" + v + ")");
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** The schema version the database is at. */
    int schemaVersion() {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(version) FROM dataflare_schema")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw failure("read the schema version", e);
        }
    }

    @Override
    public synchronized Optional<String> get(String namespace, String key) {
        Keys.check(namespace, key);
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT state_value FROM dataflare_state WHERE namespace = ? AND state_key = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read " + namespace + "/" + key, e);
        }
    }

    @Override
    public synchronized void put(String namespace, String key, String value) {
        Keys.check(namespace, key);
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO dataflare_state (namespace, state_key, state_value, updated_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (namespace, state_key) DO UPDATE SET state_value = excluded.state_value,"
                        + " updated_at = excluded.updated_at")) {
            ps.setString(1, namespace);
            ps.setString(2, key);
            ps.setString(3, value);
            ps.setLong(4, System.currentTimeMillis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("write " + namespace + "/" + key, e);
        }
    }

    @Override
    public synchronized boolean delete(String namespace, String key) {
        Keys.check(namespace, key);
        try (PreparedStatement ps =
                connection.prepareStatement("DELETE FROM dataflare_state WHERE namespace = ? AND state_key = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, key);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failure("delete " + namespace + "/" + key, e);
        }
    }

    @Override
    public synchronized Map<String, String> list(String namespace) {
        Keys.checkNamespace(namespace);
        Map<String, String> out = new TreeMap<>();
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT state_key, state_value FROM dataflare_state WHERE namespace = ?")) {
            ps.setString(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw failure("list " + namespace, e);
        }
        return out;
    }

    /**
     * SQLite: an OS lock on a file beside the database ({@code state.db.locks/<name>.lock}), since SQLite
     * has no lock that outlives a transaction; an in-memory database locks within this process. PostgreSQL:
     * a session advisory lock on a connection of its own, which the server drops when the connection dies.
     */
    @Override
    public StateLock lock(String name, String owner) {
        Keys.check("locks", name);
        if (url.startsWith("jdbc:postgresql:")) return PostgresLocks.acquire(url, name, owner, describe());
        String db = sqliteFile(url);
        if (db == null) return processLocks.acquire(name, owner);
        java.nio.file.Path file = java.nio.file.Path.of(db).toAbsolutePath();
        return FileLocks.acquire(
                file.resolveSibling(file.getFileName() + ".locks").resolve(FileStateStore.encode(name) + ".lock"),
                name,
                owner,
                describe());
    }

    /** The database file of a SQLite URL, or null when the database lives in memory. */
    static String sqliteFile(String url) {
        if (!url.startsWith("jdbc:sqlite:")) return null;
        String path = url.substring("jdbc:sqlite:".length());
        int q = path.indexOf('?');
        if (q >= 0) {
            if (path.substring(q).contains("mode=memory")) return null;
            path = path.substring(0, q);
        }
        if (path.startsWith("file:")) path = path.substring("file:".length());
        return path.isEmpty() || path.contains(":memory:") ? null : path;
    }

    @Override
    public String describe() {
        return redact(url);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing: nothing left to save
        }
    }

    private StateStoreException failure(String what, SQLException e) {
        return new StateStoreException("state store " + redact(url) + " could not " + what + ": " + e.getMessage(), e);
    }

    /** The URL without credentials, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }
}
