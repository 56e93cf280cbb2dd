package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Kafka Connect examples through the CLI with the real adapter plugin JAR, and connectors nobody here
 * wrote, unchanged, dropped into a plugins folder given with {@code --plugins}: Kafka's FileStreamSource, and
 * Debezium's PostgreSQL connector against a real PostgreSQL with logical replication. A second run resumes from
 * the first one's checkpoint and gets only what came after it.
 */
@Timeout(300)
class KafkaConnectIT {
    @TempDir
    Path dir;

    /** Drops a connector folder the build laid out into {@code dir/plugins/connect/<name>}, as a user would. */
    private Path plugins(String connector) throws IOException {
        Path from = Path.of(System.getProperty(
                        "connect.test.connectors", "../plugins/kafka-connect-test-connectors/target/connect"))
                .resolve(connector);
        Path to = Files.createDirectories(dir.resolve("plugins/connect").resolve(connector));
        try (Stream<Path> s = Files.list(from)) {
            for (Path jar : s.toList()) Files.copy(jar, to.resolve(jar.getFileName()));
        }
        return dir.resolve("plugins");
    }

    private List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) out.add(Distribution.JSON.readTree(l));
        return out;
    }

    @Test
    void fileStreamSourceFromThePluginsFolderAndAResumedRunReadsOnlyNewLines() throws Exception {
        Path plugins = plugins("file-stream");
        Path input = dir.resolve("lines.txt");
        Files.writeString(input, "first line\nsecond line\nthird line\n");
        Path pipeline = dir.resolve("kafka-connect-file.yaml");
        Files.writeString(
                pipeline,
                Files.readString(Path.of("..", "examples", "kafka-connect-file.yaml"))
                        .replace("file: examples/data/lines.txt", "file: " + input));
        String state = dir.resolve("state").toString();

        Distribution.Cli first = Distribution.cli(
                "run", pipeline.toString(), "--json", "--state", state, "--plugins", plugins.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.json().get("status").asText()).isEqualTo("COMPLETED");

        Files.writeString(input, "fourth line\n", StandardOpenOption.APPEND);
        Distribution.Cli second = Distribution.cli(
                "run", pipeline.toString(), "--json", "--state", state, "--plugins", plugins.toString());
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.err()).contains("resuming");

        assertThat(lines(dir.resolve("out/lines.jsonl")))
                .extracting(j -> j.get("value").asText())
                .containsExactly("first line", "second line", "third line", "fourth line");
    }

    @Test
    void aConnectorClassInNoConnectorFolderIsReportedBeforeTheRunWithTheFoldersLookedAt() throws Exception {
        Path plugins = plugins("file-stream");
        Path pipeline = dir.resolve("p.yaml");
        Files.writeString(
                pipeline,
                Files.readString(Path.of("..", "examples", "kafka-connect-file.yaml"))
                        .replace("org.apache.kafka.connect.file.FileStreamSourceConnector", "com.example.Missing"));
        Distribution.Cli r = Distribution.cli("validate", pipeline.toString(), "--plugins", plugins.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.out() + r.err())
                .contains("connector_class")
                .contains("com.example.Missing")
                .contains(
                        plugins.resolve("connect/file-stream").toAbsolutePath().toString());
    }

    @Test
    void fileStreamSinkWritesTheRecordsAndOneThatCannotBeTypedGoesToTheDeadLetters() throws Exception {
        Path plugins = plugins("file-stream");
        Files.writeString(dir.resolve("in.jsonl"), """
                {"id": 1, "name": "a"}
                {"id": 2, "tags": [1, "x"]}
                {"id": 3, "name": "c"}
                """);
        Path pipeline = dir.resolve("sink.yaml");
        Files.writeString(pipeline, """
                name: connect-sink
                sources:
                  in: { use: jsonl-file, with: { path: in.jsonl } }
                sinks:
                  out:
                    use: kafka-connect-sink
                    from: in
                    with:
                      connector_class: org.apache.kafka.connect.file.FileStreamSinkConnector
                      config: { file: "%s" }
                policies:
                  errors:
                    on_error: dead-letter
                    dead_letter: { use: jsonl-file, with: { path: dead.jsonl } }
                """.formatted(dir.resolve("out.txt")));
        Distribution.Cli r = Distribution.cli(
                "run", pipeline.toString(), "--json", "--state", "memory:", "--plugins", plugins.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("dead_lettered").asLong()).isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve("out.txt")))
                .containsExactly("Struct{id=1,name=a}", "Struct{id=3,name=c}");
        JsonNode dead = lines(dir.resolve("dead.jsonl")).get(0);
        assertThat(dead.get("error").asText())
                .contains("kafka-connect-sink (FileStreamSinkConnector)")
                .contains("field 'tags'")
                .contains("int64 and string");
    }

    private static void sql(String url, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            for (String q : statements) s.execute(q);
        }
    }

    private Distribution.Cli runCdc(Path pipeline, Path plugins, PostgresServer pg) throws Exception {
        Path out = dir.resolve("run.out");
        Path err = dir.resolve("run.err");
        Process p = Distribution.startChild(
                List.of(),
                Map.of("PG_PORT", String.valueOf(pg.port()), "DATAFLARE_SECRET_PG_PASSWORD", "trust-auth-ignores-it"),
                out,
                err,
                "run",
                pipeline.toString(),
                "--json",
                "--state",
                dir.resolve("state").toString(),
                "--plugins",
                plugins.toString());
        assertThat(p.waitFor()).as(Files.readString(err)).isZero();
        return new Distribution.Cli(0, Files.readString(out), Files.readString(err));
    }

    private static String change(JsonNode j) {
        String op = j.get("op").asText();
        JsonNode row = "d".equals(op) ? j.get("before") : j.get("after");
        return op + " " + row.get("id").asText()
                + ("d".equals(op) ? "" : " " + row.get("name").asText());
    }

    @Test
    void debeziumPostgresChangesAndAResumedRunContinuingFromTheCommittedLsn() throws Exception {
        Path plugins = plugins("debezium-postgres");
        Path pipeline = dir.resolve("postgres-cdc.yaml");
        Files.writeString(
                pipeline,
                Files.readString(Path.of("..", "examples", "postgres-cdc.yaml"))
                        .replace("stop_when_idle_ms: 10000", "stop_when_idle_ms: 6000"));
        try (PostgresServer pg =
                PostgresServer.start(List.of("wal_level=logical", "max_replication_slots=4", "max_wal_senders=4"))) {
            String url = pg.createDatabase("shop");
            sql(
                    url,
                    "CREATE TABLE customers (id INT PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC(10,2))",
                    "INSERT INTO customers VALUES (1, 'Ann', 10.50), (2, 'Bob', 0.00)");

            Distribution.Cli first = runCdc(pipeline, plugins, pg);
            assertThat(first.json().get("status").asText()).as(first.err()).isEqualTo("COMPLETED");

            sql(
                    url,
                    "INSERT INTO customers VALUES (3, 'Cy', 99.99)",
                    "UPDATE customers SET name = 'Annie' WHERE id = 1",
                    "DELETE FROM customers WHERE id = 2");
            Distribution.Cli second = runCdc(pipeline, plugins, pg);
            assertThat(second.err()).contains("resuming");

            List<JsonNode> changes = lines(dir.resolve("out/customers-changes.jsonl"));
            assertThat(changes)
                    .extracting(KafkaConnectIT::change)
                    .containsExactly("r 1 Ann", "r 2 Bob", "c 3 Cy", "u 1 Annie", "d 2");
            assertThat(changes.get(2).get("after").get("balance").decimalValue())
                    .isEqualByComparingTo("99.99");
        }
    }
}
