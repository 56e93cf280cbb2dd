package io.dataflare.workflow.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One task of the durable queue, as stored (namespace {@link TaskQueue#NAMESPACE}, key {@link #id}).
 *
 * @param id               the task's identity: a workflow task's idempotency key (the same when it is scheduled again
 *                         after a restart, so it is enqueued once)
 * @param queue            which workers take it: an activity's name
 * @param execution        the execution that scheduled it (null for a task not of a workflow)
 * @param group            whom it is fairly shared with: tasks of one priority level are claimed from each group in
 *                         turn (a workflow task's group is its workflow's name); a task stored without one is in
 *                         {@link #DEFAULT_GROUP}
 * @param state            the state that scheduled it
 * @param attempt          the state's attempt (0 first, one more per retry)
 * @param priority         higher is dispatched first
 * @param notBefore        not dispatched before this time
 * @param enqueuedAt       when it was enqueued (ties of priority go first in, first out)
 * @param heartbeatSeconds how long a lease lasts without a heartbeat (null: until the task ends)
 * @param deliveries       how many times it was leased
 * @param lease            the current lease's secret (part of the task token)
 * @param worker           who holds the lease
 * @param leaseUntil       when the lease ends without a heartbeat (null: no heartbeat needed)
 * @param output           the result of a {@link QueuedTask.Status#SUCCEEDED} task
 * @param error            the error of a {@link QueuedTask.Status#FAILED} or {@code TIMED_OUT} task
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueuedTask(
        String id,
        String queue,
        String execution,
        String group,
        String state,
        int attempt,
        int priority,
        Instant notBefore,
        Instant enqueuedAt,
        JsonNode input,
        Integer heartbeatSeconds,
        Status status,
        int deliveries,
        String lease,
        String worker,
        Instant leaseUntil,
        JsonNode output,
        String error,
        String cause) {

    /** The group of a task enqueued without one (also of every task stored before tasks had groups). */
    public static final String DEFAULT_GROUP = "";

    public QueuedTask {
        if (group == null) group = DEFAULT_GROUP;
    }

    /** READY: waits for a worker; LEASED: a worker has it; the others are its end, kept until the execution takes it. */
    public enum Status {
        READY,
        LEASED,
        SUCCEEDED,
        FAILED,
        TIMED_OUT;

        public boolean finished() {
            return this != READY && this != LEASED;
        }
    }

    /** A new task, ready at {@code notBefore}. */
    public static QueuedTask ready(
            String id,
            String queue,
            String execution,
            String state,
            int attempt,
            int priority,
            Instant notBefore,
            Instant enqueuedAt,
            JsonNode input,
            Integer heartbeatSeconds) {
        return new QueuedTask(
                id,
                queue,
                execution,
                DEFAULT_GROUP,
                state,
                attempt,
                priority,
                notBefore,
                enqueuedAt,
                input,
                heartbeatSeconds,
                Status.READY,
                0,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** This task in {@code g} (null: the default group). */
    public QueuedTask inGroup(String g) {
        return with(g, status, deliveries, lease, worker, leaseUntil, output, error, cause);
    }

    /** When a worker may take it. */
    public Instant readyAt() {
        return notBefore == null || notBefore.isBefore(enqueuedAt) ? enqueuedAt : notBefore;
    }

    /** Whether the lease ran out at {@code now} without a heartbeat. */
    public boolean leaseExpired(Instant now) {
        return status == Status.LEASED && leaseUntil != null && now.isAfter(leaseUntil);
    }

    QueuedTask leased(String secret, String by, Instant now) {
        Instant until = heartbeatSeconds == null ? null : now.plusSeconds(heartbeatSeconds);
        return with(group, Status.LEASED, deliveries + 1, secret, by, until, null, null, null);
    }

    QueuedTask heartbeat(Instant now) {
        Instant until = heartbeatSeconds == null ? null : now.plusSeconds(heartbeatSeconds);
        return with(group, status, deliveries, lease, worker, until, output, error, cause);
    }

    QueuedTask ended(Status end, JsonNode out, String err, String why) {
        return with(group, end, deliveries, lease, worker, leaseUntil, out, err, why);
    }

    /** This task (what was enqueued unchanged) with its group, status, lease and result as given. */
    private QueuedTask with(
            String g,
            Status st,
            int delivered,
            String secret,
            String by,
            Instant until,
            JsonNode out,
            String err,
            String why) {
        return new QueuedTask(
                id,
                queue,
                execution,
                g,
                state,
                attempt,
                priority,
                notBefore,
                enqueuedAt,
                input,
                heartbeatSeconds,
                st,
                delivered,
                secret,
                by,
                until,
                out,
                err,
                why);
    }
}
