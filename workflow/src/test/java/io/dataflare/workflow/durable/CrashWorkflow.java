package io.dataflare.workflow.durable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.workflow.definition.InvalidDefinitionException;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.interpreter.TaskInvoker;
import io.dataflare.workflow.interpreter.TaskRequest;
import io.dataflare.workflow.validation.Definitions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The workflow {@link WorkflowCrashIT} kills: Map + Parallel (a Wait beside a task that fails its first attempt
 * and is retried after a delay), with the expected output of each execution.
 */
final class CrashWorkflow {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String DEFINITION = """
            {"StartAt": "Fan", "States": {
              "Fan": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.mapped", "Next": "Both",
                      "ItemSelector": {"v.$": "$$.Map.Item.Value"},
                      "ItemProcessor": {"StartAt": "Double", "States": {
                        "Double": {"Type": "Task", "Resource": "crash:double", "End": true}}}},
              "Both": {"Type": "Parallel", "ResultPath": "$.parallel", "Next": "Done", "Branches": [
                {"StartAt": "Pause", "States": {
                  "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Waited"},
                  "Waited": {"Type": "Pass", "Result": "waited", "End": true}}},
                {"StartAt": "Flaky", "States": {
                  "Flaky": {"Type": "Task", "Resource": "crash:flaky", "Parameters": {"i.$": "$.i"},
                            "Retry": [{"ErrorEquals": ["FirstAttempt"], "IntervalSeconds": 1, "MaxAttempts": 3}],
                            "End": true}}}]},
              "Done": {"Type": "Succeed"}}}
            """;

    private CrashWorkflow() {}

    static StateMachine machine() throws InvalidDefinitionException {
        return Definitions.parse(
                DEFINITION, "crash.asl.json", false, r -> r.startsWith("crash:") ? null : "not a crash task");
    }

    static String name(int i) {
        return "exec-%03d".formatted(i);
    }

    static JsonNode input(int i) {
        ObjectNode o = MAPPER.createObjectNode().put("i", i);
        o.putArray("items").add(i).add(i + 1).add(i + 2);
        return o;
    }

    static JsonNode expectedOutput(int i) {
        ObjectNode o = (ObjectNode) input(i);
        var mapped = o.putArray("mapped");
        for (int k = 0; k < 3; k++) mapped.addObject().put("v", 2 * (i + k));
        var parallel = o.putArray("parallel");
        parallel.add("waited");
        parallel.addObject().put("i", i).put("attempt", 1);
        return o;
    }

    /**
     * The tasks: {@code crash:double} doubles {@code v}; {@code crash:flaky} fails its first attempt. Every call
     * appends its idempotency key to a marker file, as a plugin with side effects would use the key to do them
     * once.
     */
    record Tasks(Path markers) implements TaskInvoker {
        @Override
        public JsonNode invoke(TaskRequest request) throws StatesError {
            try {
                Files.writeString(
                        markers,
                        request.idempotencyKey() + "\n",
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (request.resource().equals("crash:double"))
                return MAPPER.createObjectNode()
                        .put("v", request.input().path("v").asInt() * 2);
            if (request.attempt() == 0) throw new StatesError("FirstAttempt", "attempt 0 fails");
            return MAPPER.createObjectNode()
                    .put("i", request.input().path("i").asInt())
                    .put("attempt", request.attempt());
        }
    }
}
