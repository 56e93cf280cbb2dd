package io.dataflare.plugins.kafkaconnect;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.tck.SimplePluginContext;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own FileStreamSource and FileStreamSink connectors, the JARs Maven resolved, unchanged, in a
 * connector folder of their own.
 */
class FileStreamConnectorsTest {
    @TempDir
    Path dir;

    private Path connect() throws Exception {
        Path root = dir.resolve("plugins/connect");
        if (!Files.isDirectory(root.resolve("file-stream"))) ConnectorFolderFixture.copyConnector("file-stream", root);
        return root;
    }

    private Source source(Path file) throws Exception {
        var f = new KafkaConnectSourceFactory();
        SimplePluginContext ctx = SimplePluginContext.of(
                f,
                Map.of(
                        "connector_class", "org.apache.kafka.connect.file.FileStreamSourceConnector",
                        "config", Map.of("file", file.toString(), "topic", "lines"),
                        "plugin_path", connect().toString()),
                dir);
        f.preflight(ctx);
        return f.create(ctx);
    }

    private static List<Record> read(Source s, int n, List<Map<String, Object>> positions) throws Exception {
        List<Record> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (out.size() < n && System.currentTimeMillis() < deadline) {
            RecordBatch b = s.poll(100);
            out.addAll(b.records());
            if (b.position() != null) positions.add(b.position());
        }
        return out;
    }

    @Test
    void fileStreamSourceReadsLinesAndAResumedRunContinuesAfterTheCheckpoint() throws Exception {
        Path file = dir.resolve("in.txt");
        Files.writeString(file, "one\ntwo\nthree\n");
        List<Map<String, Object>> positions = new ArrayList<>();
        Map<String, Object> checkpoint;
        try (Source s = source(file)) {
            List<Record> got = read(s, 3, positions);
            assertThat(got).extracting(r -> r.getString("value")).containsExactly("one", "two", "three");
            assertThat(got.get(0).header("connect.topic")).isEqualTo("lines");
            checkpoint = positions.get(positions.size() - 1);
            s.commit(checkpoint);
        }
        // as the checkpoint store gives it back: JSON numbers of the int range as Integers
        checkpoint = jsonLike(checkpoint);
        Files.writeString(file, "four\nfive\n", java.nio.file.StandardOpenOption.APPEND);
        try (Source s = source(file)) {
            s.seek(checkpoint);
            List<Record> got = read(s, 2, new ArrayList<>());
            // nothing of the first run again
            for (int i = 0; i < 5; i++) got.addAll(s.poll(100).records());
            assertThat(got).extracting(r -> r.getString("value")).containsExactly("four", "five");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T jsonLike(T v) {
        if (v instanceof Long l && l <= Integer.MAX_VALUE && l >= Integer.MIN_VALUE)
            return (T) Integer.valueOf(l.intValue());
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new HashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), jsonLike(e.getValue()));
            return (T) out;
        }
        if (v instanceof List<?> l)
            return (T) l.stream().map(FileStreamConnectorsTest::jsonLike).toList();
        return v;
    }

    private Sink sink(Path file, String value) throws Exception {
        var f = new KafkaConnectSinkFactory();
        SimplePluginContext ctx = SimplePluginContext.of(
                f,
                Map.of(
                        "connector_class",
                        "org.apache.kafka.connect.file.FileStreamSinkConnector",
                        "config",
                        Map.of("file", file.toString()),
                        "plugin_path",
                        connect().toString(),
                        "value",
                        value),
                dir);
        f.preflight(ctx);
        return f.create(ctx);
    }

    @Test
    void fileStreamSinkWritesEveryRecordByCheckpoint() throws Exception {
        Path file = dir.resolve("out.txt");
        List<Rejection> rejected = new ArrayList<>();
        try (Sink s = sink(file, "json")) {
            s.write(
                    RecordBatch.of(
                            Record.builder()
                                    .set("id", 1L)
                                    .set("amount", new BigDecimal("9.90"))
                                    .build(),
                            Record.builder().set("id", 2L).set("name", "b").build()),
                    collect(rejected));
            s.checkpoint();
            // the connector flushed at the checkpoint: both lines are in the file before close
            assertThat(Files.readAllLines(file))
                    .containsExactly("{\"id\":1,\"amount\":9.90}", "{\"id\":2,\"name\":\"b\"}");
        }
        assertThat(rejected).isEmpty();
    }

    @Test
    void theStructFormHandsTheConnectorAStruct() throws Exception {
        Path file = dir.resolve("out.txt");
        try (Sink s = sink(file, "struct")) {
            s.write(
                    RecordBatch.of(
                            Record.builder().set("id", 1L).set("name", "a").build()),
                    collect(new ArrayList<>()));
        }
        assertThat(Files.readAllLines(file)).containsExactly("Struct{id=1,name=a}");
    }

    @Test
    void theMapFormHandsTheConnectorASchemalessMap() throws Exception {
        Path file = dir.resolve("out.txt");
        try (Sink s = sink(file, "map")) {
            s.write(
                    RecordBatch.of(
                            Record.builder().set("id", 1L).set("name", "a").build()),
                    collect(new ArrayList<>()));
        }
        assertThat(Files.readAllLines(file)).containsExactly("{id=1, name=a}");
    }

    static Rejections collect(List<Rejection> into) {
        return new Rejections() {
            @Override
            public void reject(Record record, String reason) {
                into.add(Rejection.invalid(record, reason));
            }

            @Override
            public void reject(Record record, Throwable error) {
                into.add(Rejection.invalid(record, error.getMessage()));
            }
        };
    }
}
