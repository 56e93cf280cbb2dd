package io.dataflare.workflow.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One state. The fields a type does not have are null (lists empty). Paths: {@code "$"} when the field is
 * absent, null when it is JSON null (InputPath null: the state sees {@code {}}; ResultPath null: the result is
 * discarded; OutputPath null: the state outputs {@code {}}).
 *
 * @param heartbeatSeconds how long an activity task's lease lasts without a heartbeat (null: until it ends)
 * @param priority         an activity task's priority in the task queue (null: 0; higher is dispatched first)
 * @param compensate       the state that undoes this one if the execution fails after it (a saga), or null
 * @param pointer where the state is in the definition file (JSON Pointer), for problems found later
 */
public record StateDefinition(
        String name,
        StateType type,
        String pointer,
        String next,
        boolean end,
        String inputPath,
        String outputPath,
        String resultPath,
        JsonNode parameters,
        JsonNode resultSelector,
        JsonNode result,
        String resource,
        Integer timeoutSeconds,
        String timeoutSecondsPath,
        Integer heartbeatSeconds,
        Integer priority,
        String compensate,
        List<Retrier> retry,
        List<Catcher> catchers,
        List<ChoiceRule> choices,
        String defaultNext,
        Long seconds,
        String secondsPath,
        String timestamp,
        String timestampPath,
        String error,
        String cause,
        String errorPath,
        String causePath,
        List<StateMachine> branches,
        StateMachine itemProcessor,
        String itemsPath,
        JsonNode itemSelector,
        int maxConcurrency) {}
