package io.dataflare.plugins.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker goes away and comes back: the source and the sink carry on and lose nothing. */
class KafkaBrokerOutageTest {
    @TempDir
    Path dir;

    KafkaBroker broker;

    @BeforeEach
    void startBroker() throws Exception {
        broker = KafkaBroker.start(dir);
    }

    @AfterEach
    void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void sourceAndSinkCarryOnAfterTheBrokerComesBack() throws Exception {
        try (Sink sink = sink();
                Source source = source()) {
            sink.write(batch(0, 5), failOnReject());
            assertThat(ids(readUntil(source, 5))).containsExactly(0L, 1L, 2L, 3L, 4L);

            broker.stop();
            for (int i = 0; i < 5; i++) assertThat(source.poll(100).records()).isEmpty();
            // a write while the broker is away waits for it (within the producer's delivery timeout)
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                try {
                    sink.write(batch(5, 10), failOnReject());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(2000);
            assertThat(write).isNotDone();
            broker.start();
            write.get();

            assertThat(ids(readUntil(source, 5))).containsExactly(5L, 6L, 7L, 8L, 9L);
            for (int i = 0; i < 5; i++) assertThat(source.poll(100).records()).isEmpty();
        }
    }

    private Sink sink() throws Exception {
        KafkaSinkFactory f = new KafkaSinkFactory();
        return f.create(SimplePluginContext.of(
                f, Map.of("bootstrap_servers", broker.bootstrapServers(), "topic", "ticks"), dir));
    }

    private Source source() throws Exception {
        KafkaSourceFactory f = new KafkaSourceFactory();
        return f.create(SimplePluginContext.of(
                f, Map.of("bootstrap_servers", broker.bootstrapServers(), "topic", "ticks"), dir));
    }

    private static RecordBatch batch(int from, int to) {
        RecordBatch.Builder b = RecordBatch.builder();
        for (long i = from; i < to; i++) b.add(Record.builder().set("id", i).build());
        return b.build();
    }

    private static List<Long> ids(List<Record> records) {
        return records.stream().map(r -> r.getLong("id")).toList();
    }

    private static List<Record> readUntil(Source source, int n) throws Exception {
        List<Record> read = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (read.size() < n && System.currentTimeMillis() < deadline) {
            read.addAll(source.poll(100).records());
        }
        assertThat(read).as("records read within a minute").hasSize(n);
        return read;
    }

    private static Rejections failOnReject() {
        return new Rejections() {
            @Override
            public void reject(Record record, String reason) {
                throw new AssertionError("rejected " + record + ": " + reason);
            }

            @Override
            public void reject(Record record, Throwable error) {
                throw new AssertionError("rejected " + record, error);
            }
        };
    }
}
