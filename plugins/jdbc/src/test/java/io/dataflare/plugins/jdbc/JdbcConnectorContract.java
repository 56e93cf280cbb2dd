package io.dataflare.plugins.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.tck.SimplePluginContext;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jdbc source and sink against a real database; subclasses say which one and its type names. */
abstract class JdbcConnectorContract {
    @TempDir
    Path dir;

    String url;

    /** A URL of a new, empty database. */
    abstract String newDatabase() throws Exception;

    abstract String decimalType();

    abstract String timestampType();

    abstract String bytesType();

    /** What makes a table refuse a value of another type than its column's (SQLite's STRICT). */
    abstract String strictTable();

    @BeforeEach
    void database() throws Exception {
        url = newDatabase();
    }

    @Test
    void tableSourceResumesFromItsCheckpointWithOnlyTheNewRowsExactlyOnce() throws Exception {
        sql("CREATE TABLE events (id BIGINT PRIMARY KEY, name TEXT)");
        for (int i = 1; i <= 5; i++) sql("INSERT INTO events VALUES (" + i + ", 'e" + i + "')");
        Map<String, Object> config = Map.of("url", url, "table", "events", "incremental", "id");

        Map<String, Object> checkpoint;
        List<Long> firstRun = new ArrayList<>();
        try (Source s = source(config)) {
            RecordBatch b = s.poll(2);
            b.forEach(r -> firstRun.add(r.getLong("id")));
            checkpoint = b.position();
        } // stopped after the checkpoint: rows 3..5 were read by nobody
        sql("INSERT INTO events VALUES (6, 'e6')");
        sql("INSERT INTO events VALUES (7, 'e7')");

        List<Record> resumed;
        try (Source s = source(config)) {
            s.seek(checkpoint);
            resumed = drain(s);
        }
        assertThat(firstRun).containsExactly(1L, 2L);
        assertThat(resumed).extracting(r -> r.getLong("id")).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(resumed.get(4).getString("name")).isEqualTo("e7");
    }

    @Test
    void nonIncrementalSourceResumesAfterTheRowsAlreadyRead() throws Exception {
        sql("CREATE TABLE items (id BIGINT PRIMARY KEY)");
        for (int i = 1; i <= 4; i++) sql("INSERT INTO items VALUES (" + i + ")");
        Map<String, Object> config = Map.of("url", url, "query", "SELECT id FROM items ORDER BY id");
        Map<String, Object> checkpoint;
        try (Source s = source(config)) {
            checkpoint = s.poll(3).position();
        }
        try (Source s = source(config)) {
            s.seek(checkpoint);
            assertThat(drain(s)).extracting(r -> r.getLong("id")).containsExactly(4L);
        }
    }

    @Test
    void querySourceReadsTheQuerysRowsAndColumns() throws Exception {
        sql("CREATE TABLE orders (id BIGINT PRIMARY KEY, country TEXT, amount BIGINT)");
        sql("INSERT INTO orders VALUES (1, 'DE', 10), (2, 'FR', 20), (3, 'DE', 30)");
        try (Source s = source(Map.of(
                "url",
                url,
                "query",
                "SELECT id, amount * 2 AS doubled FROM orders WHERE country = 'DE'",
                "incremental",
                "id",
                "fetch_size",
                1))) {
            List<Record> rows = drain(s);
            assertThat(rows).extracting(r -> r.fields().names()).containsOnly(List.of("id", "doubled"));
            assertThat(rows).extracting(r -> r.getLong("doubled")).containsExactly(20L, 60L);
        }
    }

    @Test
    void pollingSourcePicksUpRowsAddedWhileItRuns() throws Exception {
        sql("CREATE TABLE feed (id BIGINT PRIMARY KEY)");
        sql("INSERT INTO feed VALUES (1)");
        try (Source s = source(Map.of("url", url, "table", "feed", "incremental", "id", "poll_interval_ms", 20))) {
            assertThat(pollUntilRows(s)).extracting(r -> r.getLong("id")).containsExactly(1L);
            RecordBatch idle = s.poll(10);
            assertThat(idle).isNotNull();
            assertThat(idle.size()).isZero();
            sql("INSERT INTO feed VALUES (2)");
            assertThat(pollUntilRows(s)).extracting(r -> r.getLong("id")).containsExactly(2L);
        }
    }

