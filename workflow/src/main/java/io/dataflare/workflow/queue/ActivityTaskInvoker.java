package io.dataflare.workflow.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.dataflare.workflow.definition.DefinitionParser;
import io.dataflare.workflow.error.ErrorNames;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.interpreter.TaskInvoker;
import io.dataflare.workflow.interpreter.TaskRequest;
import io.dataflare.workflow.signal.Signals;
import io.dataflare.workflow.validation.ResourceCheck;
import java.util.regex.Pattern;

/**
 * Runs {@code activity:NAME} tasks by waiting for an external worker: the task was enqueued with its TaskScheduled
 * event (see {@code StoreHistory}), a worker polls it, and its success or failure (or a lease that ran out:
 * {@code States.HeartbeatTimeout}) is the task's result. Called again for the same attempt after a restart, it
 * waits for the same queued task, which may have ended meanwhile. A {@code .waitForTaskToken} task
 * ({@code callback.waitForTaskToken}, or {@code RESOURCE.waitForTaskToken}: RESOURCE is called first, with
 * {@code $$.Task.Token} in its input if its Parameters pass it) waits for the answer to its token in the same way.
 * A {@code signal:NAME} task waits for the execution's next signal NAME (see {@link Signals}); its body is the
 * task's result. Every other resource goes to {@code others}.
 */
public final class ActivityTaskInvoker implements TaskInvoker, ResourceCheck {
    /** An activity's name: what workers poll in {@code POST /api/activities/{name}/poll}. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

    private final TaskQueue queue;
    private final TaskInvoker others;
    private final ResourceCheck otherCheck;
    private final Approvals approvals;
    private final Signals signals;

    public ActivityTaskInvoker(TaskQueue queue, TaskInvoker others, ResourceCheck otherCheck) {
        this.queue = queue;
        this.others = others;
        this.otherCheck = otherCheck;
        this.approvals = new Approvals(queue);
        this.signals = new Signals(queue.store());
    }

    /** The signals of the executions (on the queue's store), which {@code signal:NAME} tasks wait for. */
    public Signals signals() {
        return signals;
    }

    /** Whether {@code resource} is an activity. */
    public static boolean isActivity(String resource) {
        return resource.startsWith(DefinitionParser.ACTIVITY_PREFIX);
    }

    /** {@code callback.waitForTaskToken}: no call, only the wait for the token (handed out by the API). */
    public static final String CALLBACK = "callback" + DefinitionParser.WAIT_FOR_TASK_TOKEN;

    @Override
    public String callbackToken(String idempotencyKey) {
        return queue.callbackToken(idempotencyKey);
    }

    @Override
    public String problem(String resource) {
        if (Signals.isSignal(resource)) return Signals.problem(resource);
        if (resource.endsWith(DefinitionParser.WAIT_FOR_TASK_TOKEN)) {
            if (resource.equals(CALLBACK) || resource.equals(Approvals.RESOURCE)) return null;
            String base = resource.substring(0, resource.length() - DefinitionParser.WAIT_FOR_TASK_TOKEN.length());
            return isActivity(base) ? "an activity cannot wait for a task token" : otherCheck.problem(base);
        }
        if (!isActivity(resource)) return otherCheck.problem(resource);
        String name = resource.substring(DefinitionParser.ACTIVITY_PREFIX.length());
        return NAME.matcher(name).matches()
                ? null
                : "activity name '" + name + "' must be 1 to 80 letters, digits, '.', '_' or '-' (not first)";
    }

    @Override
    public JsonNode invoke(TaskRequest request) throws StatesError, InterruptedException {
        String resource = request.resource();
        boolean callback = resource.endsWith(DefinitionParser.WAIT_FOR_TASK_TOKEN);
        if (resource.equals(Approvals.RESOURCE)) return outcome(approvals.await(request.idempotencyKey()));
        if (Signals.isSignal(resource))
            return signals.await(
                    request.execution(), resource.substring(Signals.PREFIX.length()), request.idempotencyKey());
        if (callback && !resource.equals(CALLBACK)) {
            // hand the token over: the resource's own result is not the task's (the answer to the token is);
            // run again after a restart, it gets the same token
            String base = resource.substring(0, resource.length() - DefinitionParser.WAIT_FOR_TASK_TOKEN.length());
            others.invoke(new TaskRequest(
                    request.execution(),
                    request.state(),
                    base,
                    request.input(),
                    request.idempotencyKey(),
                    request.attempt()));
        }
        if (!callback && !isActivity(resource)) return others.invoke(request);
        QueuedTask t;
        try {
            t = queue.awaitEnd(request.idempotencyKey());
        } catch (IllegalStateException e) {
            throw new StatesError(ErrorNames.TASK_FAILED, e.getMessage(), e);
        }
        return outcome(t);
    }

    private static JsonNode outcome(QueuedTask t) throws StatesError {
        return switch (t.status()) {
            case SUCCEEDED -> t.output() == null ? NullNode.getInstance() : t.output();
            case FAILED -> throw new StatesError(t.error() == null ? ErrorNames.TASK_FAILED : t.error(), t.cause());
            default -> throw new StatesError(ErrorNames.HEARTBEAT_TIMEOUT, t.cause());
        };
    }
}
