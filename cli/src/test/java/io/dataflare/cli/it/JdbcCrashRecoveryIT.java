package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jdbc (incremental) -> map -> jdbc (upsert) pipeline between two SQLite files, killed with SIGKILL at
 * random moments and resumed each time: the target ends with every key exactly once and its value, and the
 * resumed source continues from its checkpointed last value instead of starting over.
 */
class JdbcCrashRecoveryIT {
    private static final int ROWS = 600_000;

    @TempDir
    Path dir;

    @Test
    void killedAtRandomMomentsTheTargetHasEveryKeyOnceWithItsValue() throws Exception {
        String source = "jdbc:sqlite:" + dir.resolve("source.db");
        try (Connection c = DriverManager.getConnection(source);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE readings (id BIGINT PRIMARY KEY, amount DECIMAL_TEXT)");
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO readings VALUES (?, ?)")) {
                for (int id = 0; id < ROWS; id++) {
                    p.setLong(1, id);
                    p.setString(2, id + ".25");
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
        }
        Path pipeline = Files.writeString(dir.resolve("copy.yaml"), """
                name: copy
                sources:
                  in: { use: jdbc, with: { url: "jdbc:sqlite:source.db", table: readings, incremental: id } }
                processors:
                  double: { use: map, from: in, with: { set: { twice: "amount * 2" } } }
                sinks:
                  out:
                    use: jdbc
                    from: double
                    with:
                      url: "jdbc:sqlite:target.db"
                      table: readings
                      mode: upsert
                      key: [id]
                      init_sql: ["CREATE TABLE IF NOT EXISTS readings (id BIGINT PRIMARY KEY, amount DECIMAL_TEXT, twice DECIMAL_TEXT)"]
                runtime: { batch_size: 1000, checkpoint_interval_ms: 100 }
                """);
        String state = dir.resolve("state").toString();
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        int killedMidway = 0;
        boolean lastRunKilled = false;
        // Kill once the sink has written rows (so checkpoints are being taken), at a random moment after; a run
        // that finished before its kill makes the next one start fresh, so go on until a killed run is the last.
        for (int run = 0; run < 8 && !(killedMidway >= 2 && lastRunKilled); run++) {
            Process p = Distribution.startChild(
                    List.of(),
                    dir.resolve("run" + run + ".out"),
                    dir.resolve("run" + run + ".err"),
                    "run",
                    pipeline.toString(),
                    "--state-dir",
                    state,
                    "--json");
            long deadline = System.currentTimeMillis() + 60_000;
            while (p.isAlive() && count() == 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
            Thread.sleep(200 + random.nextInt(600));
            lastRunKilled = p.isAlive();
            if (lastRunKilled) {
                p.destroyForcibly(); // SIGKILL
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                long written = count();
                if (written > 0 && written < ROWS) killedMidway++;
            }
        }
        assertThat(killedMidway)
                .as("seed %d: some runs were killed mid-way", seed)
                .isPositive();
        assertThat(lastRunKilled).as("seed %d: the last run was killed", seed).isTrue();

        // Changed input tells the two apart: rows the resumed source reads again get the new value, rows it
        // resumed after keep the old one. A source that started over would rewrite every row.
        try (Connection c = DriverManager.getConnection(source);
                Statement s = c.createStatement()) {
            s.execute("UPDATE readings SET amount = id || '.75'");
        }
        Distribution.Cli last =
                Distribution.childJvm(List.of(), "run", pipeline.toString(), "--state-dir", state, "--json");
        assertThat(last.exit()).as("seed %d: %s", seed, last.err()).isZero();
        assertThat(last.json().get("status").asText()).isEqualTo("COMPLETED");
        assertThat(last.err()).contains("resuming 'copy' from checkpoint");

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("target.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT id), min(id), max(id),"
                        + " sum(twice = (id * 2) || '.50'), sum(twice = (id * 2 + 1) || '.50'),"
                        + " max(CASE WHEN twice = (id * 2) || '.50' THEN id END),"
                        + " min(CASE WHEN twice = (id * 2 + 1) || '.50' THEN id END) FROM readings")) {
            rs.next();
            assertThat(rs.getLong(1)).as("seed %d: rows", seed).isEqualTo(ROWS);
            assertThat(rs.getLong(2)).as("distinct keys").isEqualTo(ROWS);
            assertThat(rs.getLong(3)).isZero();
            assertThat(rs.getLong(4)).isEqualTo(ROWS - 1);
            long before = rs.getLong(5);
            long after = rs.getLong(6);
            assertThat(before + after)
                    .as("seed %d: every row has the old or the new value", seed)
                    .isEqualTo(ROWS);
            assertThat(before)
                    .as("seed %d: rows the resumed source did not read again", seed)
                    .isPositive();
            if (after > 0) {
                assertThat(rs.getLong(7))
                        .as("seed %d: the resumed source read from a position on", seed)
                        .isLessThan(rs.getLong(8));
            }
        }
    }

    private long count() throws Exception {
        if (!Files.exists(dir.resolve("target.db"))) return 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("target.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM readings")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (java.sql.SQLException e) {
            return 0; // not created yet, or busy being written
        }
    }
}
