package io.dataflare.server.task;

import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.state.StateStore;
import java.util.List;

/**
 * The tasks of a server, composed of their parts: the {@link TaskCatalog} (the tasks by id, saved as they
 * change), the {@link TaskLifecycle} (create, update, delete, start, pause, resume, stop), the
 * {@link TaskInputs} (pushed records, attached files) and {@link TaskOutputs} (what memory sinks wrote), the
 * boot and the shutdown ({@link #boot}, {@link #close}), and the {@link PluginActivity} (plugin events on the
 * tasks' streams). Runs are made by the engine, like every other run: they lease their plugins and follow hot
 * reloads. Refusals are {@link TaskException}s, which say nothing of HTTP.
 */
public final class TaskManager implements AutoCloseable {
    private final TaskCompiler compiler;
    private final TaskCatalog catalog;
    private final TaskLifecycle lifecycle;
    private final TaskInputs inputs;
    private final TaskOutputs outputs;
    private final TaskBoot boot;
    private final PluginActivity plugins;
    private final TaskParallelism parallelism;
    private final TaskDeadLetters deadLetters;

    /** Tasks kept in {@code store}, compiled by {@code compiler} and run by {@code engine} (measured into its meters). */
    public TaskManager(Engine engine, TaskCompiler compiler, StateStore store) {
        this.compiler = compiler;
        this.catalog = new TaskCatalog(new TaskRepository(store), engine.meters());
        CheckpointStore checkpoints = new CheckpointStore(store);
        TaskRuns runs = new TaskRuns(engine, compiler, catalog, checkpoints);
        this.lifecycle = new TaskLifecycle(catalog, runs, checkpoints);
        this.inputs = new TaskInputs(catalog);
        this.outputs = new TaskOutputs(catalog);
        this.boot = new TaskBoot(catalog, runs, lifecycle, compiler);
        this.plugins = new PluginActivity(engine.plugins(), catalog);
        this.parallelism = new TaskParallelism(catalog);
        this.deadLetters = new TaskDeadLetters(catalog);
    }

    /** The compiler tasks are validated with. */
    public TaskCompiler compiler() {
        return compiler;
    }

    /** The tasks by id; also where the built-in components find their queues and buffers. */
    public TaskCatalog catalog() {
        return catalog;
    }

    public TaskLifecycle lifecycle() {
        return lifecycle;
    }

    /** Changes the parallelism of running tasks' elastic stages. */
    public TaskParallelism parallelism() {
        return parallelism;
    }

    /** Puts tasks' dead letters back into their runs. */
    public TaskDeadLetters deadLetters() {
        return deadLetters;
    }

    public TaskInputs inputs() {
        return inputs;
    }

    public TaskOutputs outputs() {
        return outputs;
    }

    /** The plugin events the tasks heard. */
    public PluginActivity plugins() {
        return plugins;
    }

    /** Every task, by id. */
    public List<Task> list() {
        return catalog.list();
    }

    /** The task {@code id}. */
    public Task get(String id) {
        return catalog.get(id);
    }

    /**
     * Loads the stored tasks and the declared ones, puts back the input they had queued, and starts the ones
     * that were RUNNING or PAUSED (and the new declared ones that are enabled).
     */
    public void boot(List<DeclaredTask> declared) {
        boot.boot(declared);
    }

    /**
     * Graceful shutdown: refuses new requests, stops every running task (drain, flush, final checkpoint), keeps
     * what is still queued, and remembers which tasks were running or paused so that the next start resumes them.
     */
    @Override
    public void close() throws InterruptedException {
        plugins.close();
        boot.shutDown();
    }
}
