package io.dataflare.plugins.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.source.Source;
import io.dataflare.tck.SimplePluginContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kafka source against a real single-node KRaft broker. */
class KafkaSourceTest {
    @TempDir
    static Path dir;

    static KafkaBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(dir);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (admin != null) admin.close();
        if (broker != null) broker.close();
    }

    @Test
    void readsEveryMessageExactlyOnceWithItsKeyAndHeaders() throws Exception {
        createTopic("orders", 3);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 300; i++) {
                ProducerRecord<String, String> r =
                        new ProducerRecord<>("orders", "k" + i, "{\"id\":" + i + ",\"amount\":" + i * 1.5 + "}");
                r.headers().add("origin", ("shop-" + i % 2).getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(r));
            }
        }
        for (Future<RecordMetadata> f : sent) f.get(); // a message the broker refused fails here, not below
        try (Source source = source(Map.of("topic", "orders"))) {
            List<Record> read = readUntil(source, 300);
            // nothing more comes: every message was read once
            for (int i = 0; i < 5; i++) assertThat(source.poll(100).records()).isEmpty();
            assertThat(read)
                    .extracting(r -> r.getLong("id"))
                    .doesNotHaveDuplicates()
                    .hasSize(300);
            Record r7 =
                    read.stream().filter(r -> r.getLong("id") == 7).findFirst().orElseThrow();
            assertThat(r7.key()).isEqualTo("k7");
            assertThat(r7.header("origin")).isEqualTo("shop-1");
            assertThat(r7.getDouble("amount")).isEqualTo(10.5);
            assertThat(r7.header("kafka.topic")).isEqualTo("orders");
        }
    }

    @Test
    void resumesAtTheCheckpointsOffsetsNotWhereTheGroupCommitted() throws Exception {
        createTopic("payments", 1);
        produce("payments", 10, i -> "{\"id\":" + i + "}");
        Map<String, Object> checkpoint;
        try (Source first = source(Map.of("topic", "payments", "group_id", "billing"))) {
            checkpoint = new HashMap<>();
            List<Record> read = new ArrayList<>();
            while (read.size() < 4) {
                RecordBatch b = first.poll(4 - read.size());
                read.addAll(b.records());
                if (b.position() != null) checkpoint = b.position();
            }
            assertThat(read).extracting(r -> r.getLong("id")).containsExactly(0L, 1L, 2L, 3L);
        }
        // the group has moved on past the checkpoint (another run, a tool): the checkpoint still decides
        admin.alterConsumerGroupOffsets("billing", Map.of(new TopicPartition("payments", 0), new OffsetAndMetadata(8)))
                .all()
                .get();
        try (Source resumed = source(Map.of("topic", "payments", "group_id", "billing"))) {
            resumed.seek(checkpoint);
            List<Record> rest = readUntil(resumed, 6);
            assertThat(rest).extracting(r -> r.getLong("id")).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void rejectsAMessageThatIsNotJsonNamingTopicPartitionAndOffset() throws Exception {
        createTopic("events", 1);
        List<String> values = List.of("{\"ok\":1}", "not json at all", "{\"ok\":2}");
        produce("events", values.size(), values::get);
        try (Source source = source(Map.of("topic", "events"))) {
            List<Record> good = new ArrayList<>();
            List<Rejection> bad = new ArrayList<>();
            while (good.size() + bad.size() < 3) {
                RecordBatch b = source.poll(100);
                good.addAll(b.records());
                bad.addAll(b.rejections());
            }
            assertThat(good).extracting(r -> r.getLong("ok")).containsExactly(1L, 2L);
            assertThat(bad).singleElement().satisfies(rej -> {
                assertThat(rej.reason()).startsWith("kafka source: topic events partition 0 offset 1: not JSON");
                assertThat(rej.record().getString("value")).isEqualTo("not json at all");
            });
        }
    }

    @Test
    void readsCsvRowsIntoTheNamedColumnsAndRejectsARowOfTheWrongWidth() throws Exception {
        createTopic("rows", 1);
        List<String> values = List.of("1,\"Ann, Jr.\",3.5", "2,Bob", "3,Cy,4");
        produce("rows", values.size(), values::get);
        try (Source source =
                source(Map.of("topic", "rows", "format", "csv", "columns", List.of("id", "name", "score")))) {
            List<Record> good = new ArrayList<>();
            List<Rejection> bad = new ArrayList<>();
            while (good.size() + bad.size() < 3) {
                RecordBatch b = source.poll(100);
                good.addAll(b.records());
                bad.addAll(b.rejections());
            }
            assertThat(good)
                    .extracting(Record::asMap)
                    .containsExactly(
                            Map.of("id", "1", "name", "Ann, Jr.", "score", "3.5"),
                            Map.of("id", "3", "name", "Cy", "score", "4"));
            assertThat(bad)
                    .singleElement()
                    .extracting(Rejection::reason)
                    .isEqualTo(
                            "kafka source: topic rows partition 0 offset 1: expected 3 CSV fields (columns), found 2");
        }
    }

    @Test
    void rejectsAConfigurationWithTwoKindsOfTopicAndABadStart() {
        assertThatThrownBy(() -> SimplePluginContext.of(
                        new KafkaSourceFactory(),
                        Map.of("bootstrap_servers", "x:1", "topic", "a", "pattern", "b.*", "start", "yesterday"),
                        dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("set exactly one of 'topic', 'topics' and 'pattern', got 2")
                .hasMessageContaining("must be earliest, latest or timestamp:<epoch ms>, got \"yesterday\"");
        assertThatThrownBy(() -> SimplePluginContext.of(
                        new KafkaSourceFactory(),
                        Map.of("bootstrap_servers", "x:1", "topic", "a", "format", "csv"),
                        dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka source: format csv needs 'columns' (the messages have no header)");
    }

    private static Source source(Map<String, Object> with) throws Exception {
        Map<String, Object> config = new HashMap<>(with);
        config.put("bootstrap_servers", broker.bootstrapServers());
        KafkaSourceFactory factory = new KafkaSourceFactory();
        return factory.create(SimplePluginContext.of(factory, config, dir));
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

    private static void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                .all()
                .get();
        // created is not yet led: on a loaded machine a partition may still have no leader when the test produces,
        // and the broker may not even know the topic yet when asked about it
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            TopicDescription d = describeIfKnown(name);
            if (d != null
                    && d.partitions().size() == partitions
                    && d.partitions().stream().allMatch(p -> p.leader() != null)
                    && servesEveryPartition(name, partitions)) return;
            assertThat(System.currentTimeMillis())
                    .as("every partition of %s led within a minute", name)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The topic as the broker describes it, or null while its metadata has not reached the broker yet. */
    private static TopicDescription describeIfKnown(String topic) throws Exception {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) return null;
            throw e;
        }
    }

    /**
     * Whether the broker answers for every partition as its leader: the controller may name a leader before the
     * broker has taken the partition over, and a producer writing then got NOT_LEADER_OR_FOLLOWER and later
     * OUT_OF_ORDER_SEQUENCE_NUMBER on every retry until its batch expired (seen on a loaded machine).
     */
    private static boolean servesEveryPartition(String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        try {
            admin.listOffsets(latest).all().get();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void produce(String topic, int n, java.util.function.IntFunction<String> value) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < n; i++) sent.add(producer.send(new ProducerRecord<>(topic, value.apply(i))));
        }
        for (Future<RecordMetadata> f : sent) f.get();
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
