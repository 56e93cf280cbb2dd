package io.dataflare.plugins.kafka;

import io.dataflare.api.PluginMetrics;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import io.dataflare.json.Decimals;
import io.dataflare.json.JsonObjectReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Reads Kafka messages. The position of a batch is the next offset of every partition read so far; a
 * resumed source seeks each partition to the checkpoint's offset, whatever the consumer group committed
 * since (the group, when there is one, only shares out partitions and shows progress: its offsets are
 * committed once a checkpoint holds them). Partitions the checkpoint does not name start per
 * {@code start}. The source is unbounded: it never returns null.
 */
final class KafkaSource implements Source {
    static final String OFFSETS = "offsets";
    /** Where a record's message was read: the sink does not copy these onto the messages it writes. */
    static final String TOPIC_HEADER = "kafka.topic";

    static final String PARTITION_HEADER = "kafka.partition";
    static final String OFFSET_HEADER = "kafka.offset";

    private final Consumer<byte[], byte[]> consumer;
    private final Subscription subscription;
    private final StartPosition start;
    private final ValueFormat format;
    private final JsonObjectReader json = new JsonObjectReader(Decimals.DOUBLE);
    private final Fields columns;
    private final boolean commitToGroup;
    private final PluginMetrics metrics;

    /** The next offset per partition, as the records handed out so far leave it. */
    private final Map<TopicPartition, Long> next = new HashMap<>();

    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private TopicPartition lastPartition;
    private boolean started;

    /** What to read: explicit partitions, the partitions of named topics, or a group subscription. */
    sealed interface Subscription {
        record Topics(List<String> topics, List<Integer> partitions) implements Subscription {}

        record GroupTopics(List<String> topics) implements Subscription {}

        record GroupPattern(Pattern pattern) implements Subscription {}
    }

    KafkaSource(
            Consumer<byte[], byte[]> consumer,
            Subscription subscription,
            StartPosition start,
            ValueFormat format,
            Fields columns,
            boolean commitToGroup,
            PluginMetrics metrics) {
        this.consumer = consumer;
        this.subscription = subscription;
        this.start = start;
        this.format = format;
        this.columns = columns;
        this.commitToGroup = commitToGroup;
        this.metrics = metrics;
    }

