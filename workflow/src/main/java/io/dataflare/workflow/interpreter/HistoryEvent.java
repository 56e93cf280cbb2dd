package io.dataflare.workflow.interpreter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event of an execution's history. Events are appended in order and never changed; the execution's
 * state is a fold of them ({@link ExecutionState#fold}). Fields an event type does not use are null.
 *
 * @param sequence  1, 2, 3... within the execution: the history's version after this event
 * @param scope     where in the execution: {@code ""} for the top level, {@code /3.0.1} for branch or item 1 of
 *                  the state entered at step 3 (attempt 0) of the top level, and so on down
 * @param state     the state's name
 * @param execution the execution's name (ExecutionStarted)
 * @param input     the state's, task's, branch's or execution's input
 * @param output    the state's, task's, branch's or execution's output
 * @param attempt   the task's attempt (0 first), or the retry's number
 * @param fireAt    when a Wait or a retry's delay ends
 * @param index     the branch or Map item
 * @param next      where a state went on (StateExited; null at the end of its machine)
 * @param taskKey   the task's idempotency key: the same when an in-flight task is run again after a restart
 * @param heartbeatSeconds an activity task's lease without heartbeat (TaskScheduled), which its queued task keeps
 * @param priority  an activity task's queue priority (TaskScheduled; null: 0), from its state's {@code Priority}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEvent(
        long sequence,
        Instant timestamp,
        EventType type,
        String scope,
        String state,
        String execution,
        JsonNode input,
        JsonNode output,
        String error,
        String cause,
        Integer attempt,
        Instant fireAt,
        Integer index,
        String next,
        String resource,
        String taskKey,
        Integer heartbeatSeconds,
        Integer priority) {

    /** An event of {@code type} in {@code scope}, to be completed with the with* methods and numbered on append. */
    public static HistoryEvent of(EventType type, String scope, String state) {
        return new HistoryEvent(
                0, null, type, scope, state, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    public HistoryEvent numbered(long seq, Instant at) {
        return new HistoryEvent(
                seq,
                at,
                type,
                scope,
                state,
                execution,
                input,
                output,
                error,
                cause,
                attempt,
                fireAt,
                index,
                next,
                resource,
                taskKey,
                heartbeatSeconds,
                priority);
    }

    public HistoryEvent withExecution(String v) {
        return new HistoryEvent(
                sequence,
                timestamp,
                type,
                scope,
                state,
                v,
                input,
                output,
                error,
                cause,
                attempt,
                fireAt,
                index,
                next,
                resource,
                taskKey,
                heartbeatSeconds,
                priority);
    }

    public HistoryEvent withInput(JsonNode v) {
        return new HistoryEvent(
                sequence,
                timestamp,
                type,
                scope,
                state,
                execution,
                v,
                output,
                error,
                cause,
                attempt,
                fireAt,
                index,
                next,
                resource,
                taskKey,
                heartbeatSeconds,
                priority);
    }

    public HistoryEvent withOutput(JsonNode v) {
        return new HistoryEvent(
                sequence,
                timestamp,
                type,
                scope,
                state,
                execution,
                input,
                v,
                error,
                cause,
                attempt,
                fireAt,
                index,
                next,
                resource,
                taskKey,
                heartbeatSeconds,
                priority);
    }

    public HistoryEvent withError(String e, String c) {
        return new HistoryEvent(
                sequence,
                timestamp,
                type,
                scope,
                state,
                execution,
                input,
                output,
                e,
                c,
                attempt,
                fireAt,
                index,
                next,
                resource,
                taskKey,
                heartbeatSeconds,
                priority);
    }

    public HistoryEvent withAttempt(int v) {
        return new HistoryEvent(
                sequence,
                timestamp,
                type,
                scope,
                state,
                execution,
                input,
                output,
                error,
                cause,
                v,
                fireAt,
                index,
                next,
                resource,
                taskKey,
                heartbeatSeconds,
                priority);
    }

    public HistoryEvent withFireAt(Instant v) {
        return new HistoryEvent(
                sequence,
                timestamp,
                type,
                scope,
                state,
                execution,
                input,
                output,
                error,
                cause,
                attempt,
                v,
                index,
                next,
                resource,
                taskKey,
                heartbeatSeconds,
                priority);
    }

    public HistoryEvent withIndex(int v) {
        return new HistoryEvent(
                sequence,
                timestamp,
                type,
                scope,
                state,
                execution,
                input,
                output,
                error,
                cause,
                attempt,
                fireAt,
                v,
                next,
                resource,
                taskKey,
                heartbeatSeconds,
                priority);
    }

    public HistoryEvent withNext(String v) {
        return new HistoryEvent(
                sequence,
                timestamp,
                type,
                scope,
                state,
                execution,
                input,
                output,
                error,
                cause,
                attempt,
                fireAt,
                index,
                v,
                resource,
                taskKey,
                heartbeatSeconds,
                priority);
    }

    public HistoryEvent withTask(String res, String key) {
        return new HistoryEvent(
                sequence,
                timestamp,
                type,
                scope,
                state,
                execution,
                input,
                output,
                error,
                cause,
                attempt,
                fireAt,
                index,
                next,
                res,
                key,
                heartbeatSeconds,
                priority);
    }

    public HistoryEvent withHeartbeatSeconds(Integer v) {
        return new HistoryEvent(
                sequence, timestamp, type, scope, state, execution, input, output, error, cause, attempt, fireAt, index,
                next, resource, taskKey, v, priority);
    }

    public HistoryEvent withPriority(Integer v) {
        return new HistoryEvent(
                sequence,
                timestamp,
                type,
                scope,
                state,
                execution,
                input,
                output,
                error,
                cause,
                attempt,
                fireAt,
                index,
                next,
                resource,
                taskKey,
                heartbeatSeconds,
                v);
    }
}
