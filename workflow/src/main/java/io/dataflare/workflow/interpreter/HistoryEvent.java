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
        Copy c = new Copy();
        c.type = type;
        c.scope = scope;
        c.state = state;
        return c.build();
    }

    public HistoryEvent numbered(long seq, Instant at) {
        return with(c -> {
            c.sequence = seq;
            c.timestamp = at;
        });
    }

    public HistoryEvent withExecution(String v) {
        return with(c -> c.execution = v);
    }

    public HistoryEvent withInput(JsonNode v) {
        return with(c -> c.input = v);
    }

    public HistoryEvent withOutput(JsonNode v) {
        return with(c -> c.output = v);
    }

    public HistoryEvent withError(String e, String cause) {
        return with(c -> {
            c.error = e;
            c.cause = cause;
        });
    }

    public HistoryEvent withAttempt(int v) {
        return with(c -> c.attempt = v);
    }

    public HistoryEvent withFireAt(Instant v) {
        return with(c -> c.fireAt = v);
    }

    public HistoryEvent withIndex(int v) {
        return with(c -> c.index = v);
    }

    public HistoryEvent withNext(String v) {
        return with(c -> c.next = v);
    }

    public HistoryEvent withTask(String res, String key) {
        return with(c -> {
            c.resource = res;
            c.taskKey = key;
        });
    }

    public HistoryEvent withHeartbeatSeconds(Integer v) {
        return with(c -> c.heartbeatSeconds = v);
    }

    public HistoryEvent withPriority(Integer v) {
        return with(c -> c.priority = v);
    }

    /** This event with the fields {@code change} sets. */
    private HistoryEvent with(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** An event's fields to change one or two of (a record's components cannot be set): one copy for every with*. */
    private static final class Copy {
        long sequence;
        Instant timestamp;
        EventType type;
        String scope;
        String state;
        String execution;
        JsonNode input;
        JsonNode output;
        String error;
        String cause;
        Integer attempt;
        Instant fireAt;
        Integer index;
        String next;
        String resource;
        String taskKey;
        Integer heartbeatSeconds;
        Integer priority;

        Copy() {}

        Copy(HistoryEvent e) {
            sequence = e.sequence;
            timestamp = e.timestamp;
            type = e.type;
            scope = e.scope;
            state = e.state;
            execution = e.execution;
            input = e.input;
            output = e.output;
            error = e.error;
            cause = e.cause;
            attempt = e.attempt;
            fireAt = e.fireAt;
            index = e.index;
            next = e.next;
            resource = e.resource;
            taskKey = e.taskKey;
            heartbeatSeconds = e.heartbeatSeconds;
            priority = e.priority;
        }

        HistoryEvent build() {
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
                    priority);
        }
    }
}