    @Override
    public void seek(Map<String, Object> position) {
        Object offsets = position.get(OFFSETS);
        if (!(offsets instanceof Map<?, ?> m)) return;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            next.put(partitionOf(String.valueOf(e.getKey())), ((Number) e.getValue()).longValue());
        }
    }

    @Override
    public RecordBatch poll(int maxRecords) {
        if (!started) {
            subscribe();
            started = true;
        }
        if (pending.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) pending.add(r);
            if (pending.isEmpty()) return RecordBatch.EMPTY;
        }
        RecordBatch.Builder out = RecordBatch.builder(Math.min(maxRecords, pending.size()));
        int taken = 0;
        int rejected = 0;
        while (taken < maxRecords && !pending.isEmpty()) {
            ConsumerRecord<byte[], byte[]> r = pending.poll();
            taken++;
            next.put(partition(r), r.offset() + 1);
            Record.Builder b;
            try {
                b = format.read(r.value(), columns, json);
            } catch (ValueFormat.BadValue bad) {
                Record raw = metadata(Record.builder().set("value", text(r.value())), r)
                        .build();
                out.reject(
                        raw,
                        "kafka source: topic " + r.topic() + " partition " + r.partition() + " offset " + r.offset()
                                + ": " + bad.getMessage());
                rejected++;
                continue;
            }
            out.add(metadata(b, r).build());
        }
        metrics.increment("messages_read", taken);
        if (rejected > 0) metrics.increment("messages_rejected", rejected);
        return out.position(position()).build();
    }

    /** The partition of {@code r}, without a new object per message (they come in runs from one partition). */
    private TopicPartition partition(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = lastPartition;
        if (tp == null || tp.partition() != r.partition() || !tp.topic().equals(r.topic())) {
            tp = new TopicPartition(r.topic(), r.partition());
            lastPartition = tp;
        }
        return tp;
    }

    /** The key, the message's headers, and where the message came from (also named in dead letters). */
    private static Record.Builder metadata(Record.Builder b, ConsumerRecord<byte[], byte[]> r) {
        if (r.key() != null) b.key(new String(r.key(), StandardCharsets.UTF_8));
        for (Header h : r.headers()) b.header(h.key(), text(h.value()));
        b.header(TOPIC_HEADER, r.topic());
        b.header(PARTITION_HEADER, Integer.toString(r.partition()));
        b.header(OFFSET_HEADER, Long.toString(r.offset()));
        return b;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private Map<String, Object> position() {
        Map<String, Object> offsets = new TreeMap<>();
        for (Map.Entry<TopicPartition, Long> e : next.entrySet()) offsets.put(key(e.getKey()), e.getValue());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(OFFSETS, offsets);
        return p;
    }

    @Override
    public void commit(Map<String, Object> position) {
        if (!commitToGroup || !(position.get(OFFSETS) instanceof Map<?, ?> m)) return;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            TopicPartition tp = partitionOf(String.valueOf(e.getKey()));
            if (consumer.assignment().contains(tp)) {
                offsets.put(tp, new OffsetAndMetadata(((Number) e.getValue()).longValue()));
            }
        }
        if (!offsets.isEmpty()) consumer.commitSync(offsets);
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    private void subscribe() {
        switch (subscription) {
            case Subscription.Topics t -> {
                List<TopicPartition> parts = new ArrayList<>();
                for (String topic : t.topics()) {
                    if (t.partitions() != null) {
                        for (int p : t.partitions()) parts.add(new TopicPartition(topic, p));
                    } else {
                        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                        if (infos == null || infos.isEmpty()) {
                            throw new IllegalStateException("kafka source: topic '" + topic + "' does not exist");
                        }
                        for (PartitionInfo i : infos) parts.add(new TopicPartition(topic, i.partition()));
                    }
                }
                consumer.assign(parts);
                place(parts);
            }
            case Subscription.GroupTopics g -> consumer.subscribe(g.topics(), new Placer());
            case Subscription.GroupPattern g -> consumer.subscribe(g.pattern(), new Placer());
        }
    }

    /** Seeks each partition to the checkpoint's offset, or to the start position when it has none. */
    private void place(Collection<TopicPartition> parts) {
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : parts) {
            Long offset = next.get(tp);
            if (offset != null) consumer.seek(tp, offset);
            else fresh.add(tp);
        }
        if (fresh.isEmpty()) return;
        switch (start.kind()) {
            case EARLIEST -> consumer.seekToBeginning(fresh);
            case LATEST -> consumer.seekToEnd(fresh);
            case TIMESTAMP -> {
                Map<TopicPartition, Long> query = new HashMap<>();
                for (TopicPartition tp : fresh) query.put(tp, start.timestampMs());
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                List<TopicPartition> none = new ArrayList<>();
                for (TopicPartition tp : fresh) {
                    OffsetAndTimestamp o = found.get(tp);
                    if (o != null) consumer.seek(tp, o.offset());
                    else none.add(tp); // nothing at or after that time yet: only what comes next
                }
                if (!none.isEmpty()) consumer.seekToEnd(none);
            }
        }
        // pin the start so that a later checkpoint names these partitions even before a message arrives
        for (TopicPartition tp : fresh) next.put(tp, consumer.position(tp));
    }

    /** Places newly assigned partitions of a group subscription. */
    private final class Placer implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // records of revoked partitions that were fetched but not handed out must not be handed out
            pending.removeIf(r -> !consumer.assignment().contains(new TopicPartition(r.topic(), r.partition())));
            place(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        }
    }

    static String key(TopicPartition tp) {
        return tp.topic() + ":" + tp.partition();
    }

    static TopicPartition partitionOf(String key) {
        int colon = key.lastIndexOf(':');
        if (colon <= 0)
            throw new IllegalStateException(
                    "kafka source: the checkpoint names partition '" + key + "', expected topic:partition");
        return new TopicPartition(key.substring(0, colon), Integer.parseInt(key.substring(colon + 1)));
    }
}
