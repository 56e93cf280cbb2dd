package io.dataflare.server.workflow;

/** The execution's state does not allow it (stopping a finished one, a name taken by another workflow's execution). */
public final class WorkflowConflictException extends WorkflowException {
    private static final long serialVersionUID = 1L;

    public WorkflowConflictException(String message) {
        super(message);
    }
}
