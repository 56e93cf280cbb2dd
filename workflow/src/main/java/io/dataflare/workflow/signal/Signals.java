package io.dataflare.workflow.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.engine.state.LogRecord;
import io.dataflare.engine.state.StateConflictException;
import io.dataflare.engine.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Signals sent to executions, kept in the state store until a {@code "Resource": "signal:NAME"} Task takes them:
 * each execution's signals of one name are a log in arrival order, so a signal sent before the execution waits
 * for it is there when it does. A Task takes the oldest signal nobody took, and the taking is recorded by the
 * task's idempotency key in the same transaction that marks the signal taken: the same attempt run again after a
 * restart gets the same signal back, and no two attempts ever get one signal.
 *
 * <p>Namespaces: {@code workflow.signals} (one log per {@code EXECUTION SIGNAL}: {@code {"body", "receivedAt"}}),
 * {@code workflow.signal-claims} ({@code EXECUTION SIGNAL SEQUENCE} to the task key that took it) and {@code
 * workflow.signal-taken} (task key to {@code {"log", "sequence"}}).
 */
public final class Signals {
    public static final String LOG = "workflow.signals";
    public static final String CLAIMS = "workflow.signal-claims";
    public static final String TAKEN = "workflow.signal-taken";
    /** The Task resource prefix that waits for a signal. */
    public static final String PREFIX = "signal:";
    /** A signal's name. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");
    /** How often a waiter looks at the store again for a signal another process received. */
    static final Duration RECHECK = Duration.ofMillis(250);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final StateStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private long generation;

    public Signals(StateStore store) {
        this.store = store;
    }

    /** Whether {@code resource} waits for a signal. */
    public static boolean isSignal(String resource) {
        return resource.startsWith(PREFIX);
    }

    /** What is wrong with a {@code signal:NAME} resource, or null. */
    public static String problem(String resource) {
        String name = resource.substring(PREFIX.length());
        return NAME.matcher(name).matches()
                ? null
                : "signal name '" + name + "' must be 1 to 80 letters, digits, '.', '_' or '-' (not first)";
    }

    /**
     * Stores the signal {@code signal} with {@code body} for {@code execution} (durably, before this returns).
     *
     * @return its sequence number among the execution's signals of that name (1, 2, ...)
     */
    public long send(String execution, String signal, JsonNode body, Instant at) {
        ObjectNode rec = MAPPER.createObjectNode();
        rec.set("body", body);
        rec.put("receivedAt", at.toString());
        long seq = store.append(LOG, log(execution, signal), rec.toString());
        lock.lock();
        try {
            generation++;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return seq;
    }

    /**
     * Takes for the task {@code taskKey} the oldest signal not taken yet (or the one this task took before).
     *
     * @return its body, or empty when none is there
     */
    public Optional<JsonNode> take(String execution, String signal, String taskKey) {
        String log = log(execution, signal);
        Optional<String> mine = store.get(TAKEN, taskKey);
        if (mine.isPresent())
            return Optional.of(body(log, read(mine.get()).path("sequence").asLong()));
        long next = 1;
        while (true) {
            List<LogRecord> batch = store.read(LOG, log, next, 100);
            for (LogRecord r : batch) {
                next = r.sequence() + 1;
                String claim = log + " " + r.sequence();
                if (store.get(CLAIMS, claim).isPresent()) continue;
                ObjectNode taken = MAPPER.createObjectNode().put("log", log).put("sequence", r.sequence());
                try {
                    store.transaction()
                            .expectAbsent(CLAIMS, claim)
                            .expectAbsent(TAKEN, taskKey)
                            .put(CLAIMS, claim, taskKey)
                            .put(TAKEN, taskKey, taken.toString())
                            .commit();
                    return Optional.of(read(r.data()).path("body"));
                } catch (StateConflictException e) {
                    // another process took it first (or this task did, run twice): look again
                    return take(execution, signal, taskKey);
                }
            }
            if (batch.size() < 100) return Optional.empty();
        }
    }

    /** Waits until a signal is there for the task {@code taskKey} and takes it. */
    public JsonNode await(String execution, String signal, String taskKey) throws InterruptedException {
        while (true) {
            long seen;
            lock.lock();
            try {
                seen = generation;
            } finally {
                lock.unlock();
            }
            Optional<JsonNode> got = take(execution, signal, taskKey);
            if (got.isPresent()) return got.get();
            lock.lock();
            try {
                long left = RECHECK.toNanos();
                while (generation == seen && left > 0) left = arrived.awaitNanos(left);
            } finally {
                lock.unlock();
            }
        }
    }

    /** How many signals of {@code signal} the execution received and no task took yet. */
    public int pending(String execution, String signal) {
        String log = log(execution, signal);
        int n = 0;
        for (LogRecord r : store.read(LOG, log, 1, 10_000))
            if (store.get(CLAIMS, log + " " + r.sequence()).isEmpty()) n++;
        return n;
    }

    /** Deletes every signal of {@code execution} and the record of who took them. */
    public void delete(String execution) {
        String prefix = execution + " ";
        for (String log : store.logs(LOG)) {
            if (!log.startsWith(prefix)) continue;
            long last = store.lastSequence(LOG, log);
            if (last > 0) store.truncateBefore(LOG, log, last + 1);
        }
        for (String claim : store.list(CLAIMS).keySet()) if (claim.startsWith(prefix)) store.delete(CLAIMS, claim);
        // task keys are EXECUTION:SCOPE/STEP/STATE#ATTEMPT
        for (String key : store.list(TAKEN).keySet()) if (key.startsWith(execution + ":")) store.delete(TAKEN, key);
    }

    private JsonNode body(String log, long sequence) {
        List<LogRecord> r = store.read(LOG, log, sequence, 1);
        if (r.isEmpty() || r.get(0).sequence() != sequence)
            throw new IllegalStateException("signal " + sequence + " of " + log + " is gone from " + store.describe());
        return read(r.get(0).data()).path("body");
    }

    private static String log(String execution, String signal) {
        return execution + " " + signal;
    }

    private JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "a signal record in " + store.describe() + " does not read: " + e.getOriginalMessage(), e);
        }
    }
}
