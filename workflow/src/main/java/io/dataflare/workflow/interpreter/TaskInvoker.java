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

    /**
     * The task token of a {@code .waitForTaskToken} task attempt ({@code $$.Task.Token}): the same for every run of
     * the attempt, so a resumed execution hands out the token it handed out before; null when this invoker has
     * no durable queue to wait on (such tasks then fail with {@code States.Runtime}).
     */
    default String callbackToken(String idempotencyKey) {
        return null;
    }
}
