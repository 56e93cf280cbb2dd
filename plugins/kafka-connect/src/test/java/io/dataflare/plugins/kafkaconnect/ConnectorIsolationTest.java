package io.dataflare.plugins.kafkaconnect;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.sink.Sink;
import io.dataflare.plugins.kafkaconnect.testconnector.ErrantSinkConnector;
import io.dataflare.plugins.kafkaconnect.testconnector.UuidSourceConnector;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connector folders load in their own class loaders that share the Connect API with the adapter. */
class ConnectorIsolationTest {
    @TempDir
    Path dir;

    @Test
    void aConnectorsClassesComeFromItsFolderTheConnectApiFromTheAdapter() throws Exception {
        ConnectorFolderFixture.packConnector(dir, "uuid", UuidSourceConnector.class);
        ConnectorClassLoader loader =
                ConnectorFolders.locate("test", UuidSourceConnector.class.getName(), List.of(dir));
        // the test's own copy of the class is on the class path too: the folder's copy wins
        Class<?> c = Class.forName(UuidSourceConnector.class.getName(), false, loader);
        assertThat(c.getClassLoader()).isSameAs(loader);
        assertThat(c).isNotSameAs(UuidSourceConnector.class);
        // ...and is still a SourceConnector of the adapter's Connect API
        assertThat(SourceConnector.class.isAssignableFrom(c)).isTrue();
        assertThat(loader.loadClass(SourceConnector.class.getName())).isSameAs(SourceConnector.class);
        // a second lookup shares the loader (and so the classes) of the folder
        assertThat(ConnectorFolders.locate("test", UuidSourceConnector.class.getName(), List.of(dir)))
                .isSameAs(loader);
    }

    @Test
    void recordsTheTaskReportsAsErrantGoToTheDeadLettersWithItsReason() throws Exception {
        Path connect = dir.resolve("connect");
        ConnectorFolderFixture.packConnector(connect, "errant", ErrantSinkConnector.class);
        Path out = dir.resolve("ids.txt");
        var f = new KafkaConnectSinkFactory();
        SimplePluginContext ctx = SimplePluginContext.of(
                f,
                Map.of(
                        "connector_class", ErrantSinkConnector.class.getName(),
                        "config", Map.of("file", out.toString()),
                        "plugin_path", connect.toString()),
                dir);
        List<Rejection> rejected = new ArrayList<>();
        Record bad = Record.builder().set("id", 2L).set("amount", -5L).build();
        try (Sink s = f.create(ctx)) {
            s.write(
                    RecordBatch.of(
                            Record.builder().set("id", 1L).set("amount", 10L).build(),
                            bad,
                            Record.builder().set("id", 3L).set("amount", 0L).build()),
                    FileStreamConnectorsTest.collect(rejected));
        }
        assertThat(Files.readAllLines(out)).containsExactly("1", "3");
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).record()).isEqualTo(bad);
        assertThat(rejected.get(0).reason())
                .isEqualTo(
                        "kafka-connect-sink (ErrantSinkConnector): the connector rejected the record: amount -5 is negative");
    }
}
