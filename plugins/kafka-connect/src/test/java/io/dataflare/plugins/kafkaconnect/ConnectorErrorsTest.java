package io.dataflare.plugins.kafkaconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.plugins.kafkaconnect.testconnector.UuidSourceConnector;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors name the connector, the option or field, and the value; bad records go to the dead letters. */
class ConnectorErrorsTest {
    @TempDir
    Path dir;

    private Path connect() throws Exception {
        Path root = dir.resolve("connect");
        if (!Files.isDirectory(root.resolve("file-stream"))) {
            ConnectorFolderFixture.copyConnector("file-stream", root);
            ConnectorFolderFixture.packConnector(root, "uuid", UuidSourceConnector.class);
        }
        return root;
    }

    private SimplePluginContext sourceContext(String cls, Map<String, Object> config) throws Exception {
        return SimplePluginContext.of(
                new KafkaConnectSourceFactory(),
                Map.of(
                        "connector_class",
                        cls,
                        "config",
                        config,
                        "plugin_path",
                        connect().toString()),
                dir);
    }

    @Test
    void aMissingConnectorClassIsAConfigError() {
        assertThatThrownBy(
                        () -> SimplePluginContext.of(new KafkaConnectSourceFactory(), Map.of("config", Map.of()), dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("connector_class");
    }

    @Test
    void aClassInNoConnectorFolderListsTheFoldersLookedAt() throws Exception {
        SimplePluginContext ctx = sourceContext("com.example.NoSuchConnector", Map.of());
        assertThatThrownBy(() -> new KafkaConnectSourceFactory().preflight(ctx))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka-connect-source")
                .hasMessageContaining("com.example.NoSuchConnector")
                .hasMessageContaining(connect().resolve("file-stream").toString())
                .hasMessageContaining(connect().resolve("uuid").toString());
    }

    @Test
    void aSinkConnectorNamedForASourceIsRefused() throws Exception {
        SimplePluginContext ctx = sourceContext("org.apache.kafka.connect.file.FileStreamSinkConnector", Map.of());
        assertThatThrownBy(() -> new KafkaConnectSourceFactory().preflight(ctx))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not a SourceConnector");
    }

    @Test
    void theConnectorsOwnValidationIsReportedPerField() throws Exception {
        SimplePluginContext ctx =
                sourceContext("org.apache.kafka.connect.file.FileStreamSourceConnector", Map.of("batch.size", "many"));
        assertThatThrownBy(() -> new KafkaConnectSourceFactory().preflight(ctx))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.errors())
                                .extracting(ConfigError::field)
                                .contains("config.topic", "config.batch.size"))
                .hasMessageContaining("many");
    }

    @Test
    void aRecordThatCannotBeConvertedIsRejectedWithTheReasonAndTheRestFlows() throws Exception {
        var f = new KafkaConnectSourceFactory();
        SimplePluginContext ctx = sourceContext(UuidSourceConnector.class.getName(), Map.of("count", 4));
        List<Record> good = new ArrayList<>();
        List<Rejection> bad = new ArrayList<>();
        try (Source s = f.create(ctx)) {
            long deadline = System.currentTimeMillis() + 20_000;
            while (good.size() + bad.size() < 4 && System.currentTimeMillis() < deadline) {
                RecordBatch b = s.poll(10);
                good.addAll(b.records());
                bad.addAll(b.rejections());
            }
        }
        assertThat(good).extracting(r -> r.getLong("n")).containsExactly(0L, 2L);
        assertThat(bad).hasSize(2);
        assertThat(bad.get(0).reason())
                .contains("kafka-connect-source (UuidSourceConnector)")
                .contains("topic uuids")
                .contains("value.id")
                .contains("java.util.UUID")
                .contains("00000000-0000-0000-0000-000000000001");
        assertThat(bad.get(0).record().header("connect.source_offset")).isEqualTo("{n=1}");
    }

    @Test
    void aTaskThatThrowsIsReportedNamingTheConnector() throws Exception {
        var f = new KafkaConnectSourceFactory();
        SimplePluginContext ctx = sourceContext(UuidSourceConnector.class.getName(), Map.of("fail", true));
        try (Source s = f.create(ctx)) {
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 100; i++) s.poll(10);
                    })
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("kafka-connect-source (UuidSourceConnector)")
                    .hasMessageContaining("the disk is on fire");
            // a retry of the stage meets the same failure, not a source that silently idles
            assertThatThrownBy(() -> s.poll(10))
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("the disk is on fire");
        }
    }

    @Test
    void aSinkRecordThatCannotBeTypedGoesToTheDeadLettersTheRestIsWritten() throws Exception {
        Path out = dir.resolve("out.txt");
        var f = new KafkaConnectSinkFactory();
        SimplePluginContext ctx = SimplePluginContext.of(
                f,
                Map.of(
                        "connector_class", "org.apache.kafka.connect.file.FileStreamSinkConnector",
                        "config", Map.of("file", out.toString()),
                        "plugin_path", connect().toString()),
                dir);
        List<Rejection> rejected = new ArrayList<>();
        try (Sink s = f.create(ctx)) {
            s.write(
                    RecordBatch.of(
                            Record.builder().set("id", 1L).build(),
                            Record.builder()
                                    .set("id", 2L)
                                    .set("tags", List.of(1L, "x"))
                                    .build()),
                    FileStreamConnectorsTest.collect(rejected));
        }
        assertThat(Files.readAllLines(out)).containsExactly("Struct{id=1}");
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).reason())
                .contains("kafka-connect-sink (FileStreamSinkConnector)")
                .contains("field 'tags'")
                .contains("x");
    }
}
