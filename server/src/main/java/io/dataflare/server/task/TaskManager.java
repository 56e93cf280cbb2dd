package io.dataflare.server.task;

import io.dataflare.api.data.Record;
import io.dataflare.server.io.OutputBuffer;
import io.dataflare.server.io.MemorySinkFactory;
import io.dataflare.server.io.PushInput;
import io.dataflare.server.io.PushQueue;
import io.dataflare.server.io.RowFormat;
import io.dataflare.server.io.TaskIo;
import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.runtime.CheckpointMismatchException;
import io.dataflare.engine.runtime.ResumeCheck;
import io.dataflare.engine.state.StateLockedException;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.runtime.PipelineListener;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.runtime.RunOptions;
import io.dataflare.engine.runtime.StalePlanException;
import io.dataflare.engine.runtime.StatsSnapshot;
import io.dataflare.engine.state.StateStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of a server and their lifecycle: create, update, delete, start, pause, resume, stop, push records,
 * attach files. Every change of a task's definition or state is saved in the state store at once; a run's
 * own state changes (COMPLETED, FAILED) are saved as they happen. A task's runs are named after it and keep
 * their checkpoints under its id, so starting a stopped task (or a restarted server) resumes where it was.
 * Runs are made by the engine, like every other run: they lease their plugins and follow hot reloads.
 */