    @Test
    void sinkInsertsEveryRecord() throws Exception {
        sql("CREATE TABLE people (id BIGINT PRIMARY KEY, name TEXT)");
        List<Rejections> none = new ArrayList<>();
        CollectedRejections rejected = new CollectedRejections();
        try (Sink sink = sink(Map.of("url", url, "table", "people"))) {
            sink.write(RecordBatch.of(person(1, "Ann"), person(2, "Bob")), rejected);
            sink.write(RecordBatch.of(person(3, "Cy")), rejected);
        }
        assertThat(none).isEmpty();
        assertThat(rejected.reasons).isEmpty();
        assertThat(table("SELECT id, name FROM people ORDER BY id"))
                .containsExactly(
                        Map.of("id", 1L, "name", "Ann"),
                        Map.of("id", 2L, "name", "Bob"),
                        Map.of("id", 3L, "name", "Cy"));
    }

    @Test
    void upsertRerunOfTheSameInputLeavesEveryKeyOnceWithItsLatestValue() throws Exception {
        sql("CREATE TABLE accounts (id BIGINT PRIMARY KEY, name TEXT, balance BIGINT)");
        List<RecordBatch> input = List.of(
                RecordBatch.of(account(1, "a", 10), account(2, "b", 20), account(1, "a2", 11)),
                RecordBatch.of(account(3, "c", 30), account(2, "b2", 21)));
        Map<String, Object> config = Map.of("url", url, "table", "accounts", "mode", "upsert", "key", List.of("id"));
        for (int run = 0; run < 2; run++) { // the second run is the replay after a crash
            try (Sink sink = sink(config)) {
                for (RecordBatch b : input) sink.write(b, new CollectedRejections());
            }
            assertThat(table("SELECT id, name, balance FROM accounts ORDER BY id"))
                    .containsExactly(
                            Map.of("id", 1L, "name", "a2", "balance", 11L),
                            Map.of("id", 2L, "name", "b2", "balance", 21L),
                            Map.of("id", 3L, "name", "c", "balance", 30L));
        }
    }

    @Test
    void decimalTimestampBytesAndNullRoundTripExactly() throws Exception {
        sql("CREATE TABLE typed (id BIGINT PRIMARY KEY, amount " + decimalType() + ", at " + timestampType()
                + ", payload " + bytesType() + ", ratio DOUBLE PRECISION, flag BOOLEAN, note TEXT)");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        row.put("amount", new BigDecimal("12345678901234567890.1234"));
        row.put("at", Instant.parse("2024-02-29T12:34:56.123456Z"));
        row.put("payload", new byte[] {0, 1, (byte) 0xff, 42});
        row.put("ratio", 0.1);
        row.put("flag", true);
        row.put("note", null);
        Record written = Record.fromMap(row);
        CollectedRejections rejected = new CollectedRejections();
        try (Sink sink = sink(Map.of("url", url, "table", "typed"))) {
            sink.write(RecordBatch.of(written), rejected);
        }
        assertThat(rejected.reasons).isEmpty();
        List<Record> read;
        try (Source s = source(Map.of("url", url, "table", "typed"))) {
            read = drain(s);
        }
        assertThat(read).hasSize(1);
        Record r = read.get(0);
        assertThat(r.get("amount")).isEqualTo(new BigDecimal("12345678901234567890.1234"));
        assertThat(r.get("at")).isEqualTo(Instant.parse("2024-02-29T12:34:56.123456Z"));
        assertThat(r.getBytes("payload")).containsExactly(0, 1, 0xff, 42);
        assertThat(r.getDouble("ratio")).isEqualTo(0.1);
        assertThat(r.getBoolean("flag")).isTrue();
        assertThat(r.has("note")).isTrue();
        assertThat(r.get("note")).isNull();
    }

    @Test
    void timestampColumnIsAnIncrementalPosition() throws Exception {
        sql("CREATE TABLE ticks (at " + timestampType() + " PRIMARY KEY, n BIGINT)");
        CollectedRejections rejected = new CollectedRejections();
        Instant t0 = Instant.parse("2024-01-01T00:00:00.000001Z");
        try (Sink sink = sink(Map.of("url", url, "table", "ticks"))) {
            sink.write(RecordBatch.of(tick(t0, 1), tick(t0.plusMillis(500), 2), tick(t0.plusSeconds(9), 3)), rejected);
        }
        Map<String, Object> config = Map.of("url", url, "table", "ticks", "incremental", "at");
        Map<String, Object> checkpoint;
        try (Source s = source(config)) {
            checkpoint = s.poll(1).position();
        }
        try (Source s = source(config)) {
            s.seek(checkpoint);
            assertThat(drain(s)).extracting(r -> r.getLong("n")).containsExactly(2L, 3L);
        }
    }

