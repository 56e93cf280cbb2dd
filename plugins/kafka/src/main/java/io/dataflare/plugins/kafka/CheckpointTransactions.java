package io.dataflare.plugins.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.utils.internals.ProducerIdAndEpoch;

/**
 * One Kafka transaction per checkpoint interval: {@link #prepare()} at a checkpoint flushes the open
 * transaction and returns what identifies it; {@link #commit()} once the checkpoint is saved commits it
 * and begins the next. Two transactional ids ({@code <id>-0}, {@code <id>-1}) take turns, so that the
 * transaction after a checkpoint never has the id of the one the checkpoint holds: committing that one
 * again after a restart (it may or may not have been committed before the crash) can then never commit
 * the records written after it, whatever transaction protocol version the broker speaks.
 *
 * <p>On a resumed run, {@link #recover(Map)} first commits the transaction the checkpoint holds, then the
 * first use initializes both ids, which fences a producer of an earlier run still alive (a zombie) and
 * aborts whatever it left open: records after the checkpoint, which the sources replay.
 */
final class CheckpointTransactions implements AutoCloseable {
    private final String baseId;
    private final System.Logger log;
    private final Function<String, Producer<byte[], byte[]>> producers;
    private final List<Producer<byte[], byte[]>> open = new ArrayList<>(2);
    private int current;
    private long records;
    private String lastTopic;

    /** @param producers a transactional producer for a transactional id (not initialized) */
    CheckpointTransactions(String baseId, Function<String, Producer<byte[], byte[]>> producers, System.Logger log) {
        this.baseId = baseId;
        this.log = log;
        this.producers = producers;
    }

    static String transactionalId(String baseId, int turn) {
        return baseId + "-" + turn;
    }

    /** The producer of the open transaction (the first call initializes the producers). */
    Producer<byte[], byte[]> producer() {
        if (open.isEmpty()) {
            for (int i = 0; i < 2; i++) {
                Producer<byte[], byte[]> p = producers.apply(transactionalId(baseId, i));
                open.add(p);
                p.initTransactions(); // fences an earlier run's producer and aborts what it left open
            }
            current = 0;
            open.get(current).beginTransaction();
        }
        return open.get(current);
    }

    /** A message to {@code topic} was sent in the open transaction. */
    void sent(String topic, int messages) {
        records += messages;
        lastTopic = topic;
    }

    /** Flushes the open transaction and returns what the next run needs to commit it after a crash. */
    Map<String, Object> prepare() {
        Producer<byte[], byte[]> p = producer();
        p.flush();
        ProducerIdAndEpoch id = PreparedTransaction.of(p);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("transactional_id", transactionalId(baseId, current));
        state.put("producer_id", id.producerId);
        state.put("epoch", (long) id.epoch);
        state.put("records", records);
        if (lastTopic != null) state.put("topic", lastTopic);
        return state;
    }

    /** Commits the open transaction and begins the next, under the other transactional id. */
    void commit() {
        Producer<byte[], byte[]> p = producer();
        p.commitTransaction();
        records = 0;
        lastTopic = null;
        current = 1 - current;
        open.get(current).beginTransaction();
    }

    /**
     * Commits the transaction a saved checkpoint holds ({@link #prepare()}'s state), before this run
     * initializes its producers. Its records are covered by the checkpoint (the sources do not replay
     * them), so it must end committed: when the broker no longer knows it as open (it was committed before
     * the crash, or aborted after {@code transaction.timeout.ms}), that is logged.
     */
    void recover(Map<String, Object> state) {
        if (!open.isEmpty()) throw new IllegalStateException("kafka sink: restore after the first write");
        long messages = ((Number) state.getOrDefault("records", 0L)).longValue();
        String id = (String) state.get("transactional_id");
        if (messages == 0 || id == null) return; // nothing was written in it
        long producerId = ((Number) state.get("producer_id")).longValue();
        short epoch = ((Number) state.get("epoch")).shortValue();
        try (Producer<byte[], byte[]> p = producers.apply(id)) {
            String topic = (String) state.get("topic");
            if (topic != null) p.partitionsFor(topic); // talks to the cluster: learns its transaction version
            PreparedTransaction.resume(p, producerId, epoch);
            p.commitTransaction();
            log.log(
                    System.Logger.Level.INFO,
                    "kafka sink: committed the transaction {0} (producer id {1}, epoch {2}) of the checkpoint",
                    id,
                    String.valueOf(producerId),
                    String.valueOf(epoch));
        } catch (KafkaException e) {
            if (!fenced(e)) throw e;
            log.log(
                    System.Logger.Level.WARNING,
                    "kafka sink: the transaction {0} (producer id {1}, epoch {2}, {3} messages) of the checkpoint"
                            + " was no longer open: it was committed before the crash, or, if the restart came later"
                            + " than transaction.timeout.ms, the broker aborted it ({4})",
                    id,
                    String.valueOf(producerId),
                    String.valueOf(epoch),
                    String.valueOf(messages),
                    e.toString());
        }
    }

    private static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException
                    || t instanceof InvalidProducerEpochException
                    || t instanceof InvalidTxnStateException) return true;
        }
        return false;
    }

    /**
     * Aborts the open transaction (at a graceful end it is empty: the final checkpoint committed
     * everything; after a failure its records are replayed by the next run) and closes the producers.
     */
    @Override
    public void close() {
        if (open.isEmpty()) return;
        try {
            open.get(current).abortTransaction();
        } catch (KafkaException e) {
            log.log(System.Logger.Level.DEBUG, "kafka sink: aborting the open transaction at close failed: {0}", e);
        }
        for (Producer<byte[], byte[]> p : open) p.close(Duration.ofSeconds(10));
        open.clear();
    }
}
