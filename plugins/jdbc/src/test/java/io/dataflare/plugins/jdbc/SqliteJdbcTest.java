package io.dataflare.plugins.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.PluginMetrics;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Sink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** The jdbc connectors against SQLite, a new database file per test. */
class SqliteJdbcTest extends JdbcConnectorContract {
    private int databases;

    @Override
    String newDatabase() {
        return "jdbc:sqlite:" + dir.resolve("test" + (databases++) + ".db");
    }

    // TEXT affinity keeps every digit (a NUMERIC column keeps 15); the DECIMAL in the name makes it a decimal.
    @Override
    String decimalType() {
        return "DECIMAL_TEXT";
    }

    @Override
    String timestampType() {
        return "TIMESTAMP";
    }

    @Override
    String strictTable() {
        return " STRICT";
    }

    @Override
    String bytesType() {
        return "BLOB";
    }

    @Test
    void relativeFileIsTakenFromThePipelineFolderAndInitSqlCreatesTheTable() throws Exception {
        try (Sink sink = sink(Map.of(
                "url",
                "jdbc:sqlite:out/relative.db",
                "table",
                "notes",
                "init_sql",
                List.of("CREATE TABLE IF NOT EXISTS notes (id BIGINT PRIMARY KEY, text TEXT)")))) {
            sink.write(RecordBatch.of(Record.fromMap(Map.of("id", 7L))), new CollectedRejections());
        }
        url = "jdbc:sqlite:" + dir.resolve("out/relative.db");
        assertThat(table("SELECT id FROM notes")).containsExactly(Map.of("id", 7L));
    }

    @Test
    void sinkAndSourceCountRowsWrittenRejectedAndRead() throws Exception {
        sql("CREATE TABLE stock (id BIGINT PRIMARY KEY, qty BIGINT CHECK (qty >= 0))");
        Counters counters = new Counters();
        Database db = Database.SQLITE;
        try (JdbcSink sink = new JdbcSink(db, db.connect(url, null, null), "stock", false, List.of(), counters)) {
            sink.write(
                    RecordBatch.of(
                            Record.fromMap(Map.of("id", 1L, "qty", 1L)),
                            Record.fromMap(Map.of("id", 2L, "qty", -1L)),
                            Record.fromMap(Map.of("id", 3L, "qty", 3L))),
                    new CollectedRejections());
        }
        assertThat(counters.values)
                .containsEntry("rows_written", 2L)
                .containsEntry("rows_rejected", 1L)
                .containsEntry("batches_row_by_row", 1L);
        try (JdbcSource source =
                new JdbcSource(db, db.connect(url, null, null), "SELECT * FROM stock", "id", 10, 0, counters)) {
            assertThat(drain(source)).hasSize(2);
        }
        assertThat(counters.values).containsEntry("rows_read", 2L).containsEntry("queries", 1L);
    }

    private static final class Counters implements PluginMetrics {
        final Map<String, Long> values = new ConcurrentHashMap<>();

        @Override
        public void increment(String name, long amount) {
            values.merge(name, amount, Long::sum);
        }

        @Override
        public void record(String name, Duration duration) {}

        @Override
        public void gauge(String name, DoubleSupplier value) {}
    }
}
