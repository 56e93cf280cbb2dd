package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's fan-in example through the CLI: two sources merged into one sink, every record marked with its
 * origin, as a field in the file and, written to a real Kafka topic, as a message header.
 */
@Timeout(120)
class FanInExampleIT {
    @TempDir
    Path dir;

    private Path example(String yaml) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        for (String f : List.of("orders-eu.csv", "orders-us.csv"))
            Files.copy(Path.of("..", "examples", "data", f), dir.resolve("data").resolve(f));
        return Files.writeString(dir.resolve("fan-in.yaml"), yaml);
    }

    @Test
    void mergedRecordsKeepTheirOriginAsAField() throws Exception {
        Path pipeline = example(Files.readString(Path.of("..", "examples", "fan-in.yaml")));
        Distribution.Cli r = Distribution.cli("run", pipeline.toString(), "--json", "--state", "memory:");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("records_out").asLong()).isEqualTo(5);
        List<String> regions = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("out/all-orders.jsonl"))) {
            var n = Distribution.JSON.readTree(line);
            regions.add(n.get("order_id").asText() + ":" + n.get("region").asText());
        }
        assertThat(regions).containsExactlyInAnyOrder("1001:eu", "1002:eu", "1003:eu", "2001:us", "2002:us");
    }

    @Test
    void writtenToKafkaEachMessageCarriesItsOriginInHeaders() throws Exception {
        String yaml = Files.readString(Path.of("..", "examples", "fan-in.yaml"))
                .replace(
                        "all: { use: jsonl-file, from: [from_eu, from_us], with: { path: out/all-orders.jsonl } }",
                        "all: { use: kafka, from: [from_eu, from_us], with: { bootstrap_servers: \""
                                + SharedKafka.bootstrapServers() + "\", topic: fan-in-orders } }");
        Distribution.Cli r = Distribution.cli("run", example(yaml).toString(), "--json", "--state", "memory:");
        assertThat(r.exit()).as(r.err()).isZero();

        Map<String, Object> config = Map.of(
                "bootstrap.servers", SharedKafka.bootstrapServers(),
                "auto.offset.reset", "earliest",
                "group.id", "fan-in-check",
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName());
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config)) {
            c.subscribe(List.of("fan-in-orders"));
            long deadline = System.currentTimeMillis() + 30_000;
            while (seen.size() < 5 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> m : c.poll(Duration.ofMillis(200))) {
                    String id = Distribution.JSON
                            .readTree(m.value())
                            .get("order_id")
                            .asText();
                    seen.add(id + ":" + header(m, "origin"));
                }
            }
        }
        assertThat(seen)
                .containsExactlyInAnyOrder(
                        "1001:shop-eu", "1002:shop-eu", "1003:shop-eu", "2001:shop-us", "2002:shop-us");
    }

    private static String header(ConsumerRecord<String, String> m, String name) {
        var h = m.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
