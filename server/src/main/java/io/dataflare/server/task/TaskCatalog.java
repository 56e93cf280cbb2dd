package io.dataflare.server.task;

import io.dataflare.server.io.OutputBuffer;
import io.dataflare.server.io.PushInput;
import io.dataflare.server.io.TaskIo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's tasks by id: what the other parts of the domain look tasks up in, save them through (every
 * change is saved in the state store at once), and what the built-in {@code push} and {@code memory}
 * components find their task's queues and buffers in. Once shutting down it refuses every change.
 */
public final class TaskCatalog implements TaskIo {
    private static final Logger LOG = LoggerFactory.getLogger(TaskCatalog.class);

    private final Map<String, Task> tasks = new ConcurrentSkipListMap<>();
    private final TaskRepository repository;
    private volatile boolean closing;
    private volatile TaskStateListener stateListener;

    TaskCatalog(TaskRepository repository, MeterRegistry meters) {
        this.repository = repository;
        for (TaskState s : TaskState.values()) {
            Gauge.builder(
                            "dataflare.tasks",
                            tasks,
                            m -> m.values().stream().filter(t -> t.state() == s).count())
                    .tag("state", s.name())
                    .description("Tasks by state")
                    .register(meters);
        }
    }

    /** Every task, by id. */
    public List<Task> list() {
        return new ArrayList<>(tasks.values());
    }

    /** The task {@code id}. */
    public Task get(String id) {
        Task t = tasks.get(id);
        if (t == null) throw new TaskNotFoundException(id);
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

    /** The task {@code id}, or null. */
    Task find(String id) {
        return tasks.get(id);
    }

    /** Adds a task; false when the id is taken. */
    boolean add(Task t) {
        t.observe(this::stateChanged);
        return tasks.putIfAbsent(t.id(), t) == null;
    }

    /** Adds or replaces a task (a stored one being loaded). */
    void put(Task t) {
        t.observe(this::stateChanged);
        tasks.put(t.id(), t);
    }

    /** Tells {@code listener} of every task's state changes (one listener: the audit log). */
    public void onStateChange(TaskStateListener listener) {
        this.stateListener = listener;
    }

    private void stateChanged(String task, TaskState from, TaskState to, String error) {
        TaskStateListener l = stateListener;
        if (l != null) l.changed(task, from, to, error);
    }

    void remove(String id) {
        tasks.remove(id);
    }

    TaskRepository repository() {
        return repository;
    }

    /** Saves the task as it is now; under its monitor, so that two saves cannot land out of order. */
    void persist(Task t) {
        try {
            synchronized (t) {
                repository.save(t.stored());
            }
        } catch (RuntimeException e) {
            LOG.error("task '{}' could not be saved in the state store: {}", t.id(), e.getMessage());
        }
    }

    /** From now on every change is refused. */
    void shutDown() {
        closing = true;
    }

    boolean shuttingDown() {
        return closing;
    }

    void refuseWhileShuttingDown() {
        if (closing) throw new ShuttingDownException();
    }
}
