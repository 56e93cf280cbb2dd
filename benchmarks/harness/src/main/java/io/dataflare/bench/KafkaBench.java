package io.dataflare.bench;

import io.dataflare.plugins.kafka.KafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The connector suite's Kafka side: a real single-node KRaft broker in this JVM, the input topic filled once
 * with the benchmark's rows as JSON messages (keyed by id), and a fresh output topic for each run so that what a
 * run wrote can be counted.
 */
final class KafkaBench implements AutoCloseable {
    static final String INPUT = "bench-in";
    static final int PARTITIONS = 3;

    private final KafkaBroker broker;
    private final Admin admin;

    KafkaBench(Path dir) throws IOException {
        this.broker = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka")));
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Writes each line of {@code jsonl} (the rows as JSON objects) as one message of the input topic. */
    long fill(Path jsonl) throws Exception {
        createTopic(INPUT);
        long n = 0;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerConfig());
                BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; n++) {
                p.send(new ProducerRecord<>(
                        INPUT,
                        Long.toString(n).getBytes(StandardCharsets.UTF_8),
                        line.getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
        return n;
    }

    /**
     * The output topic of {@code row}, created on first use (before the timed part, so that its creation and its
     * partitions' first leader election are not measured; the warm-up round writes to it first). Each run's
     * messages are counted as the growth of its end offsets.
     */
    String outputTopic(String row) throws Exception {
        String topic = "bench-out-" + row;
        if (!admin.listTopics().names().get(60, TimeUnit.SECONDS).contains(topic)) createTopic(topic);
        return topic;
    }

    private void createTopic(String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
                .all()
                .get(60, TimeUnit.SECONDS);
    }

    /** The messages in {@code topic}: the sum of its partitions' end offsets. */
    long count(String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(60, TimeUnit.SECONDS)
                .get(topic)
                .partitions();
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> ask = new HashMap<>();
        for (var p : partitions)
            ask.put(new TopicPartition(topic, p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest());
        long sum = 0;
        for (var e : admin.listOffsets(ask).all().get(60, TimeUnit.SECONDS).values()) sum += e.offset();
        return sum;
    }

    /** Producer settings as the kafka sink's: idempotent, every replica acknowledges. */
    Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        return c;
    }

    /** Consumer settings as the kafka source's without a group: no auto commit, read_committed. */
    Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return c;
    }

    /** The input topic's partitions, for a consumer that assigns them itself. */
    List<TopicPartition> inputPartitions() {
        return java.util.stream.IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(INPUT, p))
                .toList();
    }

    KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(consumerConfig());
    }

    @Override
    public void close() throws IOException {
        admin.close();
        broker.close();
    }
}
