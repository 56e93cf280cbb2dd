package io.dataflare.server.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.state.StateLockedException;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.definition.InvalidDefinitionException;
import io.dataflare.workflow.definition.LocatedJson;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.durable.DurableWorkflows;
import io.dataflare.workflow.durable.HistoryRetention;
import io.dataflare.workflow.durable.StoreHistory;
import io.dataflare.workflow.durable.WorkflowMetrics;
import io.dataflare.workflow.interpreter.ExecutionState;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.dataflare.workflow.interpreter.WorkflowClock;
import io.dataflare.workflow.interpreter.WorkflowEngine;
import io.dataflare.workflow.plugin.EngineTaskInvoker;
import io.dataflare.workflow.queue.ActivityTaskInvoker;
import io.dataflare.workflow.queue.TaskQueue;
import io.dataflare.workflow.schedule.CronExpression;
import io.dataflare.workflow.schedule.Schedules;
import io.dataflare.workflow.signal.Signals;
import io.dataflare.workflow.validation.Definitions;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's workflows: definitions registered by id (validated, kept in the state store) and their
 * executions, each run on a virtual thread by {@link DurableWorkflows} over the server's state store and plugins.
 * Each execution keeps a copy of the definition it was started with, so re-registering a workflow never changes
 * what a running (or resumed) execution replays. {@link #boot()} resumes every unfinished execution;
 * {@link #close()} interrupts the running ones without ending them (their histories stay unfinished, and the next
 * start resumes them).
 */
public final class ServerWorkflows implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerWorkflows.class);
    /** Workflow id to {@code {"id", "definition", "registeredAt"}}. */
    static final String DEFINITIONS = "workflow.definitions";
    /** Execution name to {@code {"workflow", "definition", "input", "createdAt"}}: what to run or resume it with. */
    static final String EXECUTIONS = "workflow.server-executions";

    /** How often the schedules are looked at (a run starts at most this late). */
    static final Duration SCHEDULE_TICK = Duration.ofSeconds(10);

    /** How often the server sweeps the histories past their retention. */
    public static final Duration RETENTION_SWEEP_EVERY = Duration.ofHours(1);

    /** How often an execution that failed unexpectedly (not by its workflow) is resumed in place. */
    private static final int MAX_RESUMES = 3;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final java.util.regex.Pattern ID =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final StateStore store;
    private final EngineTaskInvoker engineTasks;
    private final ActivityTaskInvoker tasks;
    private final TaskQueue activities;
    private final DurableWorkflows durable;
    private final Schedules schedules;
    private final MeterRegistry meters;
    private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, String> workflowOf = new ConcurrentHashMap<>();
    private final Map<String, WorkflowMetrics> metrics = new ConcurrentHashMap<>();
    private final Map<String, List<BiConsumer<HistoryEvent, ExecutionState>>> subscribers = new ConcurrentHashMap<>();
    private final Object starting = new Object();
    /**
     * Released by {@link #close}: the schedules' ticker and the history sweeper wait on it between rounds (never
     * interrupted: an interrupt in the middle of a store's file I/O would close its channel).
     */
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

    private volatile boolean closed;

    /**
     * @param baseDir where relative plugin files and {@code pipeline:} files of definitions are resolved (the
     *                server's working directory)
     */
    public ServerWorkflows(Engine engine, StateStore store, MeterRegistry meters, Path baseDir) {
        this.store = store;
        this.meters = meters;
        this.engineTasks = new EngineTaskInvoker(engine, baseDir);
        this.activities = new TaskQueue(store, InstantSource.system());
        this.tasks = new ActivityTaskInvoker(activities, engineTasks, engineTasks);
        this.durable = new DurableWorkflows(
                // an execution's tasks share the queue fairly as their workflow's (one workflow's backlog does not
                // hold back another's tasks of the same priority)
                new StoreHistory(store, StoreHistory.DEFAULT_SNAPSHOT_EVERY, activities).groupTasksBy(workflowOf::get),
                tasks,
                WorkflowClock.SYSTEM);
        this.durable.engine().onEvent(this::event);
        this.schedules = new Schedules(store);
    }

    /**
     * Resumes every execution not finished (and starts those whose start was recorded but not begun), then starts
     * the schedules' ticker.
     */
    public void boot() {
        store.list(EXECUTIONS).forEach((name, json) -> {
            workflowOf.put(name, read(json).path("workflow").asText());
            if (!status(name).finished()) launch(name, read(json));
        });
        Thread.ofVirtual().name("workflow-schedules").start(() -> {
            while (!closed) {
                try {
                    tickSchedules(Instant.now());
                } catch (RuntimeException e) {
                    LOG.warn("the workflow schedules' tick failed: {}", e.toString());
                }
                try {
                    if (closing.await(SCHEDULE_TICK.toMillis(), TimeUnit.MILLISECONDS)) return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    // ---- schedules -----------------------------------------------------------------------------------------

    /** Starts the server's pipeline tasks for schedules of tasks. */
    public interface PipelineTasks {
        /** Whether the server has the task {@code id}. */
        boolean exists(String id);

        /**
         * Starts the task {@code id} (as {@code POST /api/tasks/{id}/start} does).
         *
         * @return null when it started, or why not because it is still running
         * @throws RuntimeException when it cannot start for another reason (the fire is tried again)
         */
        String start(String id);
    }

    private volatile PipelineTasks pipelineTasks;

    /** Lets schedules name pipeline tasks ({@code "task"}): they start them through {@code tasks}. */
    public void startTasksWith(PipelineTasks tasks) {
        this.pipelineTasks = tasks;
    }

    /**
     * Creates (or replaces, keeping the fire time it handled last) the schedule {@code id} of a workflow's executions
     * or (when {@code task} is given instead of {@code workflow}) of a pipeline task's runs.
     *
     * @param timezone the IANA time zone whose wall time {@code cron} reads (null: UTC)
     * @return whether it is new
     * @throws InvalidWorkflowException for a bad id, cron expression, time zone or policy, or not exactly one of
     *                                  workflow and task
     * @throws WorkflowNotFoundException when the workflow or task is not there
     */
    public boolean putSchedule(
            String id, String workflow, String task, String cron, String timezone, JsonNode input, String missed) {
        if ((workflow == null) == (task == null))
            throw new InvalidWorkflowException(
                    workflow == null
                            ? "a schedule needs 'workflow' or 'task'"
                            : "give exactly one of 'workflow' and 'task', not both");
        if (workflow != null) workflow(workflow);
        else if (pipelineTasks == null || !pipelineTasks.exists(task))
            throw new WorkflowNotFoundException("no task '" + task + "'");
        Schedules.Missed policy;
        try {
            policy = Schedules.Missed.of(missed == null ? "skip" : missed);
            CronExpression.parse(cron);
            Schedules.zone(timezone);
        } catch (IllegalArgumentException e) {
            throw new InvalidWorkflowException(e.getMessage());
        }
        if (!Schedules.ID.matcher(id).matches())
            throw new InvalidWorkflowException(
                    "schedule id must be 1 to 100 letters, digits, '.', '_' or '-' (not first), got '" + id + "'");
        synchronized (starting) {
            Optional<Schedules.Schedule> old = schedules.get(id);
            Instant now = Instant.now();
            schedules.put(new Schedules.Schedule(
                    id,
                    workflow,
                    task,
                    cron.trim(),
                    timezone,
                    input == null ? MAPPER.createObjectNode() : input,
                    policy,
                    old.map(Schedules.Schedule::createdAt).orElse(now),
                    old.map(Schedules.Schedule::lastFire).orElse(now),
                    null));
            return old.isEmpty();
        }
    }

    /** The schedule {@code id}: {@code {"id", "workflow" or "task", "cron", "timezone", "input", "missed", "createdAt", "lastFire", "nextRun", "lastError"}}. */
    public ObjectNode schedule(String id) {
        return schedules
                .get(id)
                .map(ServerWorkflows::view)
                .orElseThrow(() -> new WorkflowNotFoundException("no schedule '" + id + "'"));
    }

    /** Every schedule, by id. */
    public List<ObjectNode> schedules() {
        List<ObjectNode> out = new ArrayList<>();
        schedules.list().forEach(s -> out.add(view(s)));
        return out;
    }

    /** @throws WorkflowNotFoundException when there is no such schedule */
    public void deleteSchedule(String id) {
        if (!schedules.delete(id)) throw new WorkflowNotFoundException("no schedule '" + id + "'");
    }

    /** Starts the schedules' runs due at {@code now} (the ticker calls it with the current time). */
    public Map<String, Schedules.Tick> tickSchedules(Instant now) {
        return schedules.tick(now, new Schedules.Starter() {
            @Override
            public void start(String workflow, String execution, JsonNode input) {
                ServerWorkflows.this.start(workflow, execution, input);
            }

            @Override
            public String startTask(String task, String run) {
                PipelineTasks tasks = pipelineTasks;
                if (tasks == null) throw new IllegalStateException("this server starts no pipeline tasks");
                return tasks.start(task);
            }
        });
    }

    private static ObjectNode view(Schedules.Schedule s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", s.id());
        if (s.workflow() != null) o.put("workflow", s.workflow());
        if (s.task() != null) o.put("task", s.task());
        o.put("cron", s.cron());
        o.put("timezone", s.zone().getId());
        o.set("input", s.input());
        o.put("missed", s.missed().wireName());
        o.put("createdAt", s.createdAt().toString());
        o.put("lastFire", s.lastFire().toString());
        o.put(
                "nextRun",
                Schedules.nextRun(s, Instant.now()).map(Instant::toString).orElse(null));
        o.put("lastError", s.lastError());
        return o;
    }

    // ---- definitions ---------------------------------------------------------------------------------------

    /**
     * Registers (or replaces) a workflow from a request body {@code {"id": ..., "definition": {...} or "text"}}.
     *
     * @return the workflow's id and whether it was new
     * @throws InvalidWorkflowException with every problem located in {@code body} (or in the definition's text)
     */
    public Registered register(String body) {
        LocatedJson doc;
        try {
            doc = LocatedJson.read(body, "request", false);
        } catch (InvalidDefinitionException e) {
            throw new InvalidWorkflowException("the body is not JSON", e.problems());
        }
        JsonNode root = doc.root();
        if (root == null || !root.isObject())
            throw new InvalidWorkflowException("the body must be a JSON object {\"id\": ..., \"definition\": {...}}");
        String id = root.path("id").isTextual() ? root.path("id").asText() : null;
        if (id == null || !ID.matcher(id).matches())
            throw new InvalidWorkflowException(
                    "id must be 1 to 128 letters, digits, '.', '_' or '-' (not first)," + " got " + root.path("id"));
        JsonNode def = root.get("definition");
        if (def == null || !(def.isObject() || def.isTextual()))
            throw new InvalidWorkflowException(
                    "definition must be the ASL definition (a JSON object, or its JSON or" + " YAML text)");
        try {
            if (def.isObject()) Definitions.check(doc.subtree("/definition"), tasks);
            else parse(def, "definition");
        } catch (InvalidDefinitionException e) {
            throw new InvalidWorkflowException(
                    "workflow '" + id + "' does not validate: " + e.problems().size() + " problem(s)", e.problems());
        }
        ObjectNode rec = MAPPER.createObjectNode();
        rec.put("id", id);
        rec.set("definition", def);
        rec.put("registeredAt", Instant.now().toString());
        synchronized (starting) {
            boolean fresh = store.get(DEFINITIONS, id).isEmpty();
            store.put(DEFINITIONS, id, rec.toString());
            return new Registered(id, fresh);
        }
    }

    /** A registered workflow's id and whether it was new. */
    public record Registered(String id, boolean created) {}

    /** The registered workflows, by id: {@code {"id", "definition", "registeredAt"}}. */
    public List<JsonNode> workflows() {
        List<JsonNode> out = new ArrayList<>();
        store.list(DEFINITIONS).values().forEach(json -> out.add(read(json)));
        return out;
    }

    /** The workflow {@code id}: {@code {"id", "definition", "registeredAt"}}. */
    public JsonNode workflow(String id) {
        // never stored under an id that is not one (and the store may refuse such keys): not found
        if (!ID.matcher(id).matches()) throw new WorkflowNotFoundException("no workflow '" + id + "'");
        return store.get(DEFINITIONS, id)
                .map(ServerWorkflows::read)
                .orElseThrow(() -> new WorkflowNotFoundException("no workflow '" + id + "'"));
    }

    // ---- executions ----------------------------------------------------------------------------------------

    /** A started (or found) execution: its name and whether this call created it. */
    public record Started(String execution, String workflow, boolean created) {}

    /**
     * Starts an execution of {@code workflow}, idempotent by name: an execution of that name already started
     * (running or finished) is answered as it is, nothing is started again.
     *
     * @param name the execution's name, or null for a random one
     * @throws WorkflowConflictException when the name belongs to another workflow's execution
     */
    public Started start(String workflow, String name, JsonNode input) {
        if (closed) throw new WorkflowConflictException("the server is stopping");
        JsonNode def = workflow(workflow).get("definition");
        String execution = name == null ? UUID.randomUUID().toString() : name;
        if (!ID.matcher(execution).matches())
            throw new InvalidWorkflowException(
                    "name must be 1 to 128 letters, digits, '.', '_' or '-' (not first)," + " got '" + execution + "'");
        synchronized (starting) {
            Optional<String> known = store.get(EXECUTIONS, execution);
            if (known.isPresent()) {
                String owner = read(known.get()).path("workflow").asText();
                if (!owner.equals(workflow))
                    throw new WorkflowConflictException(
                            "execution '" + execution + "' belongs to workflow '" + owner + "'");
                return new Started(execution, workflow, false);
            }
            if (!durable.history().read(execution).isEmpty())
                throw new WorkflowConflictException(
                        "execution '" + execution + "' exists in the state store outside the server's workflows");
            if (store.lastSequence(StoreHistory.HISTORY, execution) > 0)
                throw new WorkflowConflictException("execution '" + execution
                        + "' was used by an execution whose history was deleted: choose another name");
            ObjectNode rec = MAPPER.createObjectNode();
            rec.put("workflow", workflow);
            rec.set("definition", def);
            rec.set("input", input == null ? MAPPER.createObjectNode() : input);
            rec.put("createdAt", Instant.now().toString());
            store.put(EXECUTIONS, execution, rec.toString());
            workflowOf.put(execution, workflow);
            launch(execution, rec);
            return new Started(execution, workflow, true);
        }
    }

    /** What an execution is: {@code execution, workflow, status, input, output, error, cause, startedAt, endedAt}. */
    public ObjectNode execution(String name) {
        JsonNode rec = record(name);
        ExecutionState s = durable.history().state(name);
        ObjectNode o = MAPPER.createObjectNode();
        o.put("execution", name);
        o.put("workflow", rec.path("workflow").asText());
        o.put("status", s.status().name());
        o.set("input", s.input() != null ? s.input() : rec.path("input"));
        o.set("output", s.output());
        o.put("error", s.error());
        o.put("cause", s.cause());
        o.put("startedAt", s.startedAt() == null ? null : s.startedAt().toString());
        o.put("endedAt", s.endedAt() == null ? null : s.endedAt().toString());
        o.put("events", s.version());
        return o;
    }

    /** The executions, optionally only those of {@code workflow} and / or in {@code status}; by name. */
    public List<ObjectNode> executions(String workflow, ExecutionStatus status) {
        return executions(workflow, status, null, null);
    }

    /**
     * The executions, by name, optionally only those of {@code workflow}, in {@code status}, and started at or after
     * {@code startedAfter} and before {@code startedBefore} (an execution not started yet has no start time: a time
     * filter leaves it out): {@code {"execution", "workflow", "status", "startedAt", "endedAt"}}.
     */
    public List<ObjectNode> executions(
            String workflow, ExecutionStatus status, Instant startedAfter, Instant startedBefore) {
        Map<String, StoreHistory.Entry> registry = durable.history().registry();
        List<ObjectNode> out = new ArrayList<>();
        new TreeMap<>(store.list(EXECUTIONS)).forEach((name, json) -> {
            String owner = read(json).path("workflow").asText();
            StoreHistory.Entry e = registry.get(name);
            ExecutionStatus st = e == null ? ExecutionStatus.NOT_STARTED : e.status();
            Instant started = e == null ? null : e.startedAt();
            if (workflow != null && !workflow.equals(owner)) return;
            if (status != null && status != st) return;
            if (startedAfter != null && (started == null || started.isBefore(startedAfter))) return;
            if (startedBefore != null && (started == null || !started.isBefore(startedBefore))) return;
            ObjectNode o = MAPPER.createObjectNode();
            o.put("execution", name);
            o.put("workflow", owner);
            o.put("status", st.name());
            o.put("startedAt", started == null ? null : started.toString());
            o.put(
                    "endedAt",
                    e == null || e.endedAt() == null ? null : e.endedAt().toString());
            out.add(o);
        });
        return out;
    }

    /**
     * Redrives a FAILED, TIMED_OUT or ABORTED execution: it goes on from the state that failed, with that state's
     * input (see {@link io.dataflare.workflow.interpreter.WorkflowEngine#redrive}), on the definition it was
     * started with.
     *
     * @throws WorkflowConflictException when it is not FAILED, TIMED_OUT or ABORTED
     */
    public ObjectNode redrive(String name) {
        if (closed) throw new WorkflowConflictException("the server is stopping");
        JsonNode rec = record(name);
        StateMachine machine;
        try {
            machine = parse(rec.path("definition"), "execution " + name);
        } catch (InvalidDefinitionException e) {
            throw new WorkflowConflictException("execution '" + name
                    + "' cannot be redriven: its definition no longer validates: " + e.getMessage());
        }
        synchronized (starting) {
            try {
                durable.engine().redrive(machine, name);
            } catch (WorkflowEngine.NotRedrivableException
                    | io.dataflare.workflow.interpreter.ExecutionHistory.VersionConflictException e) {
                throw new WorkflowConflictException(e.getMessage());
            }
            launch(name, rec);
        }
        return execution(name);
    }

    /**
     * Stores the signal {@code signal} with {@code body} for the execution {@code name} of {@code workflow}: a
     * {@code "Resource": "signal:NAME"} Task takes it, also one that waits for it only later.
     *
     * @return its sequence number among the execution's signals of that name
     * @throws WorkflowNotFoundException when the workflow has no such execution
     * @throws WorkflowConflictException when the execution has ended
     */
    public long signal(String workflow, String name, String signal, JsonNode body) {
        workflow(workflow);
        JsonNode rec = record(name);
        if (!rec.path("workflow").asText().equals(workflow))
            throw new WorkflowNotFoundException("workflow '" + workflow + "' has no execution '" + name + "'");
        if (!Signals.NAME.matcher(signal).matches())
            throw new InvalidWorkflowException(
                    "signal name '" + signal + "' must be 1 to 80 letters, digits, '.', '_' or '-' (not first)");
        ExecutionStatus st = status(name);
        if (st.finished())
            throw new WorkflowConflictException(
                    "execution '" + name + "' has ended (" + st + "): it takes no more signals");
        return tasks.signals().send(name, signal, body, Instant.now());
    }

    /**
     * Deletes what is kept of the executions that finished more than {@code keep} before {@code now}: their
     * histories, their signals and the server's record of them (they are then unknown: 404).
     *
     * @return the executions deleted, by name
     */
    public List<String> sweepHistory(Duration keep, Instant now) {
        return new HistoryRetention(durable.history(), keep).sweep(now, name -> {
            tasks.signals().delete(name);
            store.delete(EXECUTIONS, name);
            workflowOf.remove(name);
        });
    }

    /**
     * Sweeps the histories older than {@code keep} now and then every {@code every} (on a daemon thread) until the
     * server closes.
     */
    public void retainHistory(Duration keep, Duration every) {
        Thread.ofVirtual().name("workflow-history-retention").start(() -> {
            while (!closed) {
                try {
                    List<String> gone = sweepHistory(keep, Instant.now());
                    if (!gone.isEmpty())
                        LOG.info(
                                "deleted the histories of {} execution(s) finished more than {} ago",
                                gone.size(),
                                keep);
                } catch (RuntimeException e) {
                    LOG.warn("the workflow history sweep failed: {}", e.toString());
                }
                try {
                    if (closing.await(every.toMillis(), TimeUnit.MILLISECONDS)) return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** The execution's history, oldest first. */
    public List<HistoryEvent> history(String name) {
        record(name);
        return durable.history().read(name);
    }

    /**
     * Stops a running execution: it ends ABORTED with {@code cause}.
     *
     * @throws WorkflowConflictException when it has ended already
     */
    public ObjectNode stop(String name, String cause) throws InterruptedException {
        record(name);
        String why = cause == null ? "stopped through the API" : cause;
        ExecutionStatus st = status(name);
        if (st.finished()) throw new WorkflowConflictException("execution '" + name + "' has ended already: " + st);
        // The abort is asked again until the execution has ended: one just started may not have reached the
        // interpreter yet, and an abort whose interrupt hits a write of the history makes it resume (see launch).
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean asked = false;
        while (!status(name).finished()) {
            asked |= durable.engine().stop(name, why);
            if (System.nanoTime() > until)
                throw new WorkflowConflictException("execution '" + name + "' "
                        + (asked ? "did not end within 10 s of its stop" : "is not running in this server"));
            Thread.sleep(50);
        }
        return execution(name);
    }

    /**
     * Calls {@code listener} with each event appended to {@code name}'s history from now on, until the returned
     * handle is closed.
     */
    public AutoCloseable subscribe(String name, BiConsumer<HistoryEvent, ExecutionState> listener) {
        record(name);
        subscribers.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> subscribers.computeIfPresent(name, (k, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    /** The status of the execution {@code name}, or empty when the server has no such execution. */
    public Optional<ExecutionStatus> knownStatus(String name) {
        if (!ID.matcher(name).matches() || store.get(EXECUTIONS, name).isEmpty()) return Optional.empty();
        return Optional.of(durable.history().statuses().getOrDefault(name, ExecutionStatus.NOT_STARTED));
    }

    /** The execution's status as stored. */
    public ExecutionStatus status(String name) {
        record(name);
        return durable.history().statuses().getOrDefault(name, ExecutionStatus.NOT_STARTED);
    }

    /** Interrupts the running executions (nothing recorded: they resume at the next start) and waits for them. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        closing.countDown();
        runs.shutdownNow();
        if (!runs.awaitTermination(30, TimeUnit.SECONDS)) LOG.warn("workflow executions did not stop within 30 s");
        engineTasks.close();
    }

    /** The queue of activity tasks external workers take ({@code /api/activities/...}). */
    public TaskQueue activities() {
        return activities;
    }

    private void launch(String name, JsonNode rec) {
        StateMachine machine;
        try {
            machine = parse(rec.path("definition"), "execution " + name);
        } catch (InvalidDefinitionException e) {
            // a plugin it uses was removed since: it waits for the next start rather than failing unseen
            LOG.error("execution '{}' cannot run: its definition no longer validates: {}", name, e.getMessage());
            return;
        }
        JsonNode input = rec.path("input");
        runs.submit(() -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    durable.run(machine, name, input);
                    return null;
                } catch (InterruptedException e) {
                    return null; // the server is stopping: the execution resumes at its next start
                } catch (StateLockedException e) {
                    LOG.warn("execution '{}' runs in another process: {}", name, e.getMessage());
                    return null;
                } catch (RuntimeException e) {
                    // e.g. a stop's interrupt that hit a write of the history: what is stored is whole, so the
                    // execution resumes from it (a few times; then it waits for the next start)
                    if (closed || attempt >= MAX_RESUMES) {
                        LOG.error("execution '{}' stopped unexpectedly; it resumes at the next start", name, e);
                        return null;
                    }
                    LOG.warn("execution '{}' stopped unexpectedly ({}); resuming it", name, e.toString());
                    Thread.interrupted(); // a stale interrupt must not end the resumed run
                    Thread.sleep(100L * attempt);
                }
            }
        });
    }

    /** A stored definition: an object, or the JSON or YAML text it was registered as. */
    private StateMachine parse(JsonNode def, String file) throws InvalidDefinitionException {
        String text = def.isTextual() ? def.asText() : def.toString();
        return Definitions.parse(
                text, file, def.isTextual() && !text.stripLeading().startsWith("{"), tasks);
    }

    private void event(HistoryEvent e, ExecutionState s) {
        String name = s.execution();
        String workflow = workflowOf.get(name);
        if (workflow != null)
            metrics.computeIfAbsent(workflow, w -> new WorkflowMetrics(meters, w))
                    .accept(e, s);
        List<BiConsumer<HistoryEvent, ExecutionState>> subs = subscribers.get(name);
        if (subs != null)
            for (var l : subs) {
                try {
                    l.accept(e, s);
                } catch (RuntimeException ex) {
                    LOG.warn("an execution event subscriber failed: {}", ex.toString());
                }
            }
    }

    private JsonNode record(String name) {
        if (!ID.matcher(name).matches()) throw new WorkflowNotFoundException("no execution '" + name + "'");
        return store.get(EXECUTIONS, name)
                .map(ServerWorkflows::read)
                .orElseThrow(() -> new WorkflowNotFoundException("no execution '" + name + "'"));
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a workflow record does not read: " + e.getOriginalMessage(), e);
        }
    }
}
