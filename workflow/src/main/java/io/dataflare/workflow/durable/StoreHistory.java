package io.dataflare.workflow.durable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dataflare.engine.state.LogRecord;
import io.dataflare.engine.state.StateConflictException;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateTransaction;
import io.dataflare.workflow.definition.DefinitionParser;
import io.dataflare.workflow.interpreter.EventType;
import io.dataflare.workflow.interpreter.ExecutionHistory;
import io.dataflare.workflow.interpreter.ExecutionState;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.dataflare.workflow.interpreter.HistoryJson;
import io.dataflare.workflow.queue.Approvals;
import io.dataflare.workflow.queue.QueuedTask;
import io.dataflare.workflow.queue.TaskQueue;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Execution histories in a {@link StateStore}: each execution's events are an append-only log, and every batch
 * of events ({@link #appendAll}: what the interpreter records between two moments it must be durable) is
 * appended in one transaction together with the records the batch leaves created or ended: the execution's
 * registry entry (status), its durable timers (Waits, retry delays), its pending tasks and, whenever the batch
 * reaches or passes a multiple of {@code snapshotEvery} events (of a quarter of the state's entries when that is
 * more: see {@link #snapshotInterval}), a snapshot of the folded state. The transaction
 * expects the log to end at the caller's version, so two processes can never both extend one history: the
 * slower one gets a {@link VersionConflictException} and nothing of its events is stored.
 *
 * <p>Namespaces: {@code workflow.history} (the logs, one per execution name), {@code workflow.executions}
 * (registry: name to {@code {"status", "version", "startedAt", "endedAt"}}), {@code workflow.snapshots} (name to
 * the folded {@link ExecutionState}), {@code workflow.timers} ({@code NAME SCOPE} to {@code {"execution",
 * "scope", "fireAt"}}), {@code workflow.tasks} (idempotency key to the pending task). An activity task
 * ({@code Resource: "activity:NAME"}) is enqueued in {@link TaskQueue} by the transaction of its TaskScheduled
 * event and removed by the one of its result.
 */
public final class StoreHistory implements ExecutionHistory {
    public static final String HISTORY = "workflow.history";
    public static final String EXECUTIONS = "workflow.executions";
    public static final String SNAPSHOTS = "workflow.snapshots";
    public static final String TIMERS = "workflow.timers";
    public static final String TASKS = "workflow.tasks";
    /** Events per snapshot by default: folding the tail after a snapshot stays short. */
    public static final int DEFAULT_SNAPSHOT_EVERY = 100;

    private static final int READ_BATCH = 1000;
    // NON_NULL: a JsonNode field written as null would read back as a NullNode, not as the null it was
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final StateStore store;
    private final int snapshotEvery;
    private final TaskQueue queue;
    /** The folded state of the executions this process appends to, as of their last event. */
    private final Map<String, ExecutionState> live = new ConcurrentHashMap<>();
    /** An execution's name to the group its queued tasks share the queue fairly as (its workflow's name). */
    private volatile java.util.function.Function<String, String> groupOf = execution -> QueuedTask.DEFAULT_GROUP;

    public StoreHistory(StateStore store) {
        this(store, DEFAULT_SNAPSHOT_EVERY);
    }

    public StoreHistory(StateStore store, int snapshotEvery) {
        this(store, snapshotEvery, new TaskQueue(store, InstantSource.system()));
    }

    /** @param queue where activity tasks are enqueued: on {@code store} (their events and tasks commit together) */
    public StoreHistory(StateStore store, int snapshotEvery, TaskQueue queue) {
        if (snapshotEvery < 1) throw new IllegalArgumentException("snapshotEvery must be 1 or more: " + snapshotEvery);
        if (queue.store() != store) throw new IllegalArgumentException("the task queue must be on the history's store");
        this.store = store;
        this.snapshotEvery = snapshotEvery;
        this.queue = queue;
    }

    public StateStore store() {
        return store;
    }

    /**
     * How the tasks of an execution are grouped for fair share in the queue: {@code groupOf} answers an execution's
     * name with its workflow's name (null: the default group, which is every task's until this is set).
     */
    public StoreHistory groupTasksBy(java.util.function.Function<String, String> groupOf) {
        this.groupOf = groupOf;
        return this;
    }

    /** The queue of the activity tasks this history schedules. */
    public TaskQueue queue() {
        return queue;
    }

    @Override
    public List<HistoryEvent> read(String execution) {
        return readFrom(execution, 1);
    }

    private List<HistoryEvent> readFrom(String execution, long from) {
        List<HistoryEvent> events = new ArrayList<>();
        long next = from;
        while (true) {
            List<LogRecord> batch = store.read(HISTORY, execution, next, READ_BATCH);
            for (LogRecord r : batch) {
                try {
                    events.add(HistoryJson.read(r.data()));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(
                            "event " + r.sequence() + " of execution '" + execution + "' in " + store.describe()
                                    + " is not an event: " + e.getOriginalMessage(),
                            e);
                }
                next = r.sequence() + 1;
            }
            if (batch.size() < READ_BATCH) return events;
        }
    }

    @Override
    public void append(String execution, long expectedVersion, HistoryEvent event) {
        appendAll(execution, expectedVersion, List.of(event));
    }

    /**
     * Appends the events in one transaction with the records the batch leaves changed: a timer or pending task
     * both created and ended within the batch is never written.
     */
    @Override
    public void appendAll(String execution, long expectedVersion, List<HistoryEvent> events) {
        if (events.isEmpty()) return;
        ExecutionState cached = live.get(execution);
        ExecutionState before = cached != null && cached.version() == expectedVersion ? cached : state(execution);
        ExecutionState after = before;
        StateTransaction tx = store.transaction().expectLogEnd(HISTORY, execution, expectedVersion);
        for (HistoryEvent event : events) {
            after = after.apply(event);
            tx.append(HISTORY, execution, HistoryJson.write(event));
        }
        ExecutionState end = after;
        if (before.status() != after.status()) tx.put(EXECUTIONS, execution, registryEntry(after));
        // only what the events can have changed is compared: walking every pending task and timer of an execution
        // at each append made a Map over thousands of items quadratic
        boolean ends = events.stream().anyMatch(e -> e.type().terminal());
        for (String scope : ends ? union(before.timers(), after.timers()) : timerScopes(events)) {
            Instant was = before.timers().get(scope), is = after.timers().get(scope);
            if (is == null && was != null) tx.delete(TIMERS, timerKey(execution, scope));
            else if (is != null && !is.equals(was))
                tx.put(TIMERS, timerKey(execution, scope), timer(execution, scope, is));
        }
        // what this transaction enqueues and removes, for the queue's index once it commits
        List<QueuedTask> enqueued = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String key : ends ? union(before.tasks(), after.tasks()) : taskKeys(events)) {
            ExecutionState.PendingTask was = before.tasks().get(key),
                    is = after.tasks().get(key);
            if (is == null && was != null) {
                tx.delete(TASKS, key);
                if (isQueued(was.resource())) {
                    queue.remove(tx, key);
                    removed.add(key);
                }
            } else if (is != null && !is.equals(was)) tx.put(TASKS, key, write(is));
        }
        // a task scheduled in the batch and still pending after it waits in the queue (one that also ended within
        // the batch never does)
        for (HistoryEvent event : events) {
            if (event.type() != EventType.TaskScheduled || !end.tasks().containsKey(event.taskKey())) continue;
            if (isActivity(event.resource())) {
                QueuedTask task = activityTask(execution, event).inGroup(groupOf.apply(execution));
                queue.enqueue(tx, task);
                enqueued.add(task);
            } else if (isCallback(event.resource())) {
                QueuedTask task = queue.callbackTask(
                                event.taskKey(),
                                Approvals.RESOURCE.equals(event.resource()) ? Approvals.QUEUE : TaskQueue.CALLBACKS,
                                execution,
                                event.state(),
                                event.attempt() == null ? 0 : event.attempt(),
                                event.input(),
                                event.heartbeatSeconds(),
                                event.timestamp() == null ? Instant.now() : event.timestamp())
                        .inGroup(groupOf.apply(execution));
                queue.enqueue(tx, task);
                enqueued.add(task);
            }
        }
        boolean finished = after.status().finished();
        long every = snapshotInterval(after);
        boolean snapshotDue = after.version() / every != before.version() / every;
        // an execution that ends with activity tasks still queued (stopped, timed out) takes them back
        if (finished)
            after.tasks().forEach((key, task) -> {
                if (isQueued(task.resource())) {
                    queue.remove(tx, key);
                    removed.add(key);
                }
            });
        if (finished || snapshotDue) tx.put(SNAPSHOTS, execution, write(after));
        try {
            tx.commit();
        } catch (StateConflictException e) {
            live.remove(execution);
            throw new VersionConflictException(execution, expectedVersion, store.lastSequence(HISTORY, execution));
        }
        if (finished) live.remove(execution);
        else live.put(execution, after);
        queue.committed(enqueued, removed);
    }

    /**
     * Events between snapshots: {@code snapshotEvery}, or a quarter of the state's entries when that is more. A
     * snapshot writes the whole state, so an execution with thousands of tasks pending (a Map over thousands of
     * items) snapshotted every 100 events spent most of its appends writing snapshots; this way a snapshot costs a
     * few entries per event, and a restart folds at most that many events after it.
     */
    private long snapshotInterval(ExecutionState s) {
        long entries = (long) s.tasks().size()
                + s.activeStates().size()
                + s.timers().size()
                + s.openScopes().size();
        return Math.max(snapshotEvery, entries / 4);
    }

    /** The timer scopes {@code events} can start or end (see {@link ExecutionState#scopeAndAbove}). */
    private static Set<String> timerScopes(List<HistoryEvent> events) {
        Set<String> scopes = new LinkedHashSet<>();
        for (HistoryEvent e : events) scopes.addAll(ExecutionState.scopeAndAbove(e.scope()));
        return scopes;
    }

    /** The tasks {@code events} can schedule, start or end. */
    private static Set<String> taskKeys(List<HistoryEvent> events) {
        Set<String> keys = new LinkedHashSet<>();
        for (HistoryEvent e : events) if (e.taskKey() != null) keys.add(e.taskKey());
        return keys;
    }

    private static Set<String> union(Map<String, ?> a, Map<String, ?> b) {
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static boolean isActivity(String resource) {
        return resource != null && resource.startsWith(DefinitionParser.ACTIVITY_PREFIX);
    }

    private static boolean isCallback(String resource) {
        return resource != null && resource.endsWith(DefinitionParser.WAIT_FOR_TASK_TOKEN);
    }

    /** Whether the task waits in the queue: for a worker (activity) or for its token (callback). */
    private static boolean isQueued(String resource) {
        return isActivity(resource) || isCallback(resource);
    }

    private static QueuedTask activityTask(String execution, HistoryEvent scheduled) {
        Instant at = scheduled.timestamp() == null ? Instant.now() : scheduled.timestamp();
        return QueuedTask.ready(
                scheduled.taskKey(),
                scheduled.resource().substring(DefinitionParser.ACTIVITY_PREFIX.length()),
                execution,
                scheduled.state(),
                scheduled.attempt() == null ? 0 : scheduled.attempt(),
                scheduled.priority() == null ? 0 : scheduled.priority(),
                null,
                at,
                scheduled.input(),
                scheduled.heartbeatSeconds());
    }

    /** The execution's state: its latest snapshot folded on with the events after it (replay time stays bounded). */
    @Override
    public ExecutionState state(String execution) {
        ExecutionState s = snapshot(execution).orElseGet(ExecutionState::initial);
        for (HistoryEvent e : readFrom(execution, s.version() + 1)) s = s.apply(e);
        return s;
    }

    /** The stored snapshot of the execution's folded state, if one was taken. */
    public Optional<ExecutionState> snapshot(String execution) {
        return store.get(SNAPSHOTS, execution).map(json -> read(json, ExecutionState.class));
    }

    @Override
    public List<String> executions() {
        return List.copyOf(store.list(EXECUTIONS).keySet());
    }

    /** Every execution of the registry with its status. */
    public Map<String, ExecutionStatus> statuses() {
        Map<String, ExecutionStatus> out = new java.util.TreeMap<>();
        store.list(EXECUTIONS)
                .forEach((name, json) -> out.put(
                        name,
                        ExecutionStatus.valueOf(
                                read(json, ObjectNode.class).path("status").asText())));
        return out;
    }

    /** A registry entry: an execution's status and when it started and ended (null: not yet). */
    public record Entry(String execution, ExecutionStatus status, Instant startedAt, Instant endedAt) {}

    /** Every execution of the registry with its status and times, by name. */
    public Map<String, Entry> registry() {
        Map<String, Entry> out = new java.util.TreeMap<>();
        store.list(EXECUTIONS).forEach((name, json) -> {
            ObjectNode o = read(json, ObjectNode.class);
            out.put(
                    name,
                    new Entry(
                            name,
                            ExecutionStatus.valueOf(o.path("status").asText()),
                            o.hasNonNull("startedAt")
                                    ? Instant.parse(o.get("startedAt").asText())
                                    : null,
                            o.hasNonNull("endedAt")
                                    ? Instant.parse(o.get("endedAt").asText())
                                    : null));
        });
        return out;
    }

    /**
     * Deletes a finished execution's history: its events, snapshot, registry entry and the record of its ended
     * queued tasks (a late answer for one is then unknown: 404, not 409). Its log keeps its last
     * sequence number (the store's logs do), so the name cannot start a new history.
     *
     * @return false when it is not finished (nothing deleted)
     */
    public boolean delete(String execution) {
        ExecutionState s = state(execution);
        if (!s.status().finished()) return false;
        long last = store.lastSequence(HISTORY, execution);
        if (last > 0) store.truncateBefore(HISTORY, execution, last + 1);
        store.delete(SNAPSHOTS, execution);
        store.delete(EXECUTIONS, execution);
        // the ids of its ended queued tasks (kept so that a late answer is stale): a task id starts "EXECUTION:"
        for (String id : store.list(TaskQueue.ENDED).keySet())
            if (id.startsWith(execution + ":")) store.delete(TaskQueue.ENDED, id);
        live.remove(execution);
        return true;
    }

    /** The executions started and not finished (to resume). */
    public List<String> unfinished() {
        List<String> out = new ArrayList<>();
        statuses().forEach((name, status) -> {
            if (!status.finished()) out.add(name);
        });
        return out;
    }

    /** The durable timers (Waits and retry delays) not fired yet, of every execution. */
    public List<Timer> timers() {
        List<Timer> out = new ArrayList<>();
        for (String json : store.list(TIMERS).values()) out.add(read(json, Timer.class));
        return out;
    }

    /** The tasks scheduled and not finished, of every execution, by idempotency key. */
    public Map<String, ExecutionState.PendingTask> pendingTasks() {
        Map<String, ExecutionState.PendingTask> out = new java.util.TreeMap<>();
        store.list(TASKS).forEach((key, json) -> out.put(key, read(json, ExecutionState.PendingTask.class)));
        return out;
    }

    /** A pending Wait or retry delay. */
    public record Timer(String execution, String scope, Instant fireAt) {}

    private static String timerKey(String execution, String scope) {
        return execution + " " + scope;
    }

    private static String timer(String execution, String scope, Instant at) {
        return write(new Timer(execution, scope, at));
    }

    private static String registryEntry(ExecutionState s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("status", s.status().name());
        o.put("version", s.version());
        if (s.startedAt() != null) o.put("startedAt", s.startedAt().toString());
        if (s.endedAt() != null) o.put("endedAt", s.endedAt().toString());
        return o.toString();
    }

    static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("did not serialise: " + e.getOriginalMessage(), e);
        }
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "a " + type.getSimpleName() + " record in " + store.describe() + " does not read: "
                            + e.getOriginalMessage(),
                    e);
        }
    }
}
