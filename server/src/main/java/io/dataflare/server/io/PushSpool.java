package io.dataflare.server.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.data.Record;
import io.dataflare.engine.state.LogRecord;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateTransaction;
import io.dataflare.json.RecordJson;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durable copy of one push source's queue: an append-only log in the state store (namespace
 * {@value #NAMESPACE}, one log per task and push source). A push is acknowledged only once its records are
 * in this log, so a crash (even SIGKILL) loses nothing acknowledged; the log is trimmed once a durable
 * checkpoint covers its records.
 *
 * <p>Group commit: concurrent pushes enqueue their batches; whichever request takes the commit turn writes
 * every batch waiting so far as one log record (one durable write, one fsync for a file store), and the
 * others find theirs already written. So under load many requests share one write.
 */
public final class PushSpool {
    /** The state store namespace of the spools' logs. */
    public static final String NAMESPACE = "task-spool";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<SpooledBatch>> GROUP = new TypeReference<>() {};
    private static final int READ_CHUNK = 256;

    private final StateStore store;
    private final String log;
    private final ReentrantLock commitTurn = new ReentrantLock();
    private final ConcurrentLinkedQueue<Batch> waiting = new ConcurrentLinkedQueue<>();
    /** Log records still there: their sequence number in the log and the last queue number they hold. */
    private final ArrayDeque<long[]> written = new ArrayDeque<>();

    private PushSpool(StateStore store, String log) {
        this.store = store;
        this.log = log;
    }

    /** The spool of push source {@code stage} of task {@code task}. */
    public static PushSpool of(StateStore store, String task, String stage) {
        return new PushSpool(store, task + "." + stage);
    }

    /** A write the store makes in the same transaction as a batch (progress that must not run ahead or behind). */
    public record Alongside(String namespace, String key, String value) {}

    /** Records waiting to be made durable, in queue order. */
    static final class Batch {
        final String numbering;
        final List<PushQueue.Entry> entries;
        final Alongside alongside;
        volatile boolean done;
        volatile RuntimeException failure;

        Batch(String numbering, List<PushQueue.Entry> entries, Alongside alongside) {
            this.numbering = numbering;
            this.entries = entries;
            this.alongside = alongside;
        }
    }

    /** Queues {@code b} for the next group write; called in queue order (under the queue's lock). */
    void enqueue(Batch b) {
        waiting.add(b);
    }

    /**
     * Returns once {@code b} is durable: writes it, with every batch waiting now, unless an earlier group write
     * took it.
     *
     * @throws io.dataflare.engine.state.StateStoreException when the store failed (nothing of the group is kept)
     */
    void awaitDurable(Batch b) {
        commitTurn.lock();
        try {
            if (!b.done) writeGroup();
        } finally {
            commitTurn.unlock();
        }
        if (b.failure != null) throw b.failure;
    }

    private void writeGroup() {
        List<Batch> group = new ArrayList<>();
        for (Batch w; (w = waiting.poll()) != null; ) group.add(w);
        if (group.isEmpty()) return;
        try {
            List<SpooledBatch> plain = new ArrayList<>(group.size());
            StateTransaction tx = store.transaction();
            long last = 0;
            for (Batch b : group) {
                plain.add(SpooledBatch.of(b.numbering, b.entries));
                if (!b.entries.isEmpty())
                    last = b.entries.get(b.entries.size() - 1).seq();
                if (b.alongside != null) tx.put(b.alongside.namespace(), b.alongside.key(), b.alongside.value());
            }
            long seq = tx.append(NAMESPACE, log, JSON.writeValueAsString(plain))
                    .commit()
                    .lastSequence(NAMESPACE, log);
            synchronized (written) {
                written.add(new long[] {seq, last});
            }
            for (Batch b : group) b.done = true;
        } catch (JsonProcessingException e) {
            fail(group, new IllegalStateException("cannot write pushed records as JSON: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            fail(group, e);
        }
    }

    private static void fail(List<Batch> group, RuntimeException e) {
        for (Batch b : group) {
            b.failure = e;
            b.done = true;
        }
    }

    /** Appends {@code entries} at once (records saved by an earlier version, queued again at boot). */
    void appendNow(String numbering, List<PushQueue.Entry> entries) {
        Batch b = new Batch(numbering, entries, null);
        enqueue(b);
        awaitDurable(b);
    }

    /**
     * What the log holds, in order (recovered at boot), or null when it holds nothing. Records a checkpoint
     * covers may be among them: the run's seek drops those.
     *
     * @throws IllegalStateException naming the log when a record cannot be read
     */
    PushQueue.Saved recover() {
        List<PushQueue.Entry> entries = new ArrayList<>();
        String numbering = null;
        synchronized (written) {
            written.clear();
            long from = 1;
            for (List<LogRecord> chunk; !(chunk = store.read(NAMESPACE, log, from, READ_CHUNK)).isEmpty(); ) {
                for (LogRecord r : chunk) {
                    long last = 0;
                    try {
                        for (SpooledBatch b : JSON.readValue(r.data(), GROUP)) {
                            numbering = b.numbering();
                            for (SpooledRecord s : b.records()) {
                                entries.add(new PushQueue.Entry(s.seq(), s.toRecord()));
                                last = s.seq();
                            }
                        }
                    } catch (IOException | IllegalArgumentException e) {
                        throw new IllegalStateException(
                                "record " + r.sequence() + " of the push spool " + NAMESPACE + "/" + log + " in "
                                        + store.describe() + " is unreadable: " + e.getMessage(),
                                e);
                    }
                    written.add(new long[] {r.sequence(), last});
                    from = r.sequence() + 1;
                }
            }
        }
        if (numbering == null) return null;
        return new PushQueue.Saved(numbering, entries.get(entries.size() - 1).seq() + 1, entries);
    }

    /** Drops the log records every record of which has a number up to {@code upTo} (a durable checkpoint covers them). */
    void trim(long upTo) {
        long before;
        synchronized (written) {
            long cut = 0;
            while (!written.isEmpty() && written.peekFirst()[1] <= upTo) cut = written.pollFirst()[0];
            if (cut == 0) return;
            before = cut + 1;
        }
        store.truncateBefore(NAMESPACE, log, before);
    }

    /** Drops everything (the task is deleted). */
    void clear() {
        synchronized (written) {
            written.clear();
        }
        long last = store.lastSequence(NAMESPACE, log);
        if (last > 0) store.truncateBefore(NAMESPACE, log, last + 1);
    }

    /** A push's batch as stored. */
    record SpooledBatch(
            @JsonProperty("numbering") String numbering,
            @JsonProperty("records") List<SpooledRecord> records) {
        static SpooledBatch of(String numbering, List<PushQueue.Entry> entries) {
            List<SpooledRecord> out = new ArrayList<>(entries.size());
            for (PushQueue.Entry e : entries) {
                Record r = e.record();
                Map<String, String> types = RecordJson.typeHints(r);
                out.add(new SpooledRecord(e.seq(), RecordJson.toJson(r), types.isEmpty() ? null : types));
            }
            return new SpooledBatch(numbering, out);
        }
    }

    /** A record with its queue number: its fields as the record codec writes them, with the types JSON cannot tell. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SpooledRecord(
            @JsonProperty("seq") long seq,
            @JsonProperty("json") String json,
            @JsonProperty("types") Map<String, String> types) {
        Record toRecord() throws IOException {
            return RecordJson.readRecord(json, types == null ? Map.of() : types);
        }
    }
}
