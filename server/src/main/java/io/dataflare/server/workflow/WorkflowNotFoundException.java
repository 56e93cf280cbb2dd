package io.dataflare.server.workflow;

/** No workflow, or no execution, of that id. */
public final class WorkflowNotFoundException extends WorkflowException {
    private static final long serialVersionUID = 1L;

    public WorkflowNotFoundException(String message) {
        super(message);
    }
}
