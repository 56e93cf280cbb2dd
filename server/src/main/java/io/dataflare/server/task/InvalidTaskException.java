package io.dataflare.server.task;

import io.dataflare.engine.config.Problem;
import java.util.List;

/**
 * The task, or what was asked of it, is invalid: a pipeline that does not validate (with every located
 * problem), an id that is not allowed, a record that does not convert, a push source or sink that does not
 * exist, a file that cannot be read.
 */
public final class InvalidTaskException extends TaskException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidTaskException(String message) {
        this(message, List.of());
    }

    public InvalidTaskException(String message, List<Problem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** Validation problems, each with its location (empty unless a pipeline is invalid). */
    public List<Problem> problems() {
        return problems;
    }
}
