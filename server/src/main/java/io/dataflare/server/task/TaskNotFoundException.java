package io.dataflare.server.task;

/** There is no task of that id. */
public final class TaskNotFoundException extends TaskException {
    private static final long serialVersionUID = 1L;

    private final String id;

    public TaskNotFoundException(String id) {
        super("no task '" + id + "'");
        this.id = id;
    }

    /** The id asked for. */
    public String id() {
        return id;
    }
}
