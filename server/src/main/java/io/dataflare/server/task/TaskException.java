package io.dataflare.server.task;

import io.dataflare.engine.config.Problem;
import java.util.List;

/**
 * A request about tasks that cannot be done, with the HTTP status and the error code the API answers with.
 */
public final class TaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient List<Problem> problems;

    public TaskException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public TaskException(int status, String code, String message, List<Problem> problems) {
        super(message);
        this.status = status;
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    public static TaskException notFound(String id) {
        return new TaskException(404, "not_found", "no task '" + id + "'");
    }

    public static TaskException conflict(String message) {
        return new TaskException(409, "conflict", message);
    }

    public static TaskException badRequest(String message) {
        return new TaskException(400, "bad_request", message);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** A stable, machine-readable code ({@code not_found}, {@code conflict}, {@code invalid_pipeline}...). */
    public String code() {
        return code;
    }

    /** Validation problems, each with its location (empty unless the pipeline is invalid). */
    public List<Problem> problems() {
        return problems;
    }
}
