package io.dataflare.bench;

import io.dataflare.api.data.Record;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Types;

/**
 * {@code baseline-jdbc-postgres}: the plain JDBC batch insert. The same CSV rows, decoded by the file plugins'
 * own decoder with the benchmark's schema, inserted 1,000 at a time (the pipeline's batch size) as one JDBC
 * batch and one transaction per batch.
 */
final class JdbcBatchRow implements Row {
    static final String TABLE = "baseline_rows";
    private static final String INSERT =
            "INSERT INTO " + TABLE + " (id, key, amount, quantity, name, text) VALUES (?, ?, ?, ?, ?, ?)";
    private final PostgresBench pg;

    JdbcBatchRow(PostgresBench pg) {
        this.pg = pg;
    }

    @Override
    public String name() {
        return "baseline-jdbc-postgres";
    }

    @Override
    public void prepare() throws Exception {
        pg.emptyTable(TABLE);
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        long[] written = {0};
        try (Connection c = DriverManager.getConnection(pg.url());
                PreparedStatement s = c.prepareStatement(INSERT)) {
            c.setAutoCommit(false);
            HandLoop.forEachBatch(input, batch -> {
                for (Record r : batch) {
                    bind(s, 1, r.get("id"));
                    bind(s, 2, r.get("key"));
                    bind(s, 3, r.get("amount"));
                    bind(s, 4, r.get("quantity"));
                    bind(s, 5, r.get("name"));
                    bind(s, 6, r.get("text"));
                    s.addBatch();
                }
                s.executeBatch();
                c.commit();
                written[0] += batch.size();
            });
        }
        return pg.written(TABLE, written[0]);
    }

    private static void bind(PreparedStatement s, int p, Object v) throws java.sql.SQLException {
        if (v == null) s.setNull(p, Types.NULL);
        else if (v instanceof Long l) s.setLong(p, l);
        else if (v instanceof Double d) s.setDouble(p, d);
        else s.setString(p, v.toString());
    }
}
