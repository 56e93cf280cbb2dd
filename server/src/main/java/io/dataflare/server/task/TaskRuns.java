package io.dataflare.server.task;

import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.runtime.BudgetEvent;
import io.dataflare.engine.runtime.CheckpointMismatchException;
import io.dataflare.engine.runtime.PipelineListener;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.runtime.ResumeCheck;
import io.dataflare.engine.runtime.RunOptions;
import io.dataflare.engine.runtime.StalePlanException;
import io.dataflare.engine.runtime.StatsSnapshot;
import io.dataflare.engine.runtime.scale.RescaleEvent;
import io.dataflare.engine.state.StateLockedException;
import io.dataflare.server.io.MemorySinkFactory;
import io.dataflare.server.io.OutputBuffer;
import io.dataflare.server.io.PushInput;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs of tasks: made by the engine like every other run (so they lease their plugins and follow hot
 * reloads), named after the task and keeping their checkpoints under its id, started from a checkpoint when the
 * task has push sources or memory sinks, and followed so that the task's state is the run's.
 */
final class TaskRuns {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRuns.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Engine engine;
    private final TaskCompiler compiler;
    private final TaskCatalog catalog;
    private final CheckpointStore checkpoints;

    TaskRuns(Engine engine, TaskCompiler compiler, TaskCatalog catalog, CheckpointStore checkpoints) {
        this.engine = engine;
        this.compiler = compiler;
        this.catalog = catalog;
        this.checkpoints = checkpoints;
    }

    /**
     * Starts a new run of {@code t} (the caller holds its monitor), resuming from its checkpoint when
     * {@code resume}, paused from the start when {@code paused}.
     *
     * @throws TaskConflictException when the run is refused before anything ran (its state is held elsewhere,
     *                               its checkpoint belongs to another pipeline, its pipeline no longer validates)
     */
    void start(Task t, boolean resume, boolean paused) {
        close(t.run());
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
            throw new TaskConflictException(
                    "task '" + t.id() + "' cannot start: " + t.redactor().redact(e.getMessage()));
        }
        if (run.resumedFrom() != null)
            LOG.info(
                    "task '{}' resumes from checkpoint {}",
                    t.id(),
                    run.resumedFrom().id());
        for (Attachment a : t.attachments()) {
            PushInput in = t.input(a.source());
            if (a.running() && in != null)
                a.start(in, catalog.repository().attachmentProgress(t.id(), a.id()), done -> catalog.persist(t));
        }
    }

    /**
     * A run of the task's plan, made by the engine. When a plugin version the plan was compiled with has been
     * unloaded since (its file was replaced or removed while the task was not running), the task's pipeline is
     * compiled again against the plugins installed now; a pipeline that no longer validates is a conflict.
     */
    private PipelineRun prepare(Task t, RunOptions options) {
        try {
            return engine.prepare(t.compiled().plan(), options);
        } catch (StalePlanException stale) {
            TaskCompiler.Compiled again;
            try {
                again = compiler.compile(t.spec());
            } catch (InvalidConfigException e) {
                throw new TaskConflictException(
                        "task '" + t.id() + "' cannot start: " + stale.getMessage() + ", and its pipeline no longer"
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
            Map<String, Object> covered = last == null || last.sources() == null
                    ? null
                    : last.sources().get(in.stage());
            positions.put(in.stage(), covered != null ? covered : in.queue().position());
        }
        Map<String, Map<String, Object>> sinks = new TreeMap<>();
        for (OutputBuffer out : outputs.values()) {
            Map<String, Object> state =
                    last == null || last.sinks() == null ? null : last.sinks().get(out.sink());
            sinks.put(out.sink(), state != null ? state : MemorySinkFactory.state(out));
        }
        try {
            PipelinePlan plan = t.compiled().plan();
            checkpoints.save(new Checkpoint(
                    last == null ? 1 : last.id() + 1,
                    t.id(),
                    Instant.now(),
                    positions,
                    sinks,
                    ResumeCheck.origin(plan),
                    ResumeCheck.fingerprint(plan),
                    // the keyed state that goes with the positions taken from it
                    last == null ? null : last.state()));
            return true;
        } catch (RuntimeException e) {
            LOG.error(
                    "task '{}': no checkpoint to start from could be saved ({}): a failure before the run's first checkpoint "
                            + "may write records twice",
                    t.id(),
                    e.getMessage());
            return resume;
        }
    }

    /**
     * Lets the push queues go of what the task's last checkpoint covers (a run's final checkpoint does not tell
     * its sources; the next run's seek would drop those records anyway).
     */
    void releaseCovered(Task t) {
        Map<String, PushInput> inputs = t.inputs();
        if (inputs.isEmpty()) return;
        try {
            Checkpoint last = checkpoints.load(t.id()).orElse(null);
            if (last == null || last.sources() == null) return;
            for (PushInput in : inputs.values())
                in.queue().release(last.sources().get(in.stage()));
        } catch (RuntimeException e) {
            LOG.warn(
                    "task '{}': its checkpoint could not be read ({}): its push queues keep what it covers",
                    t.id(),
                    e.getMessage());
        }
    }

    /** Waits for a stopped run to end (30 s at most, then it is cancelled). */
    static void awaitEnd(PipelineRun run) throws InterruptedException {
        try {
            run.await(STOP_WAIT);
        } catch (TimeoutException e) {
            LOG.warn("pipeline '{}' did not stop within {} s: cancelled", run.name(), STOP_WAIT.toSeconds());
            run.cancel();
            run.await();
        }
    }

    /** Closes a run that is over (or was never started), letting go of its plugins. */
    static void close(PipelineRun run) {
        if (run == null) return;
        try {
            run.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        if (!(catalog.shuttingDown() && to == TaskState.STOPPED))
            catalog.persist(t); // a shutdown's stop is not the task's state
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

        /** A rescale is a {@code scale} event on the task's stream. */
        @Override
        public void onRescale(PipelineRun run, RescaleEvent e) {
            if (task.run() != run) return;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("task", task.id());
            data.put("stage", e.stage());
            data.put("from", e.from());
            data.put("to", e.to());
            data.put("reason", e.reason());
            data.put("load_rate", Math.round(e.loadRate() * 1000) / 1000.0);
            data.put("moved_key_groups", e.movedGroups());
            data.put("pause_ms", e.pauseNanos() / 1_000_000.0);
            task.events().publish("scale", data);
        }

        /**
         * A saved checkpoint is a {@code checkpoint} event on the task's stream. Called on the run's checkpoint thread
         * while its sources are held: publishing takes no lock (not the task's either).
         */
        @Override
        public void onCheckpoint(PipelineRun run, long id, java.time.Instant at) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("task", task.id());
            data.put("id", id);
            data.put("at", at.toString());
            task.events().publish("checkpoint", data);
        }

        /** A budget that holds the run back (or stops doing so) is a {@code budget} event on the task's stream. */
        @Override
        public void onBudget(PipelineRun run, BudgetEvent e) {
            if (task.run() != run) return;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("task", task.id());
            data.put("budget", e.budget());
            if (e.stage() != null) data.put("stage", e.stage());
            data.put("state", e.hit() ? "reached" : "released");
            data.put("limit_bytes", e.limit());
            data.put("used_bytes", e.used());
            data.put("message", e.message());
            task.events().publish("budget", data);
        }

        @Override
        public void onProgress(PipelineRun run, StatsSnapshot stats) {
            if (task.events().listened() && task.run() == run) task.events().publish("progress", stats);
        }
    }
}
