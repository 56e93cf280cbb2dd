package io.dataflare.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dataflare.api.data.Record;
import io.dataflare.json.Decimals;
import io.dataflare.json.RecordJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code baseline-kafka}: the plain consumer/producer loop, kafka-clients directly. It does the pipeline's job:
 * each message's JSON value decoded into fields and encoded again (the kafka plugins' codec), sent with its key
 * to the output topic by a producer configured as the sink's (idempotent, acks=all); flushed once at the end.
 */
final class KafkaLoopRow implements Row {
    private static final JsonFactory JSON = RecordJson.newFactory();
    private final KafkaBench kafka;
    private final long messages;
    private String topic;
    private long before;

    KafkaLoopRow(KafkaBench kafka, long messages) {
        this.kafka = kafka;
        this.messages = messages;
    }

    @Override
    public String name() {
        return "baseline-kafka";
    }

    @Override
    public void prepare() throws Exception {
        topic = kafka.outputTopic(name());
        before = kafka.count(topic);
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerConfig())) {
            consumer.assign(kafka.inputPartitions());
            consumer.seekToBeginning(kafka.inputPartitions());
            ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
            while (read < messages) {
                for (ConsumerRecord<byte[], byte[]> m : consumer.poll(Duration.ofMillis(100))) {
                    Map<?, ?> fields = (Map<?, ?>)
                            RecordJson.parse(new String(m.value(), StandardCharsets.UTF_8), Decimals.DOUBLE);
                    Record.Builder b = Record.builder();
                    for (Map.Entry<?, ?> e : fields.entrySet()) b.set(String.valueOf(e.getKey()), e.getValue());
                    buf.reset();
                    try (JsonGenerator g = JSON.createGenerator(buf)) {
                        RecordJson.writeFields(g, b.build());
                    }
                    producer.send(new ProducerRecord<>(topic, m.key(), buf.toByteArray()));
                    read++;
                }
            }
            producer.flush();
        }
        return KafkaPipelineRow.written(kafka, topic, before, read);
    }
}
