package io.dataflare.workflow.definition;

import java.util.Map;

/**
 * A state machine: the top-level definition, a Parallel branch or a Map's item processor.
 *
 * @param states         by name, in definition order
 * @param timeoutSeconds the execution's time limit (top level only), or null
 * @param pointer        where it is in the definition file (JSON Pointer)
 */
public record StateMachine(
        String startAt, Map<String, StateDefinition> states, Integer timeoutSeconds, String comment, String pointer) {
    public StateDefinition state(String name) {
        return states.get(name);
    }
}
