package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Kafka example through the CLI with the real plugin JAR against a real broker: every JSON
 * message comes out as a JSON line, the one that is not JSON goes to the dead letters named by topic,
 * partition and offset, and a second run with the first one's checkpoint reads only what came after.
 */
@Timeout(180)
class KafkaExampleIT {
    @TempDir
    Path dir;

    private void produce(List<String> values) {
        Map<String, Object> config = Map.of(
                "bootstrap.servers", SharedKafka.bootstrapServers(),
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> p = new KafkaProducer<>(config)) {
            for (String v : values) p.send(new ProducerRecord<>("orders", v));
            p.flush();
        }
    }

    @Test
    void messagesComeOutAsJsonLinesBadOnesAsDeadLettersAndAResumedRunReadsOnlyNewOnes() throws Exception {
        String yaml = Files.readString(Path.of("..", "examples", "kafka-to-jsonl.yaml"))
                .replace("${KAFKA:-127.0.0.1:9092}", SharedKafka.bootstrapServers())
                .replace("stop_when_idle_ms: 10000", "stop_when_idle_ms: 3000");
        Path pipeline = dir.resolve("kafka-to-jsonl.yaml");
        Files.writeString(pipeline, yaml);
        Path state = dir.resolve("state");
        produce(List.of("{\"id\":1}", "{\"id\":2}", "not json", "{\"id\":3}"));

        Distribution.Cli first = Distribution.cli("run", pipeline.toString(), "--json", "--state", state.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        JsonNode s = first.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("dead_lettered").asLong()).isEqualTo(1);
        assertThat(ids(dir.resolve("out/orders-from-kafka.jsonl"))).containsExactly("1", "2", "3");
        List<String> dlq = Files.readAllLines(dir.resolve("out/orders-from-kafka-dead-letters.jsonl"));
        assertThat(dlq).hasSize(1);
        JsonNode d = Distribution.JSON.readTree(dlq.get(0));
        assertThat(d.get("error").asText()).contains("topic orders partition 0 offset 2");

        produce(List.of("{\"id\":4}", "{\"id\":5}"));
        Distribution.Cli second = Distribution.cli("run", pipeline.toString(), "--json", "--state", state.toString());
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.json().get("records_in").asLong()).isEqualTo(2);
        assertThat(ids(dir.resolve("out/orders-from-kafka.jsonl"))).containsExactly("1", "2", "3", "4", "5");
    }

    private static List<String> ids(Path jsonl) throws Exception {
        return Files.readAllLines(jsonl).stream()
                .map(l -> {
                    try {
                        return Distribution.JSON.readTree(l).get("id").asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }
}
