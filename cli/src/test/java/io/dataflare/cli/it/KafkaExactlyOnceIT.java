package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's kafka -> map -> kafka example with {@code delivery: exactly-once}, run with {@code ./dataflare run} as a real
 * process, killed with SIGKILL at random moments once output was committed, and resumed with the same
 * state each time: a read_committed consumer of the output sees every id exactly once, while a
 * read_uncommitted one sees the messages of the killed runs' aborted transactions as well (so without
 * transactions the same runs would have left duplicates).
 */
@Timeout(600)
class KafkaExactlyOnceIT {
    private static final int MESSAGES = 200_000;

    @TempDir
    Path dir;

    @Test
    void killedAtRandomMomentsAndResumedEveryIdIsCommittedExactlyOnce() throws Exception {
        String servers = SharedKafka.bootstrapServers();
        String in = "eos-in-" + UUID.randomUUID();
        String out = "eos-out-" + UUID.randomUUID();
        Map<String, Object> config = Map.of(
                "bootstrap.servers",
                servers,
                "linger.ms",
                "20",
                "key.serializer",
                StringSerializer.class.getName(),
                "value.serializer",
                StringSerializer.class.getName());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            admin.createTopics(List.of(new NewTopic(in, 1, (short) 1), new NewTopic(out, 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> p = new KafkaProducer<>(config)) {
            for (int id = 0; id < MESSAGES; id++)
                p.send(new ProducerRecord<>(in, "{\"id\":" + id + ",\"amount\":" + id % 100 + "}"));
            p.flush();
        }
        // the README's example, on this test's topics, checkpointing often
        String yaml = Files.readString(Path.of("..", "examples", "kafka-exactly-once.yaml"))
                .replace("${KAFKA:-127.0.0.1:9092}", servers)
                .replace("topic: orders-taxed", "topic: " + out)
                .replace("topic: orders", "topic: " + in)
                .replace("checkpoint_interval_ms: 1000", "checkpoint_interval_ms: 200")
                .replace("stop_when_idle_ms: 10000", "stop_when_idle_ms: 3000");
        assertThat(yaml).contains(in, out, "delivery: exactly-once", "checkpoint_interval_ms: 200");
        Path pipeline = Files.writeString(dir.resolve("kafka-exactly-once.yaml"), yaml);
        String state = dir.resolve("state").toString();
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        int killedMidway = 0;
        for (int run = 0; run < 10 && killedMidway < 3; run++) {
            long before = committedEnd(out);
            Process p = Distribution.startChild(
                    List.of(),
                    dir.resolve("run" + run + ".out"),
                    dir.resolve("run" + run + ".err"),
                    "run",
                    pipeline.toString(),
                    "--state",
                    state,
                    "--json");
            // kill only once this run committed output (so its checkpoints are being committed), a bit later
            long deadline = System.currentTimeMillis() + 120_000;
            while (p.isAlive() && committedEnd(out) <= before && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(random.nextInt(800));
            if (p.isAlive()) {
                p.destroyForcibly(); // SIGKILL
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                if (committedIds(out) < MESSAGES) killedMidway++;
            }
        }
        assertThat(killedMidway).as("seed %d: runs killed mid-way", seed).isEqualTo(3);

        Distribution.Cli last =
                Distribution.childJvm(List.of(), "run", pipeline.toString(), "--state", state, "--json");
        assertThat(last.exit()).as("seed %d: %s", seed, last.err()).isZero();
        assertThat(last.json().get("status").asText()).isEqualTo("COMPLETED");
        assertThat(last.err()).contains("resuming 'kafka-exactly-once' from checkpoint");

        Map<Long, Integer> committed = ids(out, "read_committed");
        assertThat(committed).as("seed %d: every id", seed).hasSize(MESSAGES);
        assertThat(committed.values().stream().filter(n -> n > 1).count())
                .as("seed %d: ids committed more than once", seed)
                .isZero();
        assertThat(committed.keySet().stream().mapToLong(Long::longValue).max().orElseThrow())
                .isEqualTo(MESSAGES - 1);
        Map<Long, Integer> all = ids(out, "read_uncommitted");
        long written = all.values().stream().mapToLong(Integer::longValue).sum();
        assertThat(written)
                .as("seed %d: the killed runs left aborted messages that read_committed does not see", seed)
                .isGreaterThan(MESSAGES);
    }

    /** The read_committed end offset of the output: it moves when a transaction commits. */
    private static long committedEnd(String topic) {
        try (KafkaConsumer<String, String> c = consumer("read_committed")) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return c.endOffsets(List.of(tp), Duration.ofSeconds(10)).getOrDefault(tp, 0L);
        }
    }

    private static long committedIds(String topic) {
        return ids(topic, "read_committed").size();
    }

    /** How often each id is in {@code topic}, read to its end as {@code isolation} sees it. */
    private static Map<Long, Integer> ids(String topic, String isolation) {
        Map<Long, Integer> seen = new HashMap<>();
        try (KafkaConsumer<String, String> c = consumer(isolation)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.currentTimeMillis() + 120_000;
            while (c.position(tp) < end && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    long id;
                    try {
                        com.fasterxml.jackson.databind.JsonNode m = Distribution.JSON.readTree(r.value());
                        id = m.get("id").asLong();
                        if (!m.has("with_tax")) throw new AssertionError("not through the map: " + r.value());
                    } catch (Exception e) {
                        throw new AssertionError("not JSON at offset " + r.offset() + ": " + r.value(), e);
                    }
                    seen.merge(id, 1, Integer::sum);
                }
            }
        }
        return seen;
    }

    private static KafkaConsumer<String, String> consumer(String isolation) {
        Map<String, Object> config = Map.of(
                "bootstrap.servers",
                SharedKafka.bootstrapServers(),
                "isolation.level",
                isolation,
                "enable.auto.commit",
                "false",
                "max.poll.records",
                "5000");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
