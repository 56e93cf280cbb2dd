package io.dataflare.engine.state;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * State in a SQL database through JDBC: SQLite ({@code jdbc:sqlite:/path/state.db}) or PostgreSQL
 * ({@code jdbc:postgresql://host/db?user=...}). The store creates and migrates its own schema
 * ({@link #MIGRATIONS}, recorded in {@code dataflare_schema}) when it opens: nobody runs SQL by hand.
 * Each put is one auto-committed upsert, atomic and durable in both databases.
 *
 * <p>Keys carry a version column; logs are rows {@code (namespace, log_id, seq)} of {@code dataflare_log},
 * their last sequence number a row of {@code dataflare_log_end} (kept when records are truncated). A
 * {@link StateTransaction} is one SQL transaction that reads the versions and log ends it needs, checks the
 * expectations and writes: PostgreSQL runs it SERIALIZABLE (two transactions that read and write the same
 * rows cannot both commit; the loser gets a serialization failure and the store runs it again from the start,
 * when the expectation check then fails cleanly), SQLite in {@code BEGIN IMMEDIATE} mode, which takes the
 * database's write lock before the first read (a second connection waits up to {@link #BUSY_TIMEOUT_MS}).
 */
public final class JdbcStateStore implements StateStore {
    /** Schema versions in order; a store applies the ones its database has not seen, in one transaction each. */
    static final List<String> MIGRATIONS = List.of(
            "CREATE TABLE dataflare_state (namespace VARCHAR(64) NOT NULL, state_key VARCHAR(200) NOT NULL,"
                    + " state_value TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (namespace, state_key))",
            "CREATE TABLE dataflare_locks (lock_name VARCHAR(200) NOT NULL PRIMARY KEY, owner TEXT NOT NULL, since BIGINT NOT NULL)",
            "ALTER TABLE dataflare_state ADD COLUMN version BIGINT NOT NULL DEFAULT 1",
            "CREATE TABLE dataflare_log (namespace VARCHAR(64) NOT NULL, log_id VARCHAR(200) NOT NULL,"
                    + " seq BIGINT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (namespace, log_id, seq))",
            "CREATE TABLE dataflare_log_end (namespace VARCHAR(64) NOT NULL, log_id VARCHAR(200) NOT NULL,"
                    + " last_seq BIGINT NOT NULL, PRIMARY KEY (namespace, log_id))");

    /** How long a SQLite transaction waits for another connection's write lock. */
    static final int BUSY_TIMEOUT_MS = 30_000;

    /** How often a PostgreSQL transaction that lost a serialization race runs again before the store gives up. */
    private static final int ATTEMPTS = 100;

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
            this.connection = DriverManager.getConnection(url, connectionProperties(url));
            migrate();
        } catch (SQLException e) {
            throw new StateStoreException("cannot open state store " + redact(url) + ": " + e.getMessage(), e);
        }
    }

    /** SQLite: transactions that take the write lock first, and wait for another connection's. */
    private static Properties connectionProperties(String url) {
        Properties p = new Properties();
        if (url.startsWith("jdbc:sqlite:")) {
            p.setProperty("transaction_mode", "IMMEDIATE");
            p.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
        }
        return p;
    }

    private boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
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
    public Optional<String> get(String namespace, String key) {
        return getVersioned(namespace, key).map(Versioned::value);
    }

    @Override
    public synchronized Optional<Versioned> getVersioned(String namespace, String key) {
        Keys.check(namespace, key);
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT state_value, version FROM dataflare_state WHERE namespace = ? AND state_key = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Versioned(rs.getString(1), rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read " + namespace + "/" + key, e);
        }
    }

    @Override
    public synchronized void put(String namespace, String key, String value) {
        Keys.check(namespace, key);
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO dataflare_state (namespace, state_key, state_value, updated_at, version) VALUES (?, ?, ?, ?, 1)"
                        + " ON CONFLICT (namespace, state_key) DO UPDATE SET state_value = excluded.state_value,"
                        + " updated_at = excluded.updated_at, version = dataflare_state.version + 1")) {
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
    public synchronized SortedSet<String> namespaces() {
        SortedSet<String> out = new TreeSet<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT DISTINCT namespace FROM dataflare_state UNION"
                        + " SELECT DISTINCT namespace FROM dataflare_log_end");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        } catch (SQLException e) {
            throw failure("list the namespaces", e);
        }
        return out;
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

    @Override
    public StateTransaction transaction() {
        return new StateTransaction(this::commit);
    }

    private synchronized StateCommit commit(StateTransaction.Plan plan) {
        return inTransaction("commit a transaction", () -> {
            Map<StateRef, Long> versions = new HashMap<>();
            for (StateRef ref : plan.versions().keySet()) versions.put(ref, version(ref));
            for (StateRef ref : plan.writes().keySet()) versions.put(ref, version(ref));
            Map<StateRef, Long> ends = new HashMap<>();
            for (StateRef ref : plan.logEnds().keySet()) ends.put(ref, logEnd(ref));
            for (StateRef ref : plan.appends().keySet()) ends.put(ref, logEnd(ref));
            plan.check(describe(), versions::get, ends::get);

            Map<StateRef, Long> newVersions = new HashMap<>();
            long now = System.currentTimeMillis();
            for (var w : plan.writes().entrySet()) {
                StateRef ref = w.getKey();
                long version = w.getValue().isPresent() ? versions.get(ref) + 1 : 0;
                if (w.getValue().isPresent()) write(ref, w.getValue().get(), version, now);
                else erase(ref);
                newVersions.put(ref, version);
            }
            Map<StateRef, Long> newEnds = new HashMap<>();
            for (var a : plan.appends().entrySet()) {
                newEnds.put(a.getKey(), append(a.getKey(), ends.get(a.getKey()), a.getValue()));
            }
            return new StateCommit(newVersions, newEnds);
        });
    }

    /** SQL that runs in one transaction. */
    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in one SQL transaction; runs it again when PostgreSQL chose it as the loser of a
     * serialization race (or a concurrent insert of the same key won), so that its checks see the winner's rows.
     */
    private <T> T inTransaction(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                connection.setAutoCommit(false);
                try {
                    if (postgres()) {
                        try (Statement s = connection.createStatement()) {
                            s.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
                        }
                    }
                    T result = work.run();
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (!retryable(e) || attempt >= ATTEMPTS) throw failure(what, e);
                try {
                    Thread.sleep(Math.min(50, attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw failure(what + " (interrupted)", e);
                }
            }
        }
    }

    /** Serialization failure, deadlock, or a unique key another transaction inserted first. */
    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state) || "23505".equals(state);
    }

    private long version(StateRef ref) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT version FROM dataflare_state WHERE namespace = ? AND state_key = ?")) {
            ps.setString(1, ref.namespace());
            ps.setString(2, ref.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private void write(StateRef ref, String value, long version, long now) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO dataflare_state (namespace, state_key, state_value, updated_at, version) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (namespace, state_key) DO UPDATE SET state_value = excluded.state_value,"
                        + " updated_at = excluded.updated_at, version = excluded.version")) {
            ps.setString(1, ref.namespace());
            ps.setString(2, ref.name());
            ps.setString(3, value);
            ps.setLong(4, now);
            ps.setLong(5, version);
            ps.executeUpdate();
        }
    }

    private void erase(StateRef ref) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("DELETE FROM dataflare_state WHERE namespace = ? AND state_key = ?")) {
            ps.setString(1, ref.namespace());
            ps.setString(2, ref.name());
            ps.executeUpdate();
        }
    }

    private long logEnd(StateRef ref) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT last_seq FROM dataflare_log_end WHERE namespace = ? AND log_id = ?")) {
            ps.setString(1, ref.namespace());
            ps.setString(2, ref.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Inserts {@code records} after {@code last}; the new last sequence number. */
    private long append(StateRef ref, long last, List<String> records) throws SQLException {
        long seq = last;
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO dataflare_log (namespace, log_id, seq, record) VALUES (?, ?, ?, ?)")) {
            for (String r : records) {
                ps.setString(1, ref.namespace());
                ps.setString(2, ref.name());
                ps.setLong(3, ++seq);
                ps.setString(4, r);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO dataflare_log_end (namespace, log_id, last_seq) VALUES (?, ?, ?)"
                        + " ON CONFLICT (namespace, log_id) DO UPDATE SET last_seq = excluded.last_seq")) {
            ps.setString(1, ref.namespace());
            ps.setString(2, ref.name());
            ps.setLong(3, seq);
            ps.executeUpdate();
        }
        return seq;
    }

    @Override
    public synchronized List<LogRecord> read(String namespace, String log, long from, int max) {
        StateRef ref = new StateRef(namespace, log);
        List<LogRecord> out = new ArrayList<>();
        if (max <= 0) return out;
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT seq, record FROM dataflare_log WHERE namespace = ? AND log_id = ? AND seq >= ?"
                        + " ORDER BY seq LIMIT ?")) {
            ps.setString(1, namespace);
            ps.setString(2, log);
            ps.setLong(3, from);
            ps.setInt(4, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new LogRecord(rs.getLong(1), rs.getString(2)));
            }
        } catch (SQLException e) {
            throw failure("read log " + ref, e);
        }
        return out;
    }

    @Override
    public synchronized long lastSequence(String namespace, String log) {
        StateRef ref = new StateRef(namespace, log);
        try {
            return logEnd(ref);
        } catch (SQLException e) {
            throw failure("read log " + ref, e);
        }
    }

    @Override
    public synchronized void truncateBefore(String namespace, String log, long sequence) {
        StateRef ref = new StateRef(namespace, log);
        inTransaction("truncate log " + ref, () -> {
            Truncation.check(ref, sequence, logEnd(ref));
            try (PreparedStatement ps = connection.prepareStatement(
                    "DELETE FROM dataflare_log WHERE namespace = ? AND log_id = ? AND seq < ?")) {
                ps.setString(1, namespace);
                ps.setString(2, log);
                ps.setLong(3, sequence);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized SortedSet<String> logs(String namespace) {
        Keys.checkNamespace(namespace);
        SortedSet<String> out = new TreeSet<>();
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT log_id FROM dataflare_log_end WHERE namespace = ?")) {
            ps.setString(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw failure("list the logs of " + namespace, e);
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
        if (postgres()) return PostgresLocks.acquire(url, name, owner, describe());
        String db = sqliteFile(url);
        if (db == null) return processLocks.acquire(name, owner);
        java.nio.file.Path file = java.nio.file.Path.of(db).toAbsolutePath();
        return FileLocks.acquire(
                FileStateStore.path(file.resolveSibling(file.getFileName() + ".locks"), name, ".lock"),
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