public final class TaskManager implements TaskIo, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskManager.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Engine engine;
    private final TaskCompiler compiler;
    private final TaskRepository repository;
    private final CheckpointStore checkpoints;
    private final Map<String, Task> tasks = new ConcurrentSkipListMap<>();
    private volatile boolean closing;

    /** Tasks kept in {@code store}, compiled by {@code compiler} and run by {@code engine} (measured into its meters). */
    public TaskManager(Engine engine, TaskCompiler compiler, StateStore store) {
        this.engine = engine;
        this.compiler = compiler;
        this.repository = new TaskRepository(store);
        this.checkpoints = new CheckpointStore(store);
        MeterRegistry meters = engine.meters();
        for (TaskState s : TaskState.values()) {
            Gauge.builder("dataflare.tasks", tasks, m -> m.values().stream().filter(t -> t.state() == s).count())
                    .tag("state", s.name()).description("Tasks by state").register(meters);
        }
    }

    /** The compiler tasks are validated with. */
    public TaskCompiler compiler() {
        return compiler;
    }

    // ---- queries ----

    /** Every task, by id. */
    public List<Task> list() {
        return new ArrayList<>(tasks.values());
    }

    /** The task {@code id}; 404 when there is none. */
    public Task get(String id) {
        Task t = tasks.get(id);
        if (t == null) throw TaskException.notFound(id);
        return t;
    }

    /** Whether there is a task {@code id}. */
    public boolean exists(String id) {
        return tasks.containsKey(id);
    }

    @Override
    public PushInput input(String task, String stage) {
        Task t = tasks.get(task);
        return t == null ? null : t.input(stage);
    }

    @Override
    public OutputBuffer output(String task, String stage) {
        Task t = tasks.get(task);
        return t == null ? null : t.output(stage);
    }

    // ---- definitions ----

    /** Creates a READY task; 409 when the id is taken. */
    public Task create(TaskSpec spec, TaskCompiler.Compiled compiled) {
        refuseWhileClosing();
        Instant now = Instant.now();
        Task t = new Task(spec, compiled, TaskState.READY, null, now, now);
        if (tasks.putIfAbsent(spec.id(), t) != null) throw TaskException.conflict("task '" + spec.id() + "' already exists (PUT to change it)");
        checkpoints.delete(spec.id()); // nothing of an older task of the same id may leak in
        persist(t);
        return t;
    }

    /** Replaces a task's pipeline (it becomes READY; its checkpoint stays); 409 while it runs. */
    public Task update(String id, TaskSpec spec, TaskCompiler.Compiled compiled) throws InterruptedException {
        refuseWhileClosing();
        Task t = get(id);
        refuseWhileActive(t, "changing");
        // Attachments feed the queues of the old definition: stop them; the next start goes on with the new ones.
        for (Attachment a : t.attachments()) a.cancel();
        synchronized (t) {
            refuseWhileActive(t, "changing");
            for (PushInput in : t.inputs().values()) {
                int kept = in.queue().size() + in.queue().held();
                if (kept > 0 && !Task.pushSources(compiled).contains(in.stage())) {
                    throw TaskException.conflict("task '" + id + "': push source '" + in.stage() + "' still holds " + kept
                            + " records that were accepted; keep that source in the new pipeline, or delete the task to drop them");
                }
            }
            t.define(spec, compiled);
            t.state(TaskState.READY, null);
        }
        persist(t);
        return t;
    }

    private static void refuseWhileActive(Task t, String doing) {
        if (t.state().active()) throw TaskException.conflict("task '" + t.id() + "' is " + t.state() + ": stop it before " + doing + " it");
    }

    /** Deletes a task that is not running, with its checkpoint and queued input; 409 while it runs. */
    public void delete(String id) throws InterruptedException {
        refuseWhileClosing();
        Task t = get(id);
        synchronized (t) {
            refuseWhileActive(t, "deleting");
            tasks.remove(id);
        }
        for (Attachment a : t.attachments()) a.cancel();
        for (PushInput in : t.inputs().values()) in.queue().close();
        closeRun(t.run());
        t.events().end("task '" + id + "' was deleted");
        repository.delete(id);
        checkpoints.delete(id);
    }

    // ---- lifecycle ----

    /** Starts a task that is not running, resuming from its checkpoint unless {@code fromStart}. */
    public Task start(String id, boolean fromStart) {
        refuseWhileClosing();
        Task t = get(id);
        synchronized (t) {
            if (t.state().active()) throw TaskException.conflict("task '" + id + "' is already " + t.state());
            if (t.compiled() == null) {
                throw TaskException.conflict("task '" + id + "' has no valid pipeline (" + t.error() + "): update it first");
            }
            startRun(t, !fromStart, false);
        }
        return t;
    }

    /** Pauses a RUNNING task: its sources stop reading; what is in flight completes. */
    public Task pause(String id) {
        Task t = get(id);
        synchronized (t) {
            if (t.state() != TaskState.RUNNING) throw TaskException.conflict("task '" + id + "' is " + t.state() + ", not RUNNING");
            t.run().pause();
        }
        return t;
    }

    /** Resumes a PAUSED task. */
    public Task resume(String id) {
        Task t = get(id);
        synchronized (t) {
            if (t.state() != TaskState.PAUSED) throw TaskException.conflict("task '" + id + "' is " + t.state() + ", not PAUSED");
            t.run().resume();
        }
        return t;
    }

    /** What a stop did: the task, and whether it was running (else it was already stopped and nothing changed). */
    public record Stopped(Task task, boolean wasRunning) {
    }

    /**
     * Stops a RUNNING or PAUSED task: its sources stop reading, what was read drains to the sinks, which are
     * flushed, and a final checkpoint is taken. Waits for that (up to 30 s). Stopping a task that is not running
     * changes nothing and is no error (a retried stop must not fail).
     */
    public Stopped stop(String id) throws InterruptedException {
        Task t = get(id);
        PipelineRun run;
        synchronized (t) {
            if (!t.state().active()) return new Stopped(t, false);
            run = t.run();
            run.stop();
        }
        awaitEnd(run);
        releaseCovered(t);
        return new Stopped(t, true);
    }

    // ---- input ----

    /**
     * Queues pushed rows for a push source of a running or paused task: all of them, or none (429 when the
     * queue stays full for the source's {@code block_ms}).
     *
     * @param source the push source's stage name, or null when the task has one
     * @return how many records were queued
     */
    public int push(String id, String source, List<Map<String, Object>> rows) throws InterruptedException {
        refuseWhileClosing();
        Task t = get(id);
        PushInput in = acceptingInput(t, source);
        List<Record> records;
        try {
            records = in.records(rows);
        } catch (IllegalArgumentException e) {
            throw TaskException.badRequest(e.getMessage());
        }
        if (records.size() > in.queue().capacity()) {
            throw new TaskException(413, "too_many_records", records.size() + " records in one request; the queue of '" + in.stage()
                    + "' holds " + in.queue().capacity() + ": send smaller requests");
        }
        if (!in.queue().offer(records, in.blockMs())) {
            refuseWhileClosing();
            throw new TaskException(429, "queue_full", "the input queue of task '" + id + "' is full (" + in.queue().capacity()
                    + " records" + (t.state() == TaskState.PAUSED ? "; the task is PAUSED" : "") + "): retry later");
        }
        return records.size();
    }

    /** Feeds a file (on the server's file system) into a push source of a running or paused task, in the background. */
    public Attachment attach(String id, Path file, RowFormat format, String source) {
        refuseWhileClosing();
        Task t = get(id);
        PushInput in = acceptingInput(t, source);
        Path path = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) throw TaskException.badRequest("cannot read file " + path);
        Attachment a;
        synchronized (t) {
            a = new Attachment(t.nextAttachmentId(), path, format, in.stage(), 0, "running", null);
            t.addAttachment(a);
        }
        persist(t);
        a.start(in, done -> persist(t));
        return a;
    }

    private PushInput acceptingInput(Task t, String source) {
        TaskState s = t.state();
        if (!s.active()) {
            throw TaskException.conflict("task '" + t.id() + "' is " + s + ": nothing was queued; only a RUNNING or PAUSED task takes"
                    + " records (start it, then send them again)");
        }
        Map<String, PushInput> inputs = t.inputs();
        if (inputs.isEmpty()) throw TaskException.badRequest("task '" + t.id() + "' has no push source");
        if (source == null) {
            if (inputs.size() > 1) {
                throw TaskException.badRequest("task '" + t.id() + "' has several push sources (" + String.join(", ", inputs.keySet())
                        + "): name one with ?source=");
            }
            return inputs.values().iterator().next();
        }
        PushInput in = inputs.get(source);
        if (in == null) {
            throw TaskException.badRequest("task '" + t.id() + "' has no push source '" + source + "' (push sources: "
                    + String.join(", ", inputs.keySet()) + ")");
        }
        return in;
    }

    // ---- boot and shutdown ----

    /**
     * Loads the stored tasks and the declared ones (a declared task replaces the stored pipeline of the same id
     * and keeps its state; a new one starts if enabled), puts back the input they had queued, and starts the
     * ones that were RUNNING or PAUSED, resuming from their checkpoints.
     */
    public void boot(List<DeclaredTask> declared) {
        Map<String, DeclaredTask> byId = new LinkedHashMap<>();
        for (DeclaredTask d : declared) byId.put(d.spec().id(), d);
        List<Task> toRun = new ArrayList<>();
        for (StoredTask st : repository.loadAll()) {
            DeclaredTask d = byId.remove(st.spec().id());
            Task t = restore(st, d);
            tasks.put(t.id(), t);
            if (st.state().active() && t.compiled() != null) toRun.add(t);
        }
        for (DeclaredTask d : byId.values()) {
            Task t = create(d.spec(), d.compiled());
            if (d.enabled()) toRun.add(t);
        }
        for (Task t : toRun) {
            synchronized (t) {
                try {
                    startRun(t, true, t.state() == TaskState.PAUSED);
                } catch (TaskException e) {
                    t.state(TaskState.ERROR, e.getMessage());
                    LOG.error("{}", e.getMessage());
                    persist(t);
                }
            }
        }
    }

    private Task restore(StoredTask st, DeclaredTask declared) {
        TaskSpec spec = declared != null ? declared.spec() : st.spec();
        TaskCompiler.Compiled compiled = declared != null ? declared.compiled() : null;
        TaskState state = st.state();
        String error = st.error();
        if (compiled == null) {
            try {
                compiled = compiler.compile(spec);
            } catch (InvalidConfigException e) {
                state = TaskState.ERROR;
                error = "the pipeline no longer validates: " + e.getMessage();
                LOG.error("task '{}': {}", spec.id(), error);
            }
        }
        Task t = new Task(spec, compiled, state, error, st.createdAt(), st.updatedAt());
        for (StoredTask.AttachmentRecord r : st.attachments()) t.addAttachment(Attachment.of(r));
        Map<String, PushQueue.Saved> queued = repository.takeInputs(spec.id());
        queued.forEach((stage, saved) -> {
            PushInput in = t.input(stage);
            if (in == null) {
                LOG.error("task '{}': {} queued records for push source '{}', which it no longer has, were dropped", spec.id(),
                        saved.entries().size(), stage);
                return;
            }
            in.queue().restore(saved); // beyond the capacity if need be: pushes wait for room then
        });
        if (!queued.isEmpty()) repository.clearInputs(spec.id()); // queued again: a crash from now on must not add them twice
        return t;
    }

    /**
     * Graceful shutdown: refuses new requests, stops every running task (drain, flush, final checkpoint),
     * keeps what is still queued for push sources, and remembers which tasks were running or paused so that
     * the next start resumes them.
     */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        Map<Task, TaskState> before = new HashMap<>();
        List<PipelineRun> stopping = new ArrayList<>();
        for (Task t : tasks.values()) {
            synchronized (t) {
                before.put(t, t.state());
                if (t.state().active()) {
                    t.run().stop();
                    stopping.add(t.run());
                }
            }
        }
        for (PipelineRun r : stopping) awaitEnd(r);
        for (Task t : tasks.values()) {
            for (Attachment a : t.attachments()) a.cancel();
            releaseCovered(t);
            Map<String, PushQueue.Saved> queued = new LinkedHashMap<>();
            for (PushInput in : t.inputs().values()) {
                in.queue().close();
                queued.put(in.stage(), in.queue().saved());
            }
            try {
                repository.saveInputs(t.id(), queued);
                StoredTask s = t.stored();
                TaskState was = before.get(t);
                repository.save(new StoredTask(s.spec(), was == null ? s.state() : was, s.error(), s.createdAt(), s.updatedAt(), s.attachments()));
            } catch (RuntimeException e) {
                LOG.error("task '{}' could not be saved at shutdown: {}", t.id(), e.getMessage());
            }
            t.events().end("the server is stopping");
        }
    }

    // ---- runs ----

    /** Starts a new run of {@code t} (the caller holds its monitor). */
    private void startRun(Task t, boolean resume, boolean paused) {
        closeRun(t.run());
        resume = baseCheckpoint(t, resume);
        PipelineRun run = prepare(t, new RunOptions(checkpoints, resume, t.id()));
        PipelineRun previous = t.run();
        t.run(run);
        run.addListener(new RunListener(t, paused));
        for (PushInput in : t.inputs().values()) in.queue().open();
        try {
            run.start();
        } catch (StateLockedException | CheckpointMismatchException e) {
            t.run(previous); // refused before anything ran: the task stays as it was
            throw TaskException.conflict("task '" + t.id() + "' cannot start: " + t.redactor().redact(e.getMessage()));
        }
        if (run.resumedFrom() != null) LOG.info("task '{}' resumes from checkpoint {}", t.id(), run.resumedFrom().id());
        for (Attachment a : t.attachments()) {
            PushInput in = t.input(a.source());
            if (a.running() && in != null) a.start(in, done -> persist(t));
        }
    }

    /**
     * A run of the task's plan, made by the engine. When a plugin version the plan was compiled with has been
     * unloaded since (its file was replaced or removed while the task was not running), the task's pipeline is
     * compiled again against the plugins installed now; a pipeline that no longer validates is a 409.
     */
    private PipelineRun prepare(Task t, RunOptions options) {
        try {
            return engine.prepare(t.compiled().plan(), options);
        } catch (StalePlanException stale) {
            TaskCompiler.Compiled again;
            try {
                again = compiler.compile(t.spec());
            } catch (InvalidConfigException e) {
                throw TaskException.conflict("task '" + t.id() + "' cannot start: " + stale.getMessage() + ", and its pipeline no longer"
                        + " validates: " + t.redactor().redact(e.getMessage()));
            }
            t.define(t.spec(), again);
            LOG.info("task '{}': {}; compiled again against the installed plugins", t.id(), stale.getMessage());
            return engine.prepare(again.plan(), options);
        }
    }

    /**
     * Makes sure a run of a task with push sources or memory sinks starts from a checkpoint, so that a run that
     * fails before its first checkpoint is taken again without writing anything twice: the push sources
     * deliver again what no checkpoint covers, and the memory sinks forget what they wrote after the
     * checkpoint. Without one (a new task, or {@code fromStart}) this saves one where the task is now: the
     * push sources' queues before their first uncovered record, the memory sinks at what they hold. With
     * {@code fromStart} the other sources start over (their positions are left out), but push sources cannot
     * go back before what a checkpoint already covered, nor memory sinks before what they wrote for it.
     *
     * @return whether the run resumes from a checkpoint
     */
    private boolean baseCheckpoint(Task t, boolean resume) {
        Map<String, PushInput> inputs = t.inputs();
        Map<String, OutputBuffer> outputs = t.outputs();
        if (inputs.isEmpty() && outputs.isEmpty()) return resume;
        Checkpoint last;
        try {
            last = checkpoints.load(t.id()).orElse(null);
        } catch (RuntimeException e) {
            return resume; // unreadable: the run reports it (or, from the start, discards it)
        }
        if (resume && last != null) return true;
        Map<String, Map<String, Object>> positions = new TreeMap<>();
        for (PushInput in : inputs.values()) {
            Map<String, Object> covered = last == null || last.sources() == null ? null : last.sources().get(in.stage());
            positions.put(in.stage(), covered != null ? covered : in.queue().position());
        }
        Map<String, Map<String, Object>> sinks = new TreeMap<>();
        for (OutputBuffer out : outputs.values()) {
            Map<String, Object> state = last == null || last.sinks() == null ? null : last.sinks().get(out.sink());
            sinks.put(out.sink(), state != null ? state : MemorySinkFactory.state(out));
        }
        try {
            PipelinePlan plan = t.compiled().plan();
            checkpoints.save(new Checkpoint(last == null ? 1 : last.id() + 1, t.id(), Instant.now(), positions, sinks,
                    ResumeCheck.origin(plan), ResumeCheck.fingerprint(plan)));
            return true;
        } catch (RuntimeException e) {
            LOG.error("task '{}': no checkpoint to start from could be saved ({}): a failure before the run's first checkpoint "
                    + "may write records twice", t.id(), e.getMessage());
            return resume;
        }
    }

    /**
     * Lets the push queues go of what the task's last checkpoint covers (a run's final checkpoint does not tell
     * its sources; the next run's seek would drop those records anyway).
     */
    private void releaseCovered(Task t) {
        Map<String, PushInput> inputs = t.inputs();
        if (inputs.isEmpty()) return;
        try {
            Checkpoint last = checkpoints.load(t.id()).orElse(null);
            if (last == null || last.sources() == null) return;
            for (PushInput in : inputs.values()) in.queue().release(last.sources().get(in.stage()));
        } catch (RuntimeException e) {
            LOG.warn("task '{}': its checkpoint could not be read ({}): its push queues keep what it covers", t.id(), e.getMessage());
        }
    }

    private void runChanged(Task t, PipelineRun run, TaskState to) {
        TaskState from;
        String error;
        synchronized (t) {
            if (t.run() != run) return; // an earlier run ending
            from = t.state();
            error = to == TaskState.ERROR ? t.redactor().redact(run.failure()) : null;
            t.state(to, error);
        }
        if (!(closing && to == TaskState.STOPPED)) persist(t); // a shutdown's stop is not the task's state
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task", t.id());
        data.put("from", from.name());
        data.put("to", to.name());
        if (error != null) data.put("error", error);
        t.events().publish("state", data);
    }

    private final class RunListener implements PipelineListener {
        private final Task task;
        private boolean pauseAtStart;

        RunListener(Task task, boolean pauseAtStart) {
            this.task = task;
            this.pauseAtStart = pauseAtStart;
        }

        @Override
        public void onStateChange(PipelineRun run, PipelineState from, PipelineState to) {
            if (to == PipelineState.RUNNING && pauseAtStart) {
                // RUNNING is announced before the stage threads start: pausing here reads nothing first.
                pauseAtStart = false;
                run.pause();
                return;
            }
            TaskState s = TaskState.of(to);
            if (s != null) runChanged(task, run, s);
        }

        @Override
        public void onProgress(PipelineRun run, StatsSnapshot stats) {
            if (task.events().listened() && task.run() == run) task.events().publish("progress", stats);
        }
    }

    /** Saves the task as it is now; under its monitor, so that two saves cannot land out of order. */
    private void persist(Task t) {
        try {
            synchronized (t) {
                repository.save(t.stored());
            }
        } catch (RuntimeException e) {
            LOG.error("task '{}' could not be saved in the state store: {}", t.id(), e.getMessage());
        }
    }

    private void refuseWhileClosing() {
        if (closing) throw new TaskException(503, "unavailable", "the server is stopping");
    }

    private static void awaitEnd(PipelineRun run) throws InterruptedException {
        try {
            run.await(STOP_WAIT);
        } catch (TimeoutException e) {
            LOG.warn("pipeline '{}' did not stop within {} s: cancelled", run.name(), STOP_WAIT.toSeconds());
            run.cancel();
            run.await();
        }
    }

    private static void closeRun(PipelineRun run) {
        if (run == null) return;
        try {
            run.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
