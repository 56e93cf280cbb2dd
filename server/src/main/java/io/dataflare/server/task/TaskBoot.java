package io.dataflare.server.task;

import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.server.io.PushInput;
import io.dataflare.server.io.PushQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's start and stop as far as tasks go: at boot the stored and declared tasks come back with the
 * input they had queued (in their push spools), and the running ones resume; at shutdown every running task stops
 * at a checkpoint. Acknowledged input is durable in the spools from the moment it is acknowledged, so nothing
 * acknowledged is lost across a restart, graceful or not.
 */
final class TaskBoot {
    private static final Logger LOG = LoggerFactory.getLogger(TaskBoot.class);

    private final TaskCatalog catalog;
    private final TaskRuns runs;
    private final TaskLifecycle lifecycle;
    private final TaskCompiler compiler;

    TaskBoot(TaskCatalog catalog, TaskRuns runs, TaskLifecycle lifecycle, TaskCompiler compiler) {
        this.catalog = catalog;
        this.runs = runs;
        this.lifecycle = lifecycle;
        this.compiler = compiler;
    }

    /**
     * Loads the stored tasks and the declared ones (a declared task replaces the stored pipeline of the same id
     * and keeps its state; a new one starts if enabled), puts back the input they had queued, and starts the
     * ones that were RUNNING or PAUSED, resuming from their checkpoints.
     */
    void boot(List<DeclaredTask> declared) {
        Map<String, DeclaredTask> byId = new LinkedHashMap<>();
        for (DeclaredTask d : declared) byId.put(d.spec().id(), d);
        List<Task> toRun = new ArrayList<>();
        for (StoredTask st : catalog.repository().loadAll()) {
            DeclaredTask d = byId.remove(st.spec().id());
            Task t = restore(st, d);
            catalog.put(t);
            runs.releaseCovered(t); // what its spool still held that the last checkpoint covers
            if (st.state().active() && t.compiled() != null) toRun.add(t);
        }
        for (DeclaredTask d : byId.values()) {
            Task t = lifecycle.create(d.spec(), d.compiled());
            if (d.enabled()) toRun.add(t);
        }
        for (Task t : toRun) {
            synchronized (t) {
                try {
                    runs.start(t, true, t.state() == TaskState.PAUSED);
                } catch (TaskConflictException e) {
                    t.state(TaskState.ERROR, e.getMessage());
                    LOG.error("{}", e.getMessage());
                    catalog.persist(t);
                }
            }
        }
    }

    private Task restore(StoredTask st, DeclaredTask declared) {
        TaskRepository repository = catalog.repository();
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
        Task t = new Task(spec, compiled, state, error, st.createdAt(), st.updatedAt(), repository::spool);
        for (StoredTask.AttachmentRecord r : st.attachments())
            t.addAttachment(Attachment.of(r, repository.attachmentSpooled(spec.id(), r.id())));
        Map<String, PushQueue.Saved> queued = repository.takeInputs(spec.id());
        queued.forEach((stage, saved) -> {
            PushInput in = t.input(stage);
            if (in == null) {
                LOG.error(
                        "task '{}': {} queued records for push source '{}', which it no longer has, were dropped",
                        spec.id(),
                        saved.entries().size(),
                        stage);
                return;
            }
            try {
                in.queue().restoreSpooled(saved); // beyond the capacity if need be: pushes wait for room then
            } catch (IllegalStateException e) {
                LOG.error(
                        "task '{}': {} records an earlier version saved for push source '{}' were not queued again: {}",
                        spec.id(),
                        saved.entries().size(),
                        stage,
                        e.getMessage());
            }
        });
        if (!queued.isEmpty())
            repository.clearInputs(spec.id()); // queued again: a crash from now on must not add them twice
        return t;
    }

    /**
     * Graceful shutdown: refuses new requests, stops every running task (drain, flush, final checkpoint),
     * keeps what is still queued for push sources, and remembers which tasks were running or paused so that
     * the next start resumes them.
     */
    void shutDown() throws InterruptedException {
        catalog.shutDown();
        Map<Task, TaskState> before = new HashMap<>();
        List<PipelineRun> stopping = new ArrayList<>();
        for (Task t : catalog.list()) {
            synchronized (t) {
                before.put(t, t.state());
                if (t.state().active()) {
                    t.run().stop();
                    stopping.add(t.run());
                }
            }
        }
        for (PipelineRun r : stopping) TaskRuns.awaitEnd(r);
        TaskRepository repository = catalog.repository();
        for (Task t : catalog.list()) {
            for (Attachment a : t.attachments()) a.cancel();
            runs.releaseCovered(t);
            for (PushInput in : t.inputs().values()) in.queue().close(); // what they hold is in their spools
            try {
                StoredTask s = t.stored();
                TaskState was = before.get(t);
                repository.save(new StoredTask(
                        s.spec(),
                        was == null ? s.state() : was,
                        s.error(),
                        s.createdAt(),
                        s.updatedAt(),
                        s.attachments()));
            } catch (RuntimeException e) {
                LOG.error("task '{}' could not be saved at shutdown: {}", t.id(), e.getMessage());
            }
            t.events().end("the server is stopping");
        }
    }
}
