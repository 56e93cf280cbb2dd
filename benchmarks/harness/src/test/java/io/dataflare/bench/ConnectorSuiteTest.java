package io.dataflare.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dataflare.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector suite's rows against the real broker and PostgreSQL it starts, with the real plugin JARs: each
 * engine row writes as many records as its baseline (each row checks the output topic or table itself), and the
 * pipeline's table holds the same rows as the plain JDBC insert's.
 */
@Timeout(300)
class ConnectorSuiteTest {
    private static final int ROWS = 2_000;

    @TempDir
    Path dir;

    @Test
    void engineRowsWriteWhatTheirBaselinesWrite() throws Exception {
        Path input = InputData.write(dir, ROWS);
        try (Engine engine = Engine.builder().pluginDirectory(plugins()).build();
                KafkaBench kafka = new KafkaBench(dir);
                PostgresBench pg = new PostgresBench()) {
            Path json = dir.resolve("input.jsonl");
            HandLoop.run(input, json, r -> r);
            assertThat(kafka.fill(json)).isEqualTo(ROWS);
            List<Row> rows = List.of(
                    new KafkaLoopRow(kafka, ROWS),
                    new KafkaPipelineRow(engine, kafka, ROWS, KafkaPipelineRow.DEFAULT_BATCH),
                    new JdbcBatchRow(pg),
                    new CsvToPostgresRow(engine, pg));
            for (Row row : rows) {
                assertThat(row.unavailable()).as(row.name()).isNull();
                for (int run = 0; run < 2; run++) {
                    row.prepare();
                    Path out = Files.createDirectories(dir.resolve("out-" + row.name()));
                    assertThat(row.run(input, out)).as(row.name()).isEqualTo(ROWS);
                }
            }
            try (Connection c = DriverManager.getConnection(pg.url());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM (SELECT * FROM "
                            + JdbcBatchRow.TABLE + " EXCEPT SELECT * FROM " + CsvToPostgresRow.TABLE
                            + ") a), (SELECT count(*) FROM (SELECT * FROM " + CsvToPostgresRow.TABLE
                            + " EXCEPT SELECT * FROM "
                            + JdbcBatchRow.TABLE + ") b)")) {
                rs.next();
                assertThat(rs.getLong(1))
                        .as("baseline rows the pipeline did not write")
                        .isZero();
                assertThat(rs.getLong(2))
                        .as("pipeline rows the baseline did not write")
                        .isZero();
            }
        }
    }

    /** The files, jdbc and kafka plugin JARs the reactor built, in a plugins folder of their own. */
    private Path plugins() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        for (String name : List.of("files", "jdbc", "kafka")) {
            Path target = Path.of("../../plugins", name, "target");
            Path jar;
            try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
                jar = files.filter(f -> {
                            String n = f.getFileName().toString();
                            return n.startsWith(name + "-") && n.endsWith(".jar") && !n.endsWith("-tests.jar");
                        })
                        .findFirst()
                        .orElse(null);
            }
            assumeTrue(jar != null, "the " + name + " plugin JAR is not built (run mvn verify -am)");
            Files.copy(jar, plugins.resolve(name + ".jar"));
        }
        return plugins;
    }
}
