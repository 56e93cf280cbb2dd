package io.dataflare.server.workflow;

import io.dataflare.workflow.definition.Problem;
import java.util.List;

/**
 * A request that is not acceptable: a malformed body (no problems) or a definition that does not validate (every
 * problem, located in the request body).
 */
public final class InvalidWorkflowException extends WorkflowException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidWorkflowException(String message) {
        this(message, List.of());
    }

    public InvalidWorkflowException(String message, List<Problem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** The definition's problems (empty for a malformed request). */
    public List<Problem> problems() {
        return problems;
    }
}
