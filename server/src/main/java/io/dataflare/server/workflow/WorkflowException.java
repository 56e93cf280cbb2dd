package io.dataflare.server.workflow;

/**
 * A request about workflows or their executions that cannot be done. Each subclass says what kind of refusal it
 * is, never how a protocol answers it: the HTTP layer maps them to statuses in one place.
 */
public abstract sealed class WorkflowException extends RuntimeException
        permits WorkflowNotFoundException, WorkflowConflictException, InvalidWorkflowException {
    private static final long serialVersionUID = 1L;

    WorkflowException(String message) {
        super(message);
    }
}
