package io.dataflare.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.interpreter.TaskInvoker;
import io.dataflare.workflow.interpreter.TaskRequest;
import io.dataflare.workflow.validation.ResourceCheck;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Task resources with named behaviours, for tests:
 *
 * <ul>
 *   <li>{@code test:echo}: returns its input;
 *   <li>{@code test:fail:NAME:N[:CAUSE]}: its first N attempts fail with error NAME (N = {@code always}: every
 *       attempt), then it echoes;
 *   <li>{@code test:failcalls:NAME:N}: its first N calls in the execution's state fail with NAME, whatever
 *       the attempt (a task in a retried Parallel branch starts again at attempt 0);
 *   <li>{@code test:sleep:MS}: sleeps MS milliseconds for real, then echoes (for task timeouts).
 * </ul>
 *
 * Every call is remembered, so tests can see which tasks ran and with which idempotency keys.
 */
public final class TestTasks implements TaskInvoker {
    public final List<TaskRequest> calls = new CopyOnWriteArrayList<>();

    /** Accepts the {@code test:} resources only. */
    public static final ResourceCheck CHECK = r -> r.equals("test:echo")
                    || r.startsWith("test:fail:")
                    || r.startsWith("test:failcalls:")
                    || r.startsWith("test:sleep:")
            ? null
            : "unknown test resource '" + r + "'";

    @Override
    public JsonNode invoke(TaskRequest request) throws StatesError, InterruptedException {
        calls.add(request);
        String[] parts = request.resource().split(":", 5);
        switch (parts[1]) {
            case "echo":
                return request.input();
            case "fail": {
                boolean always = parts[3].equals("always");
                if (always || request.attempt() < Integer.parseInt(parts[3]))
                    throw new StatesError(
                            parts[2], parts.length > 4 ? parts[4] : "attempt " + request.attempt() + " failed");
                return request.input();
            }
            case "failcalls": {
                long before = calls.stream()
                        .filter(c -> c.execution().equals(request.execution())
                                && c.state().equals(request.state()))
                        .count();
                if (before <= Integer.parseInt(parts[3])) throw new StatesError(parts[2], "call " + before + " failed");
                return request.input();
            }
            case "sleep":
                Thread.sleep(Long.parseLong(parts[2]));
                return request.input();
            default:
                throw new IllegalArgumentException("unknown test resource " + request.resource());
        }
    }
}