    @Test
    void rowTheDatabaseRefusesGoesToTheDeadLettersWithTheReasonAndTheRestIsWritten() throws Exception {
        sql("CREATE TABLE stock (id BIGINT PRIMARY KEY, qty BIGINT NOT NULL CHECK (qty >= 0))");
        CollectedRejections rejected = new CollectedRejections();
        try (Sink sink = sink(Map.of("url", url, "table", "stock"))) {
            sink.write(RecordBatch.of(stock(1, 5), stock(2, -1), stock(3, 7)), rejected);
        }
        assertThat(rejected.records).extracting(r -> r.getLong("id")).containsExactly(2L);
        assertThat(rejected.reasons.get(0)).startsWith("jdbc sink: ").containsIgnoringCase("check");
        assertThat(table("SELECT id, qty FROM stock ORDER BY id"))
                .containsExactly(Map.of("id", 1L, "qty", 5L), Map.of("id", 3L, "qty", 7L));
    }

    @Test
    void valueOfTheWrongTypeGoesToTheDeadLettersWithTheReason() throws Exception {
        sql("CREATE TABLE counts (id INTEGER PRIMARY KEY, qty INTEGER)" + strictTable());
        CollectedRejections rejected = new CollectedRejections();
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("id", 2L);
        bad.put("qty", "many");
        try (Sink sink = sink(Map.of("url", url, "table", "counts"))) {
            sink.write(RecordBatch.of(stock(1, 5), Record.fromMap(bad), stock(3, 7)), rejected);
        }
        assertThat(rejected.records).extracting(r -> r.getLong("id")).containsExactly(2L);
        assertThat(rejected.reasons.get(0)).startsWith("jdbc sink: ").contains("counts");
        assertThat(table("SELECT id FROM counts ORDER BY id")).containsExactly(Map.of("id", 1L), Map.of("id", 3L));
    }

    @Test
    void sinkOnAMissingTableFailsAtStartNamingTheTable() {
        assertThatThrownBy(() -> sink(Map.of("url", url, "table", "nowhere")))
                .hasMessageContaining("jdbc sink")
                .hasMessageContaining("nowhere");
    }

    // --- helpers

    private static Record person(long id, String name) {
        return Record.fromMap(Map.of("id", id, "name", name));
    }

    private static Record account(long id, String name, long balance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("balance", balance);
        return Record.fromMap(m);
    }

    private static Record stock(long id, long qty) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("qty", qty);
        return Record.fromMap(m);
    }

    private static Record tick(Instant at, long n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", at);
        m.put("n", n);
        return Record.fromMap(m);
    }

    Source source(Map<String, ?> config) throws Exception {
        JdbcSourceFactory f = new JdbcSourceFactory();
        return f.create(SimplePluginContext.of(f, config, dir));
    }

    Sink sink(Map<String, ?> config) throws Exception {
        JdbcSinkFactory f = new JdbcSinkFactory();
        return f.create(SimplePluginContext.of(f, config, dir));
    }

    static List<Record> drain(Source s) throws Exception {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            RecordBatch b = s.poll(100);
            if (b == null) return out;
            out.addAll(b.records());
        }
        throw new AssertionError("the source did not end");
    }

    private static List<Record> pollUntilRows(Source s) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            RecordBatch b = s.poll(100);
            assertThat(b).as("a polling source never ends").isNotNull();
            if (b.size() > 0) return b.records();
        }
        throw new AssertionError("no rows within 10 s");
    }

    void sql(String statement) throws Exception {
        try (Connection c = Database.of(url).connect(url, null, null);
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    List<Map<String, Object>> table(String query) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = Database.of(url).connect(url, null, null);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(rs.getMetaData().getColumnLabel(i), v instanceof Integer n ? n.longValue() : v);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static final class CollectedRejections implements Rejections {
        final List<Record> records = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();

        @Override
        public void reject(Record record, String reason) {
            records.add(record);
            reasons.add(reason);
        }

        @Override
        public void reject(Record record, Throwable error) {
            reject(record, String.valueOf(error.getMessage()));
        }
    }
}
