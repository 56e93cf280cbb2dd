package io.dataflare.plugins.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dataflare.api.PluginMetrics;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.json.RecordJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes each record as one message: its fields as a JSON object, the key from {@code key_field} (or the
 * record's key), the record's headers and the {@code headers} option's as message headers. The producer is idempotent (no duplicates from its
 * own retries); {@link #flush()} waits until the broker has every message, so a checkpoint never covers a
 * message that was not written (at-least-once across a crash).
 */
final class KafkaSink implements Sink {
    private static final JsonFactory JSON = RecordJson.newFactory();

    private final Producer<byte[], byte[]> producer;
    private final FieldTemplate topic;
    private final String keyField;
    private final Map<String, FieldTemplate> headers;
    private final PluginMetrics metrics;

    KafkaSink(
            Producer<byte[], byte[]> producer,
            FieldTemplate topic,
            String keyField,
            Map<String, FieldTemplate> headers,
            PluginMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.keyField = keyField;
        this.headers = headers;
        this.metrics = metrics;
    }

    @Override
    public void write(RecordBatch batch, Rejections rejections) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        for (Record r : batch) {
            String to;
            Map<String, String> extra = new java.util.LinkedHashMap<>();
            try {
                to = topic.expand(r);
                for (Map.Entry<String, FieldTemplate> h : headers.entrySet()) {
                    extra.put(h.getKey(), h.getValue().expand(r));
                }
            } catch (IllegalArgumentException e) {
                rejections.reject(r, "kafka sink: " + e.getMessage());
                continue;
            }
            Object key = keyField != null ? r.get(keyField) : r.key();
            ProducerRecord<byte[], byte[]> m =
                    new ProducerRecord<>(to, key == null ? null : bytes(String.valueOf(key)), json(r));
            for (Map.Entry<String, String> h : r.headers().entrySet()) {
                m.headers().add(h.getKey(), h.getValue() == null ? null : bytes(h.getValue()));
            }
            for (Map.Entry<String, String> h : extra.entrySet()) m.headers().add(h.getKey(), bytes(h.getValue()));
            sent.add(producer.send(m));
        }
        // the batch counts as written once the broker has it: an error here fails the batch, which is retried
        producer.flush();
        for (Future<RecordMetadata> f : sent) f.get();
        metrics.increment("messages_written", sent.size());
    }

    private static byte[] json(Record r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            RecordJson.writeFields(g, r);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
