package io.dataflare.plugins.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Sink;
import java.util.List;
import java.util.Map;
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
}
