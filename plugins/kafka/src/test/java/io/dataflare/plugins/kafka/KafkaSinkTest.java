package io.dataflare.plugins.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.tck.SimplePluginContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kafka sink against a real single-node KRaft broker. */
class KafkaSinkTest {
    @TempDir
    static Path dir;

    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(dir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) broker.close();
    }

    @Test
    void writesEachRecordToTheTopicOfItsTemplateWithKeyAndHeaders() throws Exception {
        KafkaSinkFactory factory = new KafkaSinkFactory();
        Map<String, Object> config = new HashMap<>(Map.of(
                "bootstrap_servers", broker.bootstrapServers(),
                "topic", "sales-{country}",
                "key_field", "id",
                "compression", "zstd",
                "headers", Map.of("source", "shop-{country}")));
        List<Record> rejected = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        Rejections collect = new Rejections() {
            @Override
            public void reject(Record record, String reason) {
                rejected.add(record);
                reasons.add(reason);
            }

            @Override
            public void reject(Record record, Throwable error) {
                reject(record, error.toString());
            }
        };
        RecordBatch.Builder batch = RecordBatch.builder();
        for (int i = 0; i < 20; i++) {
            batch.add(Record.builder()
                    .set("id", (long) i)
                    .set("country", i % 2 == 0 ? "fr" : "de")
                    .header("origin", "test")
                    .header("kafka.topic", "orders") // as a kafka source stamps the message it read
                    .header("kafka.partition", "0")
                    .header("kafka.offset", Integer.toString(i))
                    .build());
        }
        batch.add(Record.builder().set("id", 99L).build()); // no country: no topic
        try (Sink sink = factory.create(SimplePluginContext.of(factory, config, dir))) {
            sink.write(batch.build(), collect);
            sink.flush();
        }
        assertThat(reasons)
                .singleElement()
                .asString()
                .contains("kafka sink: field 'country' is missing or null; topic sales-{country} needs it");

        List<ConsumerRecord<String, String>> fr = readAll("sales-fr", 10);
        assertThat(fr)
                .extracting(ConsumerRecord::key)
                .containsExactly("0", "2", "4", "6", "8", "10", "12", "14", "16", "18");
        assertThat(fr.get(1).value()).isEqualTo("{\"id\":2,\"country\":\"fr\"}");
        assertThat(new String(fr.get(1).headers().lastHeader("origin").value(), StandardCharsets.UTF_8))
                .isEqualTo("test");
        assertThat(new String(fr.get(1).headers().lastHeader("source").value(), StandardCharsets.UTF_8))
                .isEqualTo("shop-fr");
        // where the record was read from says nothing true about the message written
        assertThat(fr.get(1).headers().headers("kafka.topic")).isEmpty();
        assertThat(fr.get(1).headers().headers("kafka.offset")).isEmpty();
        assertThat(readAll("sales-de", 10)).extracting(ConsumerRecord::key).startsWith("1", "3");
    }

    @Test
    void refusesATopicKafkaWouldRefuse() {
        assertThatThrownBy(() -> SimplePluginContext.of(
                        new KafkaSinkFactory(), Map.of("bootstrap_servers", "x:1", "topic", "sales/{country}"), dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka sink: \"sales/{country}\" is not a Kafka topic name");
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic, int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < n && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) out.add(r);
            }
            // nothing beyond the expected messages
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) out.add(r);
        }
        assertThat(out).hasSize(n);
        return out;
    }
}
