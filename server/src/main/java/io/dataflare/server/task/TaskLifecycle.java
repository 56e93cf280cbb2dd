package io.dataflare.server.task;

import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.server.io.PushInput;
import java.time.Instant;

/**
 * What can be done to a task: create, update, delete, start, pause, resume, stop, each refused (with a
 * {@link TaskConflictException} naming the state) when the task's state does not allow it. Every change of a
 * task's definition or state is saved at once; a task's runs resume from its checkpoint.
 */
public final class TaskLifecycle {
    private final TaskCatalog catalog;
    private final TaskRuns runs;
    private final CheckpointStore checkpoints;

    TaskLifecycle(TaskCatalog catalog, TaskRuns runs, CheckpointStore checkpoints) {
        this.catalog = catalog;
        this.runs = runs;
        this.checkpoints = checkpoints;
    }

    /** Creates a READY task; a conflict when the id is taken. */
    public Task create(TaskSpec spec, TaskCompiler.Compiled compiled) {
        catalog.refuseWhileShuttingDown();
        Instant now = Instant.now();
        Task t = new Task(spec, compiled, TaskState.READY, null, now, now, catalog.repository()::spool);
        if (!catalog.add(t))
            throw new TaskConflictException("task '" + spec.id() + "' already exists (PUT to change it)");
        checkpoints.delete(spec.id()); // nothing of an older task of the same id may leak in
        catalog.persist(t);
        return t;
    }

    /** Replaces a task's pipeline (it becomes READY; its checkpoint stays); a conflict while it runs. */
    public Task update(String id, TaskSpec spec, TaskCompiler.Compiled compiled) throws InterruptedException {
        catalog.refuseWhileShuttingDown();
        Task t = catalog.get(id);
        refuseWhileActive(t, "changing");
        // Attachments feed the queues of the old definition: stop them; the next start goes on with the new ones.
        for (Attachment a : t.attachments()) a.cancel();
        synchronized (t) {
            refuseWhileActive(t, "changing");
            for (PushInput in : t.inputs().values()) {
                int kept = in.queue().size() + in.queue().held();
                if (kept > 0 && !Task.pushSources(compiled).contains(in.stage())) {
                    throw new TaskConflictException(
                            "task '" + id + "': push source '" + in.stage() + "' still holds " + kept
                                    + " records that were accepted; keep that source in the new pipeline, or delete the task to drop them");
                }
            }
            t.define(spec, compiled);
            t.state(TaskState.READY, null);
        }
        catalog.persist(t);
        return t;
    }

    private static void refuseWhileActive(Task t, String doing) {
        if (t.state().active())
            throw new TaskConflictException(
                    "task '" + t.id() + "' is " + t.state() + ": stop it before " + doing + " it");
    }

    /** Deletes a task that is not running, with its checkpoint and queued input; a conflict while it runs. */
    public void delete(String id) throws InterruptedException {
        catalog.refuseWhileShuttingDown();
        Task t = catalog.get(id);
        synchronized (t) {
            refuseWhileActive(t, "deleting");
            catalog.remove(id);
        }
        for (Attachment a : t.attachments()) a.cancel();
        for (PushInput in : t.inputs().values()) in.queue().discard();
        TaskRuns.close(t.run());
        t.events().end("task '" + id + "' was deleted");
        catalog.repository().delete(id);
        checkpoints.delete(id);
    }

    /** Starts a task that is not running, resuming from its checkpoint unless {@code fromStart}. */
    public Task start(String id, boolean fromStart) {
        catalog.refuseWhileShuttingDown();
        Task t = catalog.get(id);
        synchronized (t) {
            if (t.state().active()) throw new TaskConflictException("task '" + id + "' is already " + t.state());
            if (t.compiled() == null) {
                throw new TaskConflictException(
                        "task '" + id + "' has no valid pipeline (" + t.error() + "): update it first");
            }
            runs.start(t, !fromStart, false);
        }
        return t;
    }

    /** Pauses a RUNNING task: its sources stop reading; what is in flight completes. */
    public Task pause(String id) {
        Task t = catalog.get(id);
        synchronized (t) {
            if (t.state() != TaskState.RUNNING)
                throw new TaskConflictException("task '" + id + "' is " + t.state() + ", not RUNNING");
            t.run().pause();
        }
        return t;
    }

    /** Resumes a PAUSED task. */
    public Task resume(String id) {
        Task t = catalog.get(id);
        synchronized (t) {
            if (t.state() != TaskState.PAUSED)
                throw new TaskConflictException("task '" + id + "' is " + t.state() + ", not PAUSED");
            t.run().resume();
        }
        return t;
    }

    /** What a stop did: the task, and whether it was running (else it was already stopped and nothing changed). */
    public record Stopped(Task task, boolean wasRunning) {}

    /**
     * Stops a RUNNING or PAUSED task: its sources stop reading, what was read drains to the sinks, which are
     * flushed, and a final checkpoint is taken. Waits for that (up to 30 s). Stopping a task that is not running
     * changes nothing and is no error (a retried stop must not fail).
     */
    public Stopped stop(String id) throws InterruptedException {
        Task t = catalog.get(id);
        PipelineRun run;
        synchronized (t) {
            if (!t.state().active()) return new Stopped(t, false);
            run = t.run();
            run.stop();
        }
        TaskRuns.awaitEnd(run);
        runs.releaseCovered(t);
        return new Stopped(t, true);
    }
}
