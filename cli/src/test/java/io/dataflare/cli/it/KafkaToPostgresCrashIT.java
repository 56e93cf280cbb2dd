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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented Kafka -> map -> PostgreSQL (upsert) example through {@code dataflare run} with the real plugin
 * JARs, a real broker and a real PostgreSQL: every key is produced in several versions (in order, one partition
 * per key), the run is killed with SIGKILL five times at random moments after it made progress and resumed with
 * the same state each time, and the last run ends by itself. The table then holds every key exactly once with its
 * latest version and the map's computed total: the at-least-once source plus the idempotent upsert is
 * exactly-once by key.
 */
@Timeout(900)
class KafkaToPostgresCrashIT {
    private static final String TOPIC = "account-updates";
    private static final int KEYS = 10_000;
    private static final int VERSIONS = 30;
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    /** The amount of version {@code v} of key {@code k}: two decimals, different for every version. */
    private static BigDecimal amount(long k, long v) {
        return BigDecimal.valueOf((k * 31 + v * 7919) % 100_000, 2);
    }

    private static long quantity(long k, long v) {
        return 1 + (k + v) % 9;
    }

    @Test
    void killedFiveTimesTheTableHoldsEveryKeyOnceWithItsLatestVersion() throws Exception {
        produce();
        try (PostgresServer pg = PostgresServer.start()) {
            String url = pg.createDatabase("accounts");
            String yaml = Files.readString(Path.of("..", "examples", "kafka-to-postgres.yaml"))
                    .replace("${KAFKA:-127.0.0.1:9092}", SharedKafka.bootstrapServers())
                    .replace("${PG_URL:-jdbc:postgresql://127.0.0.1:5432/shop}", url);
            // the example's 10 s of quiet before a run ends: shorter, a loaded machine's first fetch from the
            // broker could take long enough for a run to end before it read anything
            assertThat(yaml).doesNotContain("${KAFKA", "${PG_URL");
            Path pipeline = Files.writeString(dir.resolve("kafka-to-postgres.yaml"), yaml);
            Map<String, String> env = Map.of("DATAFLARE_SECRET_PG_PASSWORD", "not-checked-by-trust-auth");
            String state = dir.resolve("state").toString();

            long seed = Long.getLong("crash.seed", System.nanoTime());
            Random random = new Random(seed);
            long finalProgress = (long) KEYS * (VERSIONS - 1);
            long lastKill = 0;
            int killedMidway = 0;
            int resumed = 0;
            for (int run = 0; run < KILLS; run++) {
                Path err = dir.resolve("run" + run + ".err");
                Process p = Distribution.startChild(
                        List.of(),
                        env,
                        dir.resolve("run" + run + ".out"),
                        err,
                        "run",
                        pipeline.toString(),
                        "--json",
                        "--state",
                        state);
                // progress beyond where the last run was killed: a resumed run first writes again what came after
                // its checkpoint, which may put older versions back for a moment
                long deadline = System.currentTimeMillis() + 120_000;
                long progress;
                while ((progress = progress(url)) <= lastKill
                        && progress < finalProgress
                        && p.isAlive()
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(50 + random.nextInt(500)); // short: the runs must not reach the end before the kills
                assertThat(p.isAlive())
                        .as("seed %d: run %d is still running when killed: %s", seed, run, Files.readString(err))
                        .isTrue();
                p.destroyForcibly(); // SIGKILL
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                lastKill = progress(url);
                if (lastKill < finalProgress) killedMidway++;
                if (Files.readString(err).contains("resuming 'kafka-to-postgres' from checkpoint")) resumed++;
            }
            assertThat(killedMidway)
                    .as("seed %d: runs killed before the table was complete", seed)
                    .isGreaterThanOrEqualTo(3);
            assertThat(resumed)
                    .as("seed %d: runs that resumed from a checkpoint", seed)
                    .isPositive();

            Path out = dir.resolve("last.out");
            Path err = dir.resolve("last.err");
            Process last = Distribution.startChild(
                    List.of(), env, out, err, "run", pipeline.toString(), "--json", "--state", state);
            assertThat(last.waitFor(300, TimeUnit.SECONDS))
                    .as("seed %d: the last run ends by itself", seed)
                    .isTrue();
            assertThat(last.exitValue())
                    .as("seed %d: %s", seed, Files.readString(err))
                    .isZero();
            String[] lines = Files.readString(out).strip().split("\\R");
            JsonNode summary = Distribution.JSON.readTree(lines[lines.length - 1]);
            assertThat(summary.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(summary.get("dead_lettered").asLong()).isZero();
            assertThat(Files.readString(err)).contains("resuming 'kafka-to-postgres' from checkpoint");

            assertEveryKeyOnceWithItsLatestVersion(url, seed);
        }
    }

    private static void produce() throws Exception {
        String servers = SharedKafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // the idempotent producer (the default) keeps each partition's messages in the order they are sent
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int v = 0; v < VERSIONS; v++) {
                for (int k = 0; k < KEYS; k++) {
                    String value = "{\"id\":" + k + ",\"version\":" + v + ",\"amount\":\""
                            + amount(k, v).toPlainString() + "\",\"quantity\":" + quantity(k, v) + "}";
                    producer.send(new ProducerRecord<>(TOPIC, String.valueOf(k), value));
                }
            }
            producer.flush();
        }
    }

    /** The sum of the versions in the table: grows as the run gets further, 0 before the table exists. */
    private static long progress(String url) {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT coalesce(sum(version), 0) FROM accounts")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0; // the table is not created yet
        }
    }

    private static void assertEveryKeyOnceWithItsLatestVersion(String url, long seed) throws SQLException {
        long latest = VERSIONS - 1;
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT id, version, amount, quantity, total, count(*) OVER () FROM accounts ORDER BY id")) {
            long expectedId = 0;
            while (rs.next()) {
                long id = rs.getLong(1);
                assertThat(rs.getLong(6)).as("seed %d: rows", seed).isEqualTo(KEYS);
                assertThat(id).as("seed %d: every key once, in order", seed).isEqualTo(expectedId++);
                assertThat(rs.getLong(2))
                        .as("seed %d: version of key %d", seed, id)
                        .isEqualTo(latest);
                assertThat(rs.getBigDecimal(3)).as("amount of key %d", id).isEqualTo(amount(id, latest));
                assertThat(rs.getLong(4)).as("quantity of key %d", id).isEqualTo(quantity(id, latest));
                assertThat(rs.getBigDecimal(5))
                        .as("total of key %d", id)
                        .isEqualTo(amount(id, latest).multiply(BigDecimal.valueOf(quantity(id, latest))));
            }
            assertThat(expectedId).as("seed %d: keys in the table", seed).isEqualTo(KEYS);
        }
    }
}
