package io.dataflare.server.task;

import io.dataflare.server.io.OutputBuffer;
import java.util.Map;

/** What a task's {@code memory} sinks wrote, page by page. */
public final class TaskOutputs {
    private final TaskCatalog catalog;

    TaskOutputs(TaskCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Up to {@code limit} records a memory sink of task {@code id} wrote, from {@code offset} on (negative: the
     * oldest it keeps).
     *
     * @param sink the memory sink's stage name, or null for the task's first one
     * @throws InvalidTaskException when the task has no memory sink, or none of that name
     */
    public Page read(String id, String sink, long offset, int limit) {
        Task t = catalog.get(id);
        Map<String, OutputBuffer> outputs = t.outputs();
        OutputBuffer out;
        if (outputs.isEmpty()) {
            throw new InvalidTaskException("task '" + t.id() + "' has no memory sink: its output goes elsewhere");
        } else if (sink == null) {
            out = outputs.values().iterator().next();
        } else if ((out = outputs.get(sink)) == null) {
            throw new InvalidTaskException("task '" + t.id() + "' has no memory sink '" + sink + "' (memory sinks: "
                    + String.join(", ", outputs.keySet()) + ")");
        }
        return new Page(t.id(), out.sink(), out.read(offset, limit));
    }

    /** One page of a memory sink's output: the task, the sink, and the records with their offsets. */
    public record Page(String task, String sink, OutputBuffer.Page records) {}
}
