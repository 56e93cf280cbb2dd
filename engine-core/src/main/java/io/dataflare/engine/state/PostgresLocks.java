package io.dataflare.engine.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * State locks as PostgreSQL session advisory locks, each on a connection of its own: the server releases
 * the lock when that connection ends, also when the process holding it is killed. The holder's
 * description is kept in {@code dataflare_locks} for the message a refused run prints.
 */
final class PostgresLocks {
    private PostgresLocks() {}

    static StateLock acquire(String url, String name, String owner, String store) {
        long key = advisoryKey(name);
        Connection c = null;
        try {
            c = DriverManager.getConnection(url);
            boolean got;
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    got = rs.next() && rs.getBoolean(1);
                }
            }
            if (!got) {
                String holder = holder(c, name);
                c.close();
                throw new StateLockedException(name, holder, store);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO dataflare_locks (lock_name, owner, since) VALUES (?, ?, ?)"
                            + " ON CONFLICT (lock_name) DO UPDATE SET owner = excluded.owner, since = excluded.since")) {
                ps.setString(1, name);
                ps.setString(2, owner);
                ps.setLong(3, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return new Held(name, c, key);
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the lock dies with the connection
                }
            }
            throw new StateStoreException("cannot lock '" + name + "' in " + store + ": " + e.getMessage(), e);
        }
    }

    private static String holder(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT owner FROM dataflare_locks WHERE lock_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "another session of this database";
            }
        }
    }

    /** A stable 64-bit key per name (advisory locks are keyed by numbers). */
    static long advisoryKey(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(("dataflare-state:" + name).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(h).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Held implements StateLock {
        private final String name;
        private final Connection connection;
        private final long key;
        private boolean closed;

        Held(String name, Connection connection, long key) {
            this.name = name;
            this.connection = connection;
            this.key = key;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, key);
                ps.execute();
            } catch (SQLException ignored) {
                // closing the connection below releases it anyway
            } finally {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // released with the session
                }
            }
        }
    }
}
