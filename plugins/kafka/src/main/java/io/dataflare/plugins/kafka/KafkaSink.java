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
 * record's key), the record's headers and the {@code headers} option's as message headers. The producer is
 * idempotent (no duplicates from its own retries); {@link #flush()} waits until the broker has every
 * message, so a checkpoint never covers a message that was not written (at-least-once across a crash).
 *
 * <p>With {@code delivery: exactly-once} the messages of a checkpoint interval go in one transaction
 * ({@link CheckpointTransactions}): {@link #checkpoint()} prepares it, {@link #commit(Map)} commits it once
 * the checkpoint is saved, {@link #restore(Map)} commits it on the next run if the crash came in between.
 */
final class KafkaSink implements Sink {
    private static final JsonFactory JSON = RecordJson.newFactory();

    /** At-least-once: the producer; exactly-once: null (the transactions' producers are used). */
    private final Producer<byte[], byte[]> producer;

    private final CheckpointTransactions transactions;
    private final KafkaTemplate topic;
    private final String keyField;
    private final Map<String, KafkaTemplate> headers;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private final PluginMetrics metrics;

    KafkaSink(
            Producer<byte[], byte[]> producer,
            CheckpointTransactions transactions,
            KafkaTemplate topic,
            String keyField,
            Map<String, KafkaTemplate> headers,
            PluginMetrics metrics) {
        this.producer = producer;
        this.transactions = transactions;
        this.topic = topic;
        this.keyField = keyField;
        this.headers = headers;
        this.metrics = metrics;
    }

    @Override
    public void write(RecordBatch batch, Rejections rejections) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        Producer<byte[], byte[]> producer = producer();
        String lastTopic = null;
        for (Record r : batch) {
            String to;
            Map<String, String> extra = headers.isEmpty() ? Map.of() : new java.util.LinkedHashMap<>();
            try {
                to = topic.expand(r);
                for (Map.Entry<String, KafkaTemplate> h : headers.entrySet()) {
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
                if (isSourceMetadata(h.getKey())) continue;
                m.headers().add(h.getKey(), h.getValue() == null ? null : bytes(h.getValue()));
            }
            for (Map.Entry<String, String> h : extra.entrySet()) m.headers().add(h.getKey(), bytes(h.getValue()));
            sent.add(producer.send(m));
            lastTopic = to;
        }
        if (transactions != null && lastTopic != null) transactions.sent(lastTopic, sent.size());
        // the batch counts as written once the broker has it: an error here fails the batch, which is retried
        producer.flush();
        for (Future<RecordMetadata> f : sent) f.get();
        metrics.increment("messages_written", sent.size());
    }

    /** The record's fields as a JSON object; the buffer is reused, the bytes handed to the producer are not. */
    private byte[] json(Record r) throws IOException {
        buffer.reset();
        try (JsonGenerator g = JSON.createGenerator(buffer)) {
            RecordJson.writeFields(g, r);
        }
        return buffer.toByteArray();
    }

    /**
     * The headers a kafka source stamps name the message a record was read from: copied onto the message
     * written they would be wrong about it (and cost every message three headers).
     */
    private static boolean isSourceMetadata(String header) {
        return header.equals(KafkaSource.TOPIC_HEADER)
                || header.equals(KafkaSource.PARTITION_HEADER)
                || header.equals(KafkaSource.OFFSET_HEADER);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Producer<byte[], byte[]> producer() {
        return transactions != null ? transactions.producer() : producer;
    }

    @Override
    public void flush() {
        producer().flush();
    }

    @Override
    public Map<String, Object> checkpoint() {
        if (transactions == null) {
            flush();
            return null;
        }
        return transactions.prepare();
    }

    @Override
    public void commit(Map<String, Object> state) {
        if (transactions != null) transactions.commit();
    }

    @Override
    public void restore(Map<String, Object> state) {
        if (transactions != null) transactions.recover(state);
    }

    @Override
    public void close() {
        if (transactions != null) transactions.close();
        else producer.close(Duration.ofSeconds(10));
    }
}
