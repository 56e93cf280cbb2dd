package io.dataflare.plugins.jdbc;

import io.dataflare.api.PluginMetrics;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the rows of a table or query. With an incremental column the rows come in that column's order
 * and the position is the last value read (plus how many rows with that value were read, so rows sharing
 * it are neither lost nor repeated); a resumed source asks only for rows from there on. Without one the
 * position is the number of rows read. With a poll interval the source asks again for newer rows once the
 * current ones are read, and never ends.
 */
final class JdbcSource implements Source {
    private final Database db;
    private final Connection connection;
    private final String baseSql;
    private final String incremental;
    private final int fetchSize;
    private final long pollIntervalMs;
    private final PluginMetrics metrics;

    private IncrementalValue last;
    private long lastCount;
    private long rowsRead;
    private long skipRows;

    private PreparedStatement statement;
    private ResultSet rows;
    private Fields fields;
    private ColumnReader[] readers;
    private int incrementalIndex;
    private String incrementalType;
    private long nextQueryAt;
    private boolean finished;

    JdbcSource(
            Database db,
            Connection connection,
            String baseSql,
            String incremental,
            int fetchSize,
            long pollIntervalMs,
            PluginMetrics metrics)
            throws SQLException {
        this.metrics = metrics;
        this.db = db;
        this.connection = connection;
        this.baseSql = baseSql;
        this.incremental = incremental;
        this.fetchSize = fetchSize;
        this.pollIntervalMs = pollIntervalMs;
        // PostgreSQL streams with the fetch size only inside a transaction.
        connection.setAutoCommit(false);
    }

    @Override
    public void seek(Map<String, Object> position) {
        if (incremental != null) {
            Object column = position.get("column");
            if (!incremental.equals(column)) {
                throw new IllegalStateException("jdbc source: the checkpoint was taken with incremental column '"
                        + column + "', the pipeline now says '" + incremental + "'");
            }
            Object kind = position.get("kind");
            last = kind == null ? null : new IncrementalValue((String) kind, (String) position.get("last"));
            lastCount = ((Number) position.getOrDefault("count", 0L)).longValue();
        } else {
            rowsRead = ((Number) position.getOrDefault("rows", 0L)).longValue();
            skipRows = rowsRead;
        }
    }

    @Override
    public RecordBatch poll(int maxRecords) throws Exception {
        if (finished) return null;
        if (rows == null) {
            long wait = nextQueryAt - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(Math.min(wait, 100));
                return RecordBatch.EMPTY;
            }
            open();
        }
        RecordBatch.Builder out = RecordBatch.builder(Math.min(maxRecords, 1024));
        while (out.size() < maxRecords) {
            if (!rows.next()) {
                closeQuery();
                if (pollIntervalMs <= 0) {
                    finished = true; // without polling the source ends after the rows of its one query
                    if (out.size() == 0) return null;
                    metrics.increment("rows_read", out.size());
                    return out.position(position()).build();
                }
                nextQueryAt = System.currentTimeMillis() + pollIntervalMs;
                break;
            }
            if (incremental != null) {
                IncrementalValue v = IncrementalValue.read(rows, incrementalIndex, incrementalType);
                if (v != null && v.equals(last)) {
                    if (skipRows > 0) { // read before the checkpoint, with the same value as its last row
                        skipRows--;
                        continue;
                    }
                    lastCount++;
                } else {
                    last = v;
                    lastCount = 1;
                    skipRows = 0;
                }
            } else if (skipRows > 0) {
                skipRows--;
                continue;
            } else {
                rowsRead++;
            }
            out.add(row());
        }
        if (out.size() == 0) return RecordBatch.EMPTY;
        metrics.increment("rows_read", out.size());
        return out.position(position()).build();
    }

    private Record row() throws SQLException {
        Record.Builder b = Record.builder(fields);
        for (int i = 0; i < readers.length; i++) b.set(i, readers[i].read(rows, i + 1));
        return b.build();
    }

    private Map<String, Object> position() {
        Map<String, Object> p = new LinkedHashMap<>();
        if (incremental == null) {
            p.put("rows", rowsRead);
        } else {
            p.put("column", incremental);
            if (last != null) {
                p.put("kind", last.kind());
                p.put("last", last.text());
                p.put("count", lastCount);
            }
        }
        return p;
    }

    private void open() throws SQLException {
        String sql = baseSql;
        if (incremental != null) {
            String col = Database.quote(incremental);
            sql = "SELECT * FROM (" + baseSql + ") AS dataflare_rows" + (last == null ? "" : " WHERE " + col + " >= ?")
                    + " ORDER BY " + col;
            // rows equal to the last value that were already read come again first: skip them
            skipRows = last == null ? 0 : lastCount;
        } else {
            skipRows = rowsRead;
        }
        statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(fetchSize);
        if (incremental != null && last != null) last.bind(statement, 1);
        long start = System.nanoTime();
        rows = statement.executeQuery();
        metrics.increment("queries", 1);
        metrics.record("query", java.time.Duration.ofNanos(System.nanoTime() - start));
        if (fields == null) describe(rows.getMetaData());
    }

    private void describe(ResultSetMetaData meta) throws SQLException {
        int n = meta.getColumnCount();
        List<String> names = new ArrayList<>(n);
        readers = new ColumnReader[n];
        incrementalIndex = -1;
        for (int i = 1; i <= n; i++) {
            String name = meta.getColumnLabel(i);
            if (names.contains(name)) {
                throw new SQLException("jdbc source: the result has two columns named '" + name
                        + "': give them distinct names (AS) in the query");
            }
            names.add(name);
            readers[i - 1] = ColumnReader.of(db, meta, i);
            if (name.equals(incremental)) {
                incrementalIndex = i;
                incrementalType = db == Database.POSTGRESQL ? meta.getColumnTypeName(i) : null;
            }
        }
        if (incremental != null && incrementalIndex < 0) {
            throw new SQLException("jdbc source: 'incremental' names column '" + incremental
                    + "', which the result does not have; its columns: " + String.join(", ", names));
        }
        fields = Fields.of(names);
    }

    private void closeQuery() throws SQLException {
        try {
            if (rows != null) rows.close();
            if (statement != null) statement.close();
        } finally {
            rows = null;
            statement = null;
            // end the read transaction, so the next query sees rows committed since
            connection.commit();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (rows != null) rows.close();
            if (statement != null) statement.close();
        } finally {
            connection.close();
        }
    }
}
