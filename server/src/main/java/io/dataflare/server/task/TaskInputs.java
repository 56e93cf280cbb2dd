package io.dataflare.server.task;

import io.dataflare.api.data.Record;
import io.dataflare.server.io.PushInput;
import io.dataflare.server.io.RowFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Records into a task's push sources: pushed ones (all of a request or none) and attached files (fed in the
 * background). Only a RUNNING or PAUSED task takes records.
 */
public final class TaskInputs {
    private final TaskCatalog catalog;

    TaskInputs(TaskCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Queues pushed rows for a push source of a running or paused task: all of them, or none.
     *
     * @param source the push source's stage name, or null when the task has one
     * @return how many records were queued
     * @throws InvalidTaskException  when a value does not convert to its field's type (naming record and field)
     * @throws TooLargeException     when there are more rows than the queue holds
     * @throws TaskBusyException     when the queue stays full for the source's {@code block_ms}
     * @throws TaskConflictException when the task is not running
     */
    public int push(String id, String source, List<Map<String, Object>> rows) throws InterruptedException {
        catalog.refuseWhileShuttingDown();
        Task t = catalog.get(id);
        PushInput in = acceptingInput(t, source);
        List<Record> records;
        try {
            records = in.records(rows);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskException(e.getMessage());
        }
        if (records.size() > in.queue().capacity()) {
            throw new TooLargeException(records.size() + " records in one request; the queue of '" + in.stage()
                    + "' holds " + in.queue().capacity() + ": send smaller requests");
        }
        if (!in.queue().offer(records, in.blockMs())) {
            catalog.refuseWhileShuttingDown();
            throw new TaskBusyException("the input queue of task '" + id + "' is full ("
                    + in.queue().capacity() + " records" + (t.state() == TaskState.PAUSED ? "; the task is PAUSED" : "")
                    + "): retry later");
        }
        return records.size();
    }

    /** Feeds a file (on the server's file system) into a push source of a running or paused task, in the background. */
    public Attachment attach(String id, Path file, RowFormat format, String source) {
        catalog.refuseWhileShuttingDown();
        Task t = catalog.get(id);
        PushInput in = acceptingInput(t, source);
        Path path = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path) || !Files.isReadable(path))
            throw new InvalidTaskException("cannot read file " + path);
        Attachment a;
        synchronized (t) {
            a = new Attachment(t.nextAttachmentId(), path, format, in.stage(), 0, "running", null);
            t.addAttachment(a);
        }
        catalog.persist(t);
        a.start(in, catalog.repository().attachmentProgress(t.id(), a.id()), done -> catalog.persist(t));
        return a;
    }

    private static PushInput acceptingInput(Task t, String source) {
        TaskState s = t.state();
        if (!s.active()) {
            throw new TaskConflictException(
                    "task '" + t.id() + "' is " + s + ": nothing was queued; only a RUNNING or PAUSED task takes"
                            + " records (start it, then send them again)");
        }
        Map<String, PushInput> inputs = t.inputs();
        if (inputs.isEmpty()) throw new InvalidTaskException("task '" + t.id() + "' has no push source");
        if (source == null) {
            if (inputs.size() > 1) {
                throw new InvalidTaskException("task '" + t.id() + "' has several push sources ("
                        + String.join(", ", inputs.keySet()) + "): name one with ?source=");
            }
            return inputs.values().iterator().next();
        }
        PushInput in = inputs.get(source);
        if (in == null) {
            throw new InvalidTaskException("task '" + t.id() + "' has no push source '" + source + "' (push sources: "
                    + String.join(", ", inputs.keySet()) + ")");
        }
        return in;
    }
}
