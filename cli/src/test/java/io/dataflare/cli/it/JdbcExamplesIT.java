package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.testing.PostgresServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's jdbc examples through the CLI with the real plugin JAR (its bundled drivers in the plugin's
 * class loader): CSV into SQLite and into a real PostgreSQL, upserted, a re-run leaving every order once.
 */
class JdbcExamplesIT {
    @TempDir
    Path dir;

    private Path copyExample(String name) throws Exception {
        Path examples = Path.of("..", "examples");
        Files.createDirectories(dir.resolve("data"));
        Files.copy(examples.resolve(name), dir.resolve(name));
        Files.copy(examples.resolve("data/orders.csv"), dir.resolve("data/orders.csv"));
        return dir.resolve(name);
    }

    @Test
    void csvToSqliteUpsertsEveryGoodOrderOnceAndDeadLettersTheBadRows() throws Exception {
        Path pipeline = copyExample("csv-to-sqlite.yaml");
        // the state store is SQLite too: the engine's driver and the plugin's bundled one live side by side
        String state = "jdbc:sqlite:" + dir.resolve("state.db");
        for (int run = 0; run < 2; run++) {
            Distribution.Cli r = Distribution.cli("run", pipeline.toString(), "--json", "--state", state);
            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode s = r.json();
            assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(s.get("sinks").get("db").asLong()).isEqualTo(8);
            assertThat(s.get("dead_lettered").asLong()).isEqualTo(2);
        }
        List<String> rows = rows("jdbc:sqlite:" + dir.resolve("out/orders.db"));
        assertThat(rows).hasSize(8).contains("1001 19.90 DE", "1009 300.10 DE");
        assertThat(Files.readAllLines(dir.resolve("out/orders-db-dead-letters.jsonl")))
                .hasSize(2);
    }

    @Test
    void csvToPostgresWithThePasswordFromASecret() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            String url = pg.createDatabase("shop");
            Path pipeline = copyExample("csv-to-postgres.yaml");
            Path out = dir.resolve("run.out");
            Path err = dir.resolve("run.err");
            for (int run = 0; run < 2; run++) {
                Process p = Distribution.startChild(
                        List.of(),
                        Map.of("PG_URL", url, "DATAFLARE_SECRET_PG_PASSWORD", "not-checked-by-trust-auth"),
                        out,
                        err,
                        "run",
                        pipeline.toString(),
                        "--json",
                        "--state",
                        "memory:");
                assertThat(p.waitFor()).as(Files.readString(err)).isZero();
            }
            List<String> rows = rows(url);
            assertThat(rows).hasSize(8).contains("1001 19.90 DE", "1009 300.10 DE");
        }
    }

    private static List<String> rows(String url) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT order_id, amount, country FROM orders ORDER BY order_id")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + " " + new BigDecimal(rs.getString(2)).toPlainString() + " " + rs.getString(3));
            }
        }
        return rows;
    }
}
