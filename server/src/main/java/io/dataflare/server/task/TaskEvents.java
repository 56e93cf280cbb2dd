package io.dataflare.server.task;

import io.dataflare.api.data.Record;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A task's subscribers (the SSE stream of {@code GET .../events}): each gets state changes, progress, plugin
 * events and the records its memory sinks write (those matching its filter) through a bounded queue of its own, so that a
 * slow subscriber never holds up the pipeline. A subscriber that falls {@link #QUEUE} events behind is told
 * so ({@code overflow}) and dropped.
 */
public final class TaskEvents {
    /** Events a subscriber may queue before it is dropped. */
    public static final int QUEUE = 10_000;

    /** One event: its SSE type ({@code record}, {@code progress}, {@code state}, {@code plugin}, {@code scale}, {@code end}) and its data. */
    public record Event(String type, Object data) {}

    /** One subscriber. */
    public static final class Subscription implements AutoCloseable {
        private final TaskEvents owner;
        private final String field;
        private final String value;
        private final boolean records;
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
        private volatile boolean overflowed;

        private Subscription(TaskEvents owner, String field, String value, boolean records) {
            this.owner = owner;
            this.field = field;
            this.value = value;
            this.records = records;
        }

        /** The next event, or null after {@code timeoutMs}; an {@code overflow} event when it fell behind. */
        public Event next(long timeoutMs) throws InterruptedException {
            if (overflowed && queue.isEmpty())
                return new Event(
                        "overflow",
                        Map.of(
                                "message",
                                "the subscriber fell " + QUEUE + " events behind and was dropped; subscribe again"));
            return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        }

        boolean matches(Record r) {
            return records && (field == null || value.equals(Objects.toString(r.get(field), null)));
        }

        void offer(Event e) {
            if (overflowed) return;
            if (!queue.offer(e)) {
                overflowed = true;
                owner.subscribers.remove(this);
            }
        }

        @Override
        public void close() {
            owner.subscribers.remove(this);
        }
    }

    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();

    /** Subscribes; with a {@code field}, only records whose field's text is {@code value} are sent. */
    public Subscription subscribe(String field, String value) {
        return subscribe(field, value, true);
    }

    /**
     * As {@link #subscribe(String, String)}; without {@code records} no record is sent at all, only the task's own
     * events: a fast memory sink would otherwise fill the subscriber's queue and cut its stream (a dashboard).
     */
    public Subscription subscribe(String field, String value, boolean records) {
        Subscription s = new Subscription(this, field, value, records);
        subscribers.add(s);
        return s;
    }

    /** Whether anybody listens (progress is computed only then). */
    boolean listened() {
        return !subscribers.isEmpty();
    }

    /** Sends an event to every subscriber. */
    void publish(String type, Object data) {
        Event e = new Event(type, data);
        for (Subscription s : subscribers) s.offer(e);
    }

    /** A memory sink wrote a record: sent to the subscribers whose filter it matches. */
    void output(String sink, long offset, Record record) {
        Event e = null;
        for (Subscription s : subscribers) {
            if (!s.matches(record)) continue;
            if (e == null) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("sink", sink);
                data.put("offset", offset);
                data.put("record", record); // written in the record codec's form
                e = new Event("record", data);
            }
            s.offer(e);
        }
    }

    /** The task is gone (deleted, or the server stops): every stream ends. */
    void end(String why) {
        publish("end", Map.of("message", why));
        subscribers.clear();
    }
}
