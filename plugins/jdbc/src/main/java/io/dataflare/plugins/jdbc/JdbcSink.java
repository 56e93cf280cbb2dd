package io.dataflare.plugins.jdbc;

import io.dataflare.api.PluginMetrics;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes each batch in one transaction, as JDBC batches of records of the same fields. When the
 * database refuses the batch, it is written again row by row, each row behind a savepoint: the rows the
 * database refuses (a constraint, a value of the wrong type) are rejected with its message, the others
 * are committed. Upserts make a replay after a crash idempotent, so the sink needs no state of its own.
 */
final class JdbcSink implements Sink {
    private final Database db;
    private final Connection connection;
    private final String table;
    private final boolean upsert;
    private final List<String> key;
    private final Map<Fields, String> statements = new HashMap<>();
    private final PluginMetrics metrics;

    JdbcSink(Database db, Connection connection, String table, boolean upsert, List<String> key, PluginMetrics metrics)
            throws SQLException {
        this.metrics = metrics;
        this.db = db;
        this.connection = connection;
        this.table = table;
        this.upsert = upsert;
        this.key = key;
        connection.setAutoCommit(false);
    }

    @Override
    public void write(RecordBatch batch, Rejections rejections) throws Exception {
        List<Record> writable = new ArrayList<>(batch.size());
        for (Record r : batch) {
            String problem = check(r);
            if (problem == null) writable.add(r);
            else rejections.reject(r, problem);
        }
        if (writable.size() < batch.size()) metrics.increment("rows_rejected", batch.size() - writable.size());
        if (writable.isEmpty()) return;
        long start = System.nanoTime();
        try {
            writeBatched(writable);
            connection.commit();
            metrics.increment("rows_written", writable.size());
        } catch (SQLException e) {
            rollback();
            if (isConnectionFailure(e)) throw e;
            metrics.increment("batches_row_by_row", 1);
            writeRowByRow(writable, rejections);
        }
        metrics.record("batch_write", java.time.Duration.ofNanos(System.nanoTime() - start));
    }

    private String check(Record r) {
        if (r.size() == 0) return "jdbc sink: the record has no fields";
        for (int i = 0; i < r.size(); i++) {
            Object v = r.value(i);
            if (v instanceof List || v instanceof Map) {
                return "jdbc sink: field '" + r.fieldName(i) + "' is a " + (v instanceof List ? "list" : "map")
                        + "; only scalar fields map to columns";
            }
        }
        if (upsert) {
            for (String k : key) {
                if (!r.has(k)) return "jdbc sink: the record has no key field '" + k + "'";
            }
        }
        return null;
    }

    private void writeBatched(List<Record> records) throws SQLException {
        int from = 0;
        while (from < records.size()) {
            Fields shape = records.get(from).fields();
            int to = from;
            try (PreparedStatement s = connection.prepareStatement(sql(shape))) {
                while (to < records.size() && records.get(to).fields().equals(shape)) {
                    bind(s, records.get(to));
                    s.addBatch();
                    to++;
                }
                s.executeBatch();
            }
            from = to;
        }
    }

    private void writeRowByRow(List<Record> records, Rejections rejections) throws SQLException {
        try {
            long written = 0;
            long refused = 0;
            for (Record r : records) {
                Savepoint sp = connection.setSavepoint();
                try (PreparedStatement s = connection.prepareStatement(sql(r.fields()))) {
                    bind(s, r);
                    s.executeUpdate();
                    connection.releaseSavepoint(sp);
                    written++;
                } catch (SQLException e) {
                    if (isConnectionFailure(e)) throw e;
                    connection.rollback(sp);
                    refused++;
                    rejections.reject(
                            r,
                            "jdbc sink: " + db.name().toLowerCase(java.util.Locale.ROOT) + " refused the row for table "
                                    + table + ": " + e.getMessage());
                }
            }
            connection.commit();
            metrics.increment("rows_written", written);
            metrics.increment("rows_rejected", refused);
        } catch (SQLException e) {
            rollback();
            throw e;
        }
    }

    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("08"))
                || e instanceof java.sql.SQLRecoverableException
                || e instanceof java.sql.SQLTransientConnectionException;
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the connection is gone: the caller reports the original failure
        }
    }

    private String sql(Fields shape) {
        return statements.computeIfAbsent(shape, this::buildSql);
    }

    private String buildSql(Fields shape) {
        StringBuilder cols = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < shape.size(); i++) {
            if (i > 0) {
                cols.append(", ");
                marks.append(", ");
            }
            cols.append(Database.quote(shape.name(i)));
            marks.append('?');
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ")
                .append(table)
                .append(" (")
                .append(cols)
                .append(") VALUES (")
                .append(marks)
                .append(')');
        if (upsert) {
            List<String> keyCols = new ArrayList<>();
            for (String k : key) keyCols.add(Database.quote(k));
            sql.append(" ON CONFLICT (").append(String.join(", ", keyCols)).append(')');
            List<String> sets = new ArrayList<>();
            for (String f : shape.names()) {
                if (!key.contains(f)) sets.add(Database.quote(f) + " = excluded." + Database.quote(f));
            }
            sql.append(sets.isEmpty() ? " DO NOTHING" : " DO UPDATE SET " + String.join(", ", sets));
        }
        return sql.toString();
    }

    private void bind(PreparedStatement s, Record r) throws SQLException {
        for (int i = 0; i < r.size(); i++) {
            Object v = r.value(i);
            int p = i + 1;
            if (v == null) s.setNull(p, Types.NULL);
            else if (v instanceof Long l) s.setLong(p, l);
            else if (v instanceof Double d) s.setDouble(p, d);
            else if (v instanceof BigDecimal d) {
                // SQLite has no decimal type: its text keeps every digit
                if (db == Database.SQLITE) s.setString(p, d.toPlainString());
                else s.setBigDecimal(p, d);
            } else if (v instanceof Boolean b) s.setBoolean(p, b);
            else if (v instanceof Instant t) s.setObject(p, db.timestampParameter(t));
            else if (v instanceof byte[] b) s.setBytes(p, b);
            else s.setString(p, v.toString());
        }
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
