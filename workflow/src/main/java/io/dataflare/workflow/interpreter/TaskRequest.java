package io.dataflare.workflow.interpreter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One call of a Task's resource.
 *
 * @param input          the task's effective input (after InputPath and Parameters)
 * @param idempotencyKey the same for every run of this attempt, also when it is run again after a restart
 * @param attempt        0 for the first attempt, 1 for the first retry...
 */
public record TaskRequest(
        String execution, String state, String resource, JsonNode input, String idempotencyKey, int attempt) {}
