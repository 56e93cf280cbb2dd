package io.dataflare.workflow.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How an execution ended. */
public record ExecutionResult(String execution, ExecutionStatus status, JsonNode output, String error, String cause) {
    /** {@code {"execution", "status", "output", "error", "cause"}}. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("execution", execution);
        o.put("status", status.name());
        o.set("output", output == null ? JsonNodeFactory.instance.nullNode() : output);
        o.put("error", error);
        o.put("cause", cause);
        return o;
    }
}
