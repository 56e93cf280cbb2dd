package io.dataflare.workflow.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.workflow.definition.Catcher;
import io.dataflare.workflow.definition.ChoiceRule;
import io.dataflare.workflow.definition.DefinitionParser;
import io.dataflare.workflow.definition.Retrier;
import io.dataflare.workflow.definition.StateDefinition;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.error.ErrorNames;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.path.JsonPaths;
import io.dataflare.workflow.path.PayloadTemplate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * One execution being run (or resumed). Every step is recorded through {@link #record}: when the history
 * already holds the event (a resumed execution), the recorded one is returned and nothing is appended, so the
 * interpreter replays the past deterministically (task results, timer deadlines and retry delays come from the
 * history) and carries on live where the history ends. A state whose exit is recorded is not run again at all.
 * Branches and Map items record into scopes of their own, so their events may interleave in any order.
 */
final class Execution {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<EventType> TASK_ENDS =
            Set.of(EventType.TaskSucceeded, EventType.TaskFailed, EventType.TaskTimedOut);

    private final String name;
    private final StateMachine machine;
    private final TaskInvoker tasks;
    private final WorkflowClock clock;
    private final ExecutionHistory history;
    private final BiConsumer<HistoryEvent, ExecutionState> listener;
    /** The events recorded since the history was last written, each with the state after it. */
    private final List<Recorded> unsaved = new ArrayList<>();
    /** The version of the history as written. */
    private long savedVersion;
    /** The recorded events not replayed yet, by scope. */
    private final Map<String, ArrayDeque<HistoryEvent>> replay = new HashMap<>();

    /** The top-level states that completed and name a compensation, in the order they completed. */
    private final List<Completed> compensable = new ArrayList<>();

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private ExecutionState state;
    private volatile String abortCause;
    private volatile Instant deadline;
    private JsonNode executionInput;
    private Instant startTime;
    /** The execution's first event (ExecutionStarted), when it is resumed. */
    private final HistoryEvent origin;
    /** The latest ExecutionRedriven event: the run goes on from its state with its input (null: from StartAt). */
    private final HistoryEvent redrive;
    /**
     * How many states the top level and the compensation scope entered before the latest redrive: their steps go
     * on from there, so that the tasks of a redriven run get idempotency keys of their own.
     */
    private final int topSteps;

    private final int compensationSteps;

    Execution(
            String name,
            StateMachine machine,
            TaskInvoker tasks,
            WorkflowClock clock,
            ExecutionHistory history,
            List<HistoryEvent> past,
            ExecutionState folded,
            BiConsumer<HistoryEvent, ExecutionState> listener) {
        this.name = name;
        this.machine = machine;
        this.tasks = tasks;
        this.clock = clock;
        this.history = history;
        this.listener = listener;
        this.state = folded;
        this.savedVersion = folded.version();
        int from = 0;
        for (int i = 0; i < past.size(); i++) if (past.get(i).type() == EventType.ExecutionRedriven) from = i + 1;
        this.origin = past.isEmpty() ? null : past.get(0);
        this.redrive = from == 0 ? null : past.get(from - 1);
        int top = 0, comp = 0;
        for (HistoryEvent e : past.subList(0, from)) {
            if (e.type() != EventType.StateEntered) continue;
            if (e.scope().isEmpty()) top++;
            else if (e.scope().equals(COMPENSATION_SCOPE)) comp++;
        }
        this.topSteps = top;
        this.compensationSteps = comp;
        // a redriven execution replays only what happened since its latest redrive: the run before it ended
        for (HistoryEvent e : past.subList(from, past.size()))
            replay.computeIfAbsent(e.scope(), k -> new ArrayDeque<>()).add(e);
    }

    /** Thrown through the interpreter when the execution must end without an error of its own: aborted or timed out. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final ExecutionStatus status;
        final String cause;

        Stop(ExecutionStatus status, String cause) {
            super(cause, null, false, false);
            this.status = status;
            this.cause = cause;
        }
    }

    /** A scope's id and how many states it has entered (which names its branches' scopes). */
    private static final class Scope {
        final String id;
        int steps;

        Scope(String id) {
            this(id, 0);
        }

        Scope(String id, int steps) {
            this.id = id;
            this.steps = steps;
        }
    }

    /** An event recorded and not written yet, with the execution's state after it (for the listener). */
    private record Recorded(HistoryEvent event, ExecutionState state) {}

    /** Where compensations are recorded. */
    static final String COMPENSATION_SCOPE = "/compensation";

    /** A completed state to compensate: its name, its compensation's and its output (the compensation's input). */
    private record Completed(String state, String compensation, JsonNode output) {}

    /** What a state did: its output and where to go (null: its machine ends). */
    private record Outcome(JsonNode output, String next) {}

    ExecutionResult run(JsonNode input) throws InterruptedException {
        threads.add(Thread.currentThread());
        try {
            HistoryEvent started = redrive != null
                    ? origin
                    : record(HistoryEvent.of(EventType.ExecutionStarted, "", null)
                            .withExecution(name)
                            .withInput(input));
            executionInput = started.input();
            startTime = started.timestamp();
            // a redriven execution has its TimeoutSeconds again, counted from the redrive
            Instant counted = redrive != null ? redrive.timestamp() : startTime;
            if (machine.timeoutSeconds() != null) deadline = counted.plusSeconds(machine.timeoutSeconds());
            String first = redrive != null && redrive.state() != null ? redrive.state() : machine.startAt();
            JsonNode firstInput = redrive != null && redrive.state() != null ? redrive.input() : executionInput;
            StatesError failure = null;
            try {
                JsonNode out = runMachine(machine, new Scope("", topSteps), first, firstInput);
                record(HistoryEvent.of(EventType.ExecutionSucceeded, "", null).withOutput(out));
            } catch (StatesError e) {
                failure = e;
            } catch (Stop s) {
                stopped(s);
            }
            if (failure != null) {
                try {
                    String report = compensate();
                    record(HistoryEvent.of(EventType.ExecutionFailed, "", null)
                            .withError(failure.error(), failure.causeText() + report));
                } catch (Stop s) {
                    stopped(s);
                }
            }
            save();
            return state.result();
        } finally {
            threads.remove(Thread.currentThread());
            workers.shutdownNow();
        }
    }

    private void stopped(Stop s) {
        EventType t = s.status == ExecutionStatus.TIMED_OUT ? EventType.ExecutionTimedOut : EventType.ExecutionAborted;
        String error = s.status == ExecutionStatus.TIMED_OUT ? ErrorNames.TIMEOUT : "States.Aborted";
        record(HistoryEvent.of(t, "", null).withError(error, s.cause));
    }

    /**
     * The saga's rollback: runs the compensation of every top-level state that completed, latest first, each alone
     * in the scope {@value #COMPENSATION_SCOPE}. It is recorded like any state, so after a crash a compensation
     * whose exit is recorded is not run again and one that failed fails again from its recorded events; a failed
     * compensation does not stop the others.
     *
     * @return what to add to the execution's cause: which compensations ran and which failed (empty: none)
     */
    private String compensate() throws InterruptedException {
        if (compensable.isEmpty()) return "";
        Scope scope = new Scope(COMPENSATION_SCOPE, compensationSteps);
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (int i = compensable.size() - 1; i >= 0; i--) {
            Completed c = compensable.get(i);
            StateDefinition s = machine.state(c.compensation());
            HistoryEvent entered = record(
                    HistoryEvent.of(EventType.StateEntered, scope.id, s.name()).withInput(c.output()));
            int step = scope.steps++;
            if (recordedExit(scope.id, s.name()) == null) {
                try {
                    Outcome o = execute(s, scope, step, c.output(), entered.timestamp());
                    record(HistoryEvent.of(EventType.StateExited, scope.id, s.name())
                            .withOutput(o.output()));
                } catch (StatesError e) {
                    failed.add(s.name() + " of " + c.state() + " failed: " + e.getMessage());
                    continue;
                }
            }
            done.add(s.name() + " of " + c.state());
        }
        StringBuilder report = new StringBuilder(" (compensated: ");
        report.append(done.isEmpty() ? "none" : String.join(", ", done));
        if (!failed.isEmpty()) report.append("; ").append(String.join("; ", failed));
        return report.append(')').toString();
    }

    void abort(String cause) {
        abortCause = cause == null ? "stopped" : cause;
        threads.forEach(Thread::interrupt);
    }

    // ---- the history ------------------------------------------------------------------------------------

    /**
     * Records {@code template} (numbered and timed now), or returns its recorded twin when replaying. A new event
     * is written to the history by the next {@link #save}: the events of a step go in one append.
     */
    private synchronized HistoryEvent record(HistoryEvent template) {
        ArrayDeque<HistoryEvent> q = replay.get(template.scope());
        if (q != null && !q.isEmpty()) {
            HistoryEvent r = q.peekFirst();
            if (r.type() == template.type() && Objects.equals(r.state(), template.state())) return q.pollFirst();
            throw new IllegalStateException(
                    "the history of execution '" + name + "' does not match its definition: event "
                            + r.sequence() + " is " + r.type() + (r.state() == null ? "" : " of '" + r.state() + "'")
                            + " where the definition leads to " + template.type()
                            + (template.state() == null ? "" : " of '" + template.state() + "'"));
        }
        HistoryEvent e = template.numbered(state.version() + 1, clock.now());
        state = state.apply(e);
        unsaved.add(new Recorded(e, state));
        return e;
    }

    /**
     * Writes the events recorded since the last save in one append, then tells the listener about them. Called
     * before every effect outside the history that a resumed execution must see recorded (a task's call, which
     * needs its TaskStarted and pending task durable; a timer's sleep, which needs its fireAt durable) and at
     * the end. Events lost by a crash before their save are only the deterministic steps since the previous
     * one, and a task's result, which at-least-once allows to be run again: the history stays a prefix of the
     * run.
     */
    private synchronized void save() {
        if (unsaved.isEmpty()) return;
        List<HistoryEvent> events = new ArrayList<>(unsaved.size());
        for (Recorded r : unsaved) events.add(r.event());
        history.appendAll(name, savedVersion, events);
        savedVersion = events.get(events.size() - 1).sequence();
        List<Recorded> saved = List.copyOf(unsaved);
        unsaved.clear();
        for (Recorded r : saved) listener.accept(r.event(), r.state());
    }

    /** The next recorded event of the scope when it is one of {@code types} (taken), else null. */
    private synchronized HistoryEvent takeIf(String scope, Set<EventType> types) {
        ArrayDeque<HistoryEvent> q = replay.get(scope);
        if (q == null || q.isEmpty() || !types.contains(q.peekFirst().type())) return null;
        return q.pollFirst();
    }

    /** The recorded exit of the state just entered in {@code scope} (dropping its recorded inner events), or null. */
    private synchronized HistoryEvent recordedExit(String scope, String stateName) {
        ArrayDeque<HistoryEvent> q = replay.get(scope);
        if (q == null) return null;
        HistoryEvent exit = null;
        for (HistoryEvent e : q) {
            if (e.type() == EventType.StateEntered) return null;
            if (e.type() == EventType.StateExited && stateName.equals(e.state())) {
                exit = e;
                break;
            }
        }
        if (exit == null) return null;
        for (Iterator<HistoryEvent> it = q.iterator(); it.hasNext(); ) {
            HistoryEvent e = it.next();
            it.remove();
            if (e == exit) break;
        }
        return exit;
    }

    // ---- machines and states ----------------------------------------------------------------------------

    private JsonNode runMachine(StateMachine m, Scope scope, JsonNode input) throws StatesError, InterruptedException {
        return runMachine(m, scope, m.startAt(), input);
    }

    private JsonNode runMachine(StateMachine m, Scope scope, String start, JsonNode input)
            throws StatesError, InterruptedException {
        String current = start;
        JsonNode data = input;
        while (true) {
            checkStop();
            StateDefinition s = m.state(current);
            HistoryEvent entered = record(
                    HistoryEvent.of(EventType.StateEntered, scope.id, current).withInput(data));
            int step = scope.steps++;
            HistoryEvent exit = recordedExit(scope.id, current);
            Outcome o;
            if (exit != null) {
                o = new Outcome(exit.output(), exit.next());
            } else {
                o = execute(s, scope, step, data, entered.timestamp());
                record(HistoryEvent.of(EventType.StateExited, scope.id, current)
                        .withOutput(o.output())
                        .withNext(o.next()));
            }
            if (s.compensate() != null && scope.id.isEmpty())
                compensable.add(new Completed(current, s.compensate(), o.output()));
            if (o.next() == null) return o.output();
            data = o.output();
            current = o.next();
        }
    }

    private Outcome execute(StateDefinition s, Scope scope, int step, JsonNode raw, Instant entered)
            throws StatesError, InterruptedException {
        ObjectNode ctx = context(s, entered, 0);
        String next = s.end() ? null : s.next();
        switch (s.type()) {
            case Pass -> {
                JsonNode in = inputPath(s, raw, ctx);
                JsonNode effective = s.parameters() == null ? in : PayloadTemplate.apply(s.parameters(), in, ctx);
                JsonNode result = s.result() != null ? s.result() : effective;
                return new Outcome(outputPath(s, JsonPaths.put(s.resultPath(), raw, result), ctx), next);
            }
            case Succeed -> {
                return new Outcome(outputPath(s, inputPath(s, raw, ctx), ctx), null);
            }
            case Fail -> {
                String error = s.errorPath() != null
                        ? text(PayloadTemplate.select(s.errorPath(), raw, ctx), "ErrorPath")
                        : s.error();
                String cause = s.causePath() != null
                        ? text(PayloadTemplate.select(s.causePath(), raw, ctx), "CausePath")
                        : s.cause();
                throw new StatesError(error == null ? "States.Fail" : error, cause);
            }
            case Choice -> {
                JsonNode in = inputPath(s, raw, ctx);
                for (ChoiceRule r : s.choices()) {
                    if (r.condition().test(in, ctx)) return new Outcome(outputPath(s, in, ctx), r.next());
                }
                if (s.defaultNext() != null) return new Outcome(outputPath(s, in, ctx), s.defaultNext());
                throw new StatesError(
                        ErrorNames.NO_CHOICE_MATCHED,
                        "no Choice rule of state '" + s.name() + "' matched and it has no Default");
            }
            case Wait -> {
                JsonNode in = inputPath(s, raw, ctx);
                Instant fireAt = fireAt(s, in, ctx, entered);
                HistoryEvent started = record(HistoryEvent.of(EventType.WaitStarted, scope.id, s.name())
                        .withFireAt(fireAt));
                if (takeIf(scope.id, Set.of(EventType.WaitFired)) == null) {
                    sleepUntil(started.fireAt());
                    record(HistoryEvent.of(EventType.WaitFired, scope.id, s.name()));
                }
                return new Outcome(outputPath(s, in, ctx), next);
            }
            default -> {
                return withRetryAndCatch(s, scope, step, raw, entered, next);
            }
        }
    }

    /** Task, Parallel and Map: their work, retried and caught as their Retry and Catch say. */
    private Outcome withRetryAndCatch(
            StateDefinition s, Scope scope, int step, JsonNode raw, Instant entered, String next)
            throws StatesError, InterruptedException {
        int[] retries = new int[s.retry().size()];
        int attempt = 0;
        while (true) {
            ObjectNode ctx = context(s, entered, attempt);
            try {
                JsonNode in = inputPath(s, raw, ctx);
                JsonNode result = switch (s.type()) {
                    case Task -> task(s, scope, step, attempt, in, ctx);
                    case Parallel -> parallel(s, scope, step, attempt, in, ctx);
                    case Map -> map(s, scope, step, attempt, in, ctx);
                    default -> throw new IllegalStateException(s.type() + " has no work");
                };
                if (s.resultSelector() != null) result = PayloadTemplate.apply(s.resultSelector(), result, ctx);
                return new Outcome(outputPath(s, JsonPaths.put(s.resultPath(), raw, result), ctx), next);
            } catch (StatesError e) {
                int r = matching(s.retry().stream().map(Retrier::errorEquals).toList(), e);
                if (r >= 0 && retries[r] < s.retry().get(r).maxAttempts()) {
                    Retrier retrier = s.retry().get(r);
                    retries[r]++;
                    long delay = retrier.delayMillis(retries[r]);
                    if (retrier.jitter() == Retrier.Jitter.FULL)
                        delay = ThreadLocalRandom.current().nextLong(delay + 1);
                    HistoryEvent scheduled = record(HistoryEvent.of(EventType.RetryScheduled, scope.id, s.name())
                            .withAttempt(attempt + 1)
                            .withFireAt(clock.now().plusMillis(delay))
                            .withError(e.error(), e.causeText()));
                    sleepUntil(scheduled.fireAt());
                    attempt++;
                    continue;
                }
                int c = matching(s.catchers().stream().map(Catcher::errorEquals).toList(), e);
                if (c < 0) throw e;
                Catcher catcher = s.catchers().get(c);
                ObjectNode errorOutput = F.objectNode().put("Error", e.error()).put("Cause", e.causeText());
                return new Outcome(JsonPaths.put(catcher.resultPath(), raw, errorOutput), catcher.next());
            }
        }
    }

    private static int matching(List<List<String>> errorEquals, StatesError e) {
        for (int i = 0; i < errorEquals.size(); i++) if (ErrorNames.matches(errorEquals.get(i), e.error())) return i;
        return -1;
    }

    private JsonNode task(StateDefinition s, Scope scope, int step, int attempt, JsonNode in, ObjectNode ctx)
            throws StatesError, InterruptedException {
        String key = name + ":" + scope.id + "/" + step + "/" + s.name() + "#" + attempt;
        // $$.Task.IdempotencyKey: how a plugin of any language gets the key (Parameters puts it in its record)
        ObjectNode taskCtx = ctx.putObject("Task").put("IdempotencyKey", key);
        if (s.resource().endsWith(DefinitionParser.WAIT_FOR_TASK_TOKEN)) {
            String token = tasks.callbackToken(key);
            if (token == null)
                throw StatesError.runtime("state '" + s.name() + "': " + s.resource()
                        + " needs a durable task queue to wait on (run it in the server or on a StoreHistory)");
            // $$.Task.Token: what the plugin or the caller gives back to POST /api/tasks/token/{token}/success
            taskCtx.put("Token", token);
        }
        JsonNode effective = s.parameters() == null ? in : PayloadTemplate.apply(s.parameters(), in, ctx);
        record(HistoryEvent.of(EventType.TaskScheduled, scope.id, s.name())
                .withInput(effective)
                .withAttempt(attempt)
                .withTask(s.resource(), key)
                .withHeartbeatSeconds(s.heartbeatSeconds())
                .withPriority(s.priority()));
        record(HistoryEvent.of(EventType.TaskStarted, scope.id, s.name())
                .withAttempt(attempt)
                .withTask(s.resource(), key));
        HistoryEvent done = takeIf(scope.id, TASK_ENDS);
        if (done == null) {
            Integer timeout = s.timeoutSeconds();
            if (s.timeoutSecondsPath() != null) {
                JsonNode t = JsonPaths.read(s.timeoutSecondsPath(), in, ctx);
                if (!t.isIntegralNumber() || t.longValue() <= 0)
                    throw StatesError.runtime("TimeoutSecondsPath '" + s.timeoutSecondsPath() + "' selects " + t
                            + ", not a positive integer");
                timeout = t.intValue();
            }
            HistoryEvent base = HistoryEvent.of(EventType.TaskSucceeded, scope.id, s.name())
                    .withAttempt(attempt)
                    .withTask(s.resource(), key);
            TaskRequest request = new TaskRequest(name, s.name(), s.resource(), effective, key, attempt);
            save();
            try {
                done = record(base.withOutput(call(request, timeout)));
            } catch (StatesError e) {
                done = record(eventOf(base, EventType.TaskFailed).withError(e.error(), e.causeText()));
            } catch (TimeoutException e) {
                done = record(eventOf(base, EventType.TaskTimedOut)
                        .withError(ErrorNames.TIMEOUT, "the task took longer than TimeoutSeconds=" + timeout));
            }
        }
        return switch (done.type()) {
            case TaskSucceeded -> done.output();
            default -> throw new StatesError(done.error(), done.cause());
        };
    }

    private static HistoryEvent eventOf(HistoryEvent base, EventType type) {
        HistoryEvent e = HistoryEvent.of(type, base.scope(), base.state()).withTask(base.resource(), base.taskKey());
        return base.attempt() == null ? e : e.withAttempt(base.attempt());
    }

    private JsonNode call(TaskRequest request, Integer timeoutSeconds)
            throws StatesError, InterruptedException, TimeoutException {
        Future<JsonNode> f = workers.submit(() -> tasks.invoke(request));
        try {
            return timeoutSeconds == null ? f.get() : f.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof StatesError se) throw se;
            if (t instanceof InterruptedException ie) throw stopOr(ie);
            throw new StatesError(ErrorNames.TASK_FAILED, String.valueOf(t), t);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            f.cancel(true);
            throw stopOr(e);
        }
    }

    private JsonNode parallel(StateDefinition s, Scope scope, int step, int attempt, JsonNode in, ObjectNode ctx)
            throws StatesError, InterruptedException {
        JsonNode effective = s.parameters() == null ? in : PayloadTemplate.apply(s.parameters(), in, ctx);
        List<Future<JsonNode>> futures = new ArrayList<>();
        for (int i = 0; i < s.branches().size(); i++) {
            int index = i;
            StateMachine branch = s.branches().get(i);
            futures.add(workers.submit(() -> child(
                    scope,
                    step,
                    attempt,
                    index,
                    branch,
                    effective,
                    EventType.BranchStarted,
                    EventType.BranchFinished,
                    null)));
        }
        return collect(futures);
    }

    private JsonNode map(StateDefinition s, Scope scope, int step, int attempt, JsonNode in, ObjectNode ctx)
            throws StatesError, InterruptedException {
        JsonNode items = JsonPaths.read(s.itemsPath(), in, ctx);
        if (!items.isArray())
            throw StatesError.runtime("ItemsPath '" + s.itemsPath() + "' of state '" + s.name() + "' selects "
                    + JsonPaths.preview(items) + ", not an array");
        Semaphore slots = s.maxConcurrency() > 0 ? new Semaphore(s.maxConcurrency()) : null;
        List<Future<JsonNode>> futures = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ObjectNode itemCtx = ctx.deepCopy();
            itemCtx.putObject("Map").putObject("Item").put("Index", i).set("Value", items.get(i));
            JsonNode itemInput =
                    s.itemSelector() == null ? items.get(i) : PayloadTemplate.apply(s.itemSelector(), in, itemCtx);
            int index = i;
            futures.add(workers.submit(() -> child(
                    scope,
                    step,
                    attempt,
                    index,
                    s.itemProcessor(),
                    itemInput,
                    EventType.IterationStarted,
                    EventType.IterationFinished,
                    slots)));
        }
        return collect(futures);
    }

    private JsonNode child(
            Scope parent,
            int step,
            int attempt,
            int index,
            StateMachine m,
            JsonNode input,
            EventType start,
            EventType end,
            Semaphore slots)
            throws StatesError, InterruptedException {
        threads.add(Thread.currentThread());
        if (slots != null) slots.acquire();
        try {
            String id = parent.id + "/" + step + "." + attempt + "." + index;
            record(HistoryEvent.of(start, id, null).withIndex(index).withInput(input));
            try {
                JsonNode out = runMachine(m, new Scope(id), input);
                record(HistoryEvent.of(end, id, null).withIndex(index).withOutput(out));
                return out;
            } catch (StatesError e) {
                record(HistoryEvent.of(end, id, null).withIndex(index).withError(e.error(), e.causeText()));
                throw e;
            }
        } finally {
            if (slots != null) slots.release();
            threads.remove(Thread.currentThread());
        }
    }

    /**
     * Every branch's or item's output in order. All of them run to their end, and the failure of the lowest
     * failed index is the state's, so that a replay fails the same way whatever order they finished in.
     */
    private JsonNode collect(List<Future<JsonNode>> futures) throws StatesError, InterruptedException {
        List<JsonNode> outputs = new ArrayList<>();
        StatesError failure = null;
        RuntimeException stop = null;
        for (Future<JsonNode> f : futures) {
            try {
                outputs.add(f.get());
            } catch (ExecutionException e) {
                Throwable t = e.getCause();
                if (t instanceof StatesError se && failure == null) failure = se;
                else if (t instanceof RuntimeException re && stop == null) stop = re;
                else if (t instanceof InterruptedException ie) throw stopOr(ie);
            } catch (InterruptedException e) {
                futures.forEach(x -> x.cancel(true));
                throw stopOr(e);
            }
        }
        if (stop != null) throw stop;
        if (failure != null) throw failure;
        return F.arrayNode().addAll(outputs);
    }

    // ---- data and time ----------------------------------------------------------------------------------

    private ObjectNode context(StateDefinition s, Instant entered, int retryCount) {
        ObjectNode ctx = F.objectNode();
        ObjectNode exec = ctx.putObject("Execution");
        exec.put("Id", name).put("Name", name).put("StartTime", String.valueOf(startTime));
        exec.set("Input", executionInput);
        ctx.putObject("StateMachine").put("Id", "workflow").put("Name", "workflow");
        ctx.putObject("State")
                .put("Name", s.name())
                .put("EnteredTime", entered.toString())
                .put("RetryCount", retryCount);
        return ctx;
    }

    private static JsonNode inputPath(StateDefinition s, JsonNode raw, JsonNode ctx) throws StatesError {
        return s.inputPath() == null ? F.objectNode() : JsonPaths.read(s.inputPath(), raw, ctx);
    }

    private static JsonNode outputPath(StateDefinition s, JsonNode out, JsonNode ctx) throws StatesError {
        return s.outputPath() == null ? F.objectNode() : JsonPaths.read(s.outputPath(), out, ctx);
    }

    private static String text(JsonNode n, String field) throws StatesError {
        if (!n.isTextual()) throw StatesError.runtime(field + " selects " + n + ", not a string");
        return n.textValue();
    }

    private static Instant fireAt(StateDefinition s, JsonNode in, JsonNode ctx, Instant entered) throws StatesError {
        if (s.seconds() != null) return entered.plusSeconds(s.seconds());
        if (s.timestamp() != null) return OffsetDateTime.parse(s.timestamp()).toInstant();
        if (s.secondsPath() != null) {
            JsonNode v = JsonPaths.read(s.secondsPath(), in, ctx);
            if (!v.isIntegralNumber() || v.longValue() < 0)
                throw StatesError.runtime(
                        "SecondsPath '" + s.secondsPath() + "' selects " + v + ", not a non-negative integer");
            return entered.plusSeconds(v.longValue());
        }
        JsonNode v = JsonPaths.read(s.timestampPath(), in, ctx);
        try {
            if (v.isTextual()) return OffsetDateTime.parse(v.textValue()).toInstant();
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw StatesError.runtime(
                "TimestampPath '" + s.timestampPath() + "' selects " + v + ", not an RFC 3339 timestamp");
    }

    /** Waits for a timer, ending the execution instead when its TimeoutSeconds come first or it is aborted. */
    private void sleepUntil(Instant time) throws InterruptedException {
        save();
        Instant limit = deadline;
        try {
            if (limit != null && time.isAfter(limit)) {
                clock.sleepUntil(limit);
                checkStop();
            }
            clock.sleepUntil(time);
        } catch (InterruptedException e) {
            throw stopOr(e);
        }
        checkStop();
    }

    private void checkStop() {
        if (abortCause != null) throw new Stop(ExecutionStatus.ABORTED, abortCause);
        Instant limit = deadline;
        if (limit != null && !clock.now().isBefore(limit))
            throw new Stop(
                    ExecutionStatus.TIMED_OUT,
                    "the execution took longer than TimeoutSeconds="
                            + Duration.between(startTime, limit).toSeconds());
    }

    /** An interrupt caused by {@link #abort} ends the execution; any other is the caller's. */
    private InterruptedException stopOr(InterruptedException e) {
        if (abortCause != null) throw new Stop(ExecutionStatus.ABORTED, abortCause);
        return e;
    }
}
