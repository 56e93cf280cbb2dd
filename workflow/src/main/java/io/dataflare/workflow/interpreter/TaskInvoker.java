package io.dataflare.workflow.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.workflow.error.StatesError;

/** Runs Task resources. */
@FunctionalInterface
public interface TaskInvoker {
    /**
     * Runs one task.
     *
     * @return the task's result
     * @throws StatesError the task's failure: its name is what Retry and Catch match
     * @throws InterruptedException when the task was stopped (a timeout)
     */
    JsonNode invoke(TaskRequest request) throws StatesError, InterruptedException;
}
