package io.dataflare.plugins.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code delivery: exactly-once} against a real broker: what a read_committed consumer sees before and
 * after the checkpoint commits, and a resumed run committing the transaction a crashed one prepared.
 */
class KafkaExactlyOnceSinkTest {
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

    private static final Rejections NONE = new Rejections() {
        @Override
        public void reject(Record record, String reason) {
            throw new AssertionError(reason);
        }

        @Override
        public void reject(Record record, Throwable error) {
            throw new AssertionError(error);
        }
    };

    private Sink sink(String topic) {
        KafkaSinkFactory f = new KafkaSinkFactory();
        return f.create(SimplePluginContext.of(
                f,
                Map.of(
                        "bootstrap_servers",
                        broker.bootstrapServers(),
                        "topic",
                        topic,
                        "delivery",
                        "exactly-once",
                        "transactional_id",
                        "eos-" + topic),
                dir));
    }

    private static RecordBatch ids(int from, int to) {
        RecordBatch.Builder b = RecordBatch.builder();
        for (int i = from; i < to; i++)
            b.add(Record.builder().set("id", (long) i).build());
        return b.build();
    }

    @Test
    void theMessagesOfACheckpointIntervalAreInvisibleUntilTheCheckpointCommits() throws Exception {
        String topic = "eos-" + UUID.randomUUID();
        try (Sink sink = sink(topic)) {
            sink.write(ids(0, 10), NONE);
            Map<String, Object> state = sink.checkpoint();
            assertThat(state)
                    .containsEntry("transactional_id", "eos-" + topic + "-0")
                    .containsEntry("records", 10L);
            assertThat(read(topic, "read_committed", 0)).as("before the commit").isEmpty();
            assertThat(read(topic, "read_uncommitted", 10)).as("but written").hasSize(10);

            sink.commit(state);
            assertThat(ids(read(topic, "read_committed", 10))).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

            sink.write(ids(10, 15), NONE);
            Map<String, Object> next = sink.checkpoint();
            assertThat(next)
                    .as("the next interval uses the other transactional id")
                    .containsEntry("transactional_id", "eos-" + topic + "-1");
            sink.commit(next);
            assertThat(read(topic, "read_committed", 15)).hasSize(15);
        }
    }

    @Test
    void aResumedRunCommitsThePreparedTransactionOfACrashedOne() throws Exception {
        String topic = "eos-" + UUID.randomUUID();
        Sink crashed = sink(topic);
        crashed.write(ids(0, 10), NONE);
        crashed.commit(crashed.checkpoint());
        crashed.write(ids(10, 20), NONE);
        Map<String, Object> saved = crashed.checkpoint(); // the checkpoint is saved, then the process dies
        // not closed: its producers stay alive, as a zombie of the crashed run would
        assertThat(read(topic, "read_committed", 10))
                .as("only the first interval is committed")
                .hasSize(10);

        try (Sink resumed = sink(topic)) {
            resumed.restore(saved);
            assertThat(ids(read(topic, "read_committed", 20)))
                    .as("the restore committed the prepared transaction")
                    .hasSize(20)
                    .doesNotHaveDuplicates();
            resumed.write(ids(20, 30), NONE);
            resumed.commit(resumed.checkpoint());
        }
        assertThat(ids(read(topic, "read_committed", 30))).hasSize(30).doesNotHaveDuplicates();

        assertThatThrownBy(() -> {
                    crashed.write(ids(30, 31), NONE);
                    crashed.commit(crashed.checkpoint());
                })
                .as("the crashed run's producer is fenced")
                .hasRootCauseInstanceOf(InvalidProducerEpochException.class);
        assertThatCode(crashed::close).doesNotThrowAnyException();
        assertThat(read(topic, "read_committed", 30)).hasSize(30);
    }

    @Test
    void aCheckpointWhoseTransactionWasCommittedBeforeTheCrashIsNotCommittedTwice() throws Exception {
        String topic = "eos-" + UUID.randomUUID();
        Sink crashed = sink(topic);
        crashed.write(ids(0, 10), NONE);
        Map<String, Object> saved = crashed.checkpoint();
        crashed.commit(saved);
        crashed.write(ids(10, 20), NONE); // after the checkpoint, in the next transaction
        crashed.flush();

        try (Sink resumed = sink(topic)) {
            resumed.restore(saved);
            resumed.write(ids(10, 20), NONE);
            resumed.commit(resumed.checkpoint());
        }
        assertThat(ids(read(topic, "read_committed", 20))).hasSize(20).doesNotHaveDuplicates();
        assertThat(read(topic, "read_uncommitted", 30))
                .as("the crashed run's messages after the checkpoint were written, then aborted")
                .hasSize(30);
        crashed.close();
    }

    @Test
    void aMessageTheProducerRefusesBreaksTheTransactionAndTheCommitFails() throws Exception {
        String topic = "eos-" + UUID.randomUUID();
        KafkaSinkFactory f = new KafkaSinkFactory();
        try (Sink sink = f.create(SimplePluginContext.of(
                f,
                Map.of(
                        "bootstrap_servers",
                        broker.bootstrapServers(),
                        "topic",
                        topic,
                        "delivery",
                        "exactly-once",
                        "properties",
                        Map.of("max.request.size", "2000")),
                dir))) {
            sink.write(ids(0, 5), NONE);
            RecordBatch big = RecordBatch.builder()
                    .add(Record.builder()
                            .set("id", 5L)
                            .set("blob", "x".repeat(5000))
                            .build())
                    .build();
            assertThatThrownBy(() -> sink.write(big, NONE)).hasStackTraceContaining("RecordTooLarge");
            assertThatThrownBy(() -> sink.commit(sink.checkpoint()))
                    .as("the transaction cannot be committed: the run fails rather than lose the message")
                    .isInstanceOf(org.apache.kafka.common.KafkaException.class);
        }
        assertThat(read(topic, "read_committed", 0)).isEmpty();
    }

    @Test
    void theClientInternalsExactlyOnceNeedsArePresent() {
        assertThatCode(PreparedTransaction::check).doesNotThrowAnyException();
    }

    @Test
    void transactionalIdWithoutExactlyOnceIsRefused() {
        assertThatThrownBy(() -> SimplePluginContext.of(
                        new KafkaSinkFactory(),
                        Map.of("bootstrap_servers", "x:1", "topic", "t", "transactional_id", "mine"),
                        dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("transactional_id is only used with delivery: exactly-once");
    }

    private static List<Long> ids(List<ConsumerRecord<String, String>> records) {
        List<Long> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            String v = r.value();
            out.add(Long.parseLong(v.substring(v.indexOf(':') + 1, v.indexOf('}'))));
        }
        return out;
    }

    /** Everything in {@code topic} as {@code isolation} sees it, waiting for {@code expected} messages. */
    private static List<ConsumerRecord<String, String>> read(String topic, String isolation, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + (expected == 0 ? 2_000 : 30_000);
            while (out.size() < expected || expected == 0) {
                if (System.currentTimeMillis() > deadline) break;
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) out.add(r);
            }
            // nothing beyond the expected messages
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) out.add(r);
        }
        return out;
    }
}
