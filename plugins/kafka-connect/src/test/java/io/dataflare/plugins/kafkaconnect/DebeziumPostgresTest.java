package io.dataflare.plugins.kafkaconnect;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import io.dataflare.engine.testing.PostgresServer;
import io.dataflare.tck.SimplePluginContext;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debezium's PostgreSQL connector, the JARs Maven resolved, unchanged, against a real PostgreSQL with logical
 * replication: inserts, updates and deletes come out as records with op c/u/d, and a second run from the first
 * run's checkpoint gets exactly the changes made after it.
 */
class DebeziumPostgresTest {
    @TempDir
    Path dir;

    private Source source(PostgresServer pg) throws Exception {
        Path root = dir.resolve("connect");
        if (!root.resolve("debezium-postgres").toFile().isDirectory()) {
            ConnectorFolderFixture.copyConnector("debezium-postgres", root);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("database.hostname", "127.0.0.1");
        config.put("database.port", pg.port());
        config.put("database.user", "dataflare");
        config.put("database.password", "trust-auth-ignores-it");
        config.put("database.dbname", "shop");
        config.put("topic.prefix", "shop");
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", "dataflare_test");
        config.put("publication.name", "dataflare_test");
        config.put("publication.autocreate.mode", "filtered");
        config.put("table.include.list", "public.customers");
        config.put("snapshot.mode", "initial");
        config.put("tombstones.on.delete", false);
        var f = new KafkaConnectSourceFactory();
        SimplePluginContext ctx = SimplePluginContext.of(
                f,
                Map.of(
                        "connector_class",
                        "io.debezium.connector.postgresql.PostgresConnector",
                        "config",
                        config,
                        "plugin_path",
                        root.toString()),
                dir);
        f.preflight(ctx);
        return f.create(ctx);
    }

    private static void sql(String url, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            for (String q : statements) s.execute(q);
        }
    }

    /** Polls until {@code n} records came, then a little longer to catch any extra. */
    private static List<Record> read(Source s, int n, List<Map<String, Object>> positions) throws Exception {
        List<Record> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 120_000;
        long quietUntil = Long.MAX_VALUE;
        while (System.currentTimeMillis() < Math.min(deadline, quietUntil)) {
            RecordBatch b = s.poll(100);
            assertThat(b.rejections()).isEmpty();
            out.addAll(b.records());
            if (b.position() != null) positions.add(b.position());
            if (out.size() >= n && quietUntil == Long.MAX_VALUE) quietUntil = System.currentTimeMillis() + 3_000;
        }
        return out;
    }

    private static String change(Record r) {
        String op = r.getString("op");
        Map<String, Object> row = "d".equals(op) ? r.getMap("before") : r.getMap("after");
        return op + " " + row.get("id") + ("d".equals(op) ? "" : " " + row.get("name") + " " + row.get("balance"));
    }

    @Test
    void changesComeOutAsRecordsAndAResumedRunContinuesFromTheCommittedLsn() throws Exception {
        try (PostgresServer pg =
                PostgresServer.start(List.of("wal_level=logical", "max_replication_slots=4", "max_wal_senders=4"))) {
            String url = pg.createDatabase("shop");
            sql(
                    url,
                    "CREATE TABLE customers (id INT PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC(10,2))",
                    "INSERT INTO customers VALUES (1, 'Ann', 10.50), (2, 'Bob', 0.00)");

            Map<String, Object> checkpoint;
            try (Source s = source(pg)) {
                s.poll(100); // starts the connector: the slot exists from here, later changes are kept for it
                sql(
                        url,
                        "INSERT INTO customers VALUES (3, 'Cy', 99.99)",
                        "UPDATE customers SET balance = 11.25 WHERE id = 1",
                        "DELETE FROM customers WHERE id = 2");
                List<Map<String, Object>> positions = new ArrayList<>();
                List<Record> got = read(s, 5, positions);
                assertThat(got)
                        .extracting(DebeziumPostgresTest::change)
                        .containsExactly("r 1 Ann 10.50", "r 2 Bob 0.00", "c 3 Cy 99.99", "u 1 Ann 11.25", "d 2");
                Record insert = got.get(2);
                assertThat(insert.getMap("after").get("balance")).isEqualTo(new BigDecimal("99.99"));
                assertThat(insert.header("connect.topic")).isEqualTo("shop.public.customers");
                assertThat(insert.getMap("source").get("table")).isEqualTo("customers");
                checkpoint = positions.get(positions.size() - 1);
                long committedLsn = lsn(checkpoint);
                assertThat(confirmedLsn(url)).isLessThan(committedLsn);
                s.commit(checkpoint);
                // the commit reached Debezium, which confirms the LSN to the slot from its streaming loop
                long deadline = System.currentTimeMillis() + 30_000;
                while (confirmedLsn(url) < committedLsn && System.currentTimeMillis() < deadline) {
                    assertThat(s.poll(100).records()).isEmpty();
                }
                assertThat(confirmedLsn(url)).isGreaterThanOrEqualTo(committedLsn);
            }

            sql(
                    url,
                    "INSERT INTO customers VALUES (4, 'Dee', 1.00)",
                    "UPDATE customers SET name = 'Cyrus' WHERE id = 3",
                    "DELETE FROM customers WHERE id = 1");
            try (Source s = source(pg)) {
                s.seek(jsonLike(checkpoint));
                List<Record> got = read(s, 3, new ArrayList<>());
                assertThat(got)
                        .extracting(DebeziumPostgresTest::change)
                        .containsExactly("c 4 Dee 1.00", "u 3 Cyrus 99.99", "d 1");
            }
        }
    }

    private static long lsn(Map<String, Object> position) {
        List<?> offsets = (List<?>) position.get("offsets");
        Map<?, ?> offset = (Map<?, ?>) ((Map<?, ?>) offsets.get(0)).get("offset");
        return ((Number) offset.get("lsn")).longValue();
    }

    /** The slot's confirmed flush LSN as a number (0 when none yet). */
    private static long confirmedLsn(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT confirmed_flush_lsn - '0/0' FROM pg_replication_slots"
                        + " WHERE slot_name = 'dataflare_test'")) {
            return rs.next() ? rs.getLong(1) : 0L;
        }
    }

    /** A position as the checkpoint store gives it back: JSON numbers of the int range as Integers. */
    @SuppressWarnings("unchecked")
    static <T> T jsonLike(T v) {
        if (v instanceof Long l && l <= Integer.MAX_VALUE && l >= Integer.MIN_VALUE) {
            return (T) Integer.valueOf(l.intValue());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new HashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), jsonLike(e.getValue()));
            return (T) out;
        }
        if (v instanceof List<?> l)
            return (T) l.stream().map(DebeziumPostgresTest::jsonLike).toList();
        return v;
    }
}
