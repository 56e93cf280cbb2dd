package io.dataflare.workflow.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.engine.state.StateConflictException;
import io.dataflare.engine.state.Versioned;
import io.dataflare.workflow.error.StatesError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Human approval on callbacks: a Task with {@code "Resource": "approval.waitForTaskToken"} waits (in the queue
 * {@link #QUEUE}) until its approvers decide. Its input says who and how:
 * {@code {"approvers": ["alice", "bob"], "rule": "any"|"all", "due": "2026-01-02T00:00:00Z" or "due_seconds": 3600,
 * "on_timeout": "reject"|"approve"|"escalate"}}. Rule {@code any}: the first decision decides; {@code all}: every
 * approver must approve, and one rejection rejects. Approved, the task's result is
 * {@code {"approved": true, "decisions": [...]}}; rejected, it fails with {@code ApprovalRejected}; past its due
 * date it takes its {@code on_timeout} action (escalate: it fails with {@code ApprovalEscalated}, for a Catch to
 * route). Decisions are kept in namespace {@link #DECISIONS} until the approval ends.
 */
public final class Approvals {
    public static final String RESOURCE = "approval.waitForTaskToken";
    public static final String QUEUE = "approval";
    public static final String DECISIONS = "workflow.approvals";
    public static final String REJECTED = "ApprovalRejected";
    public static final String ESCALATED = "ApprovalEscalated";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final TaskQueue queue;

    public Approvals(TaskQueue queue) {
        this.queue = queue;
    }

    /** How an approval is decided. */
    public enum Rule {
        ANY,
        ALL
    }

    /** What happens when nobody decided by the due date. */
    public enum OnTimeout {
        APPROVE,
        REJECT,
        ESCALATE
    }

    /** One approver's decision. */
    public record Decision(String approver, boolean approved, String comment, Instant at) {}

    /** A pending approval: its id (for the API), where it is, who decides, how and by when, and what was decided. */
    public record Approval(
            String id,
            String execution,
            String state,
            List<String> approvers,
            Rule rule,
            Instant due,
            OnTimeout onTimeout,
            JsonNode input,
            List<Decision> decisions) {}

    /** A decision that cannot be taken: {@code notFound} (404) or a conflict (409). */
    public static final class ApprovalException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean notFound;

        ApprovalException(boolean notFound, String message) {
            super(message);
            this.notFound = notFound;
        }

        public boolean notFound() {
            return notFound;
        }
    }

    /** The approval's id in the API: the base64url of its task's id. */
    public static String id(String taskId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(taskId.getBytes(StandardCharsets.UTF_8));
    }

    /** The pending approvals, oldest first (their due timeouts applied first). */
    public List<Approval> pending() {
        List<Approval> out = new ArrayList<>();
        for (QueuedTask t : queue.tasks()) {
            if (!t.queue().equals(QUEUE) || t.status() != QueuedTask.Status.LEASED) continue;
            Approval a;
            try {
                a = approval(t);
            } catch (StatesError e) {
                continue; // an invalid one fails its task (see await)
            }
            if (timedOut(a)) continue;
            out.add(a);
        }
        out.sort(java.util.Comparator.comparing(Approval::id));
        return out;
    }

    /**
     * Records {@code approver}'s decision and ends the approval when its rule is met.
     *
     * @throws ApprovalException not found (404), or not an approver, already decided by them, or ended (409)
     */
    public Approval decide(String id, String approver, boolean approve, String comment) {
        String taskId;
        try {
            taskId = new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8);
            if (taskId.isEmpty() || taskId.length() > 200) throw new IllegalArgumentException("not a task id");
        } catch (IllegalArgumentException e) {
            throw new ApprovalException(true, "no approval '" + id + "'");
        }
        for (int tries = 0; ; tries++) {
            QueuedTask t = queue.get(taskId)
                    .filter(x -> x.queue().equals(QUEUE))
                    .orElseThrow(() -> new ApprovalException(true, "no approval '" + id + "' is pending"));
            if (t.status() != QueuedTask.Status.LEASED)
                throw new ApprovalException(false, "approval '" + id + "' has ended: " + t.status());
            Approval a;
            try {
                a = approval(t);
            } catch (StatesError e) {
                throw new ApprovalException(false, "approval '" + id + "' is invalid: " + e.getMessage());
            }
            if (timedOut(a)) throw new ApprovalException(false, "approval '" + id + "' was due at " + a.due());
            if (!a.approvers().contains(approver))
                throw new ApprovalException(
                        false,
                        "'" + approver + "' is not an approver of '" + id + "' (approvers: " + a.approvers() + ")");
            if (a.decisions().stream().anyMatch(d -> d.approver().equals(approver)))
                throw new ApprovalException(false, "'" + approver + "' has decided on '" + id + "' already");
            Optional<Versioned> v = queue.store().getVersioned(DECISIONS, taskId);
            List<Decision> decisions = new ArrayList<>(a.decisions());
            decisions.add(new Decision(approver, approve, comment == null ? "" : comment, queue.now()));
            try {
                queue.store()
                        .transaction()
                        .expectVersion(
                                DECISIONS, taskId, v.map(Versioned::version).orElse(0L))
                        .put(DECISIONS, taskId, TaskQueue.MAPPER.writeValueAsString(decisions))
                        .commit();
            } catch (StateConflictException e) {
                if (tries < 10) continue; // another approver decided at the same time: decide on what is stored now
                throw new ApprovalException(false, "approval '" + id + "' changed too often; try again");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            Approval after = new Approval(
                    a.id(),
                    a.execution(),
                    a.state(),
                    a.approvers(),
                    a.rule(),
                    a.due(),
                    a.onTimeout(),
                    a.input(),
                    List.copyOf(decisions));
            conclude(t, after);
            return after;
        }
    }

    /** Ends the approval's task when its decisions meet its rule. */
    private void conclude(QueuedTask t, Approval a) {
        String token = queue.callbackToken(t.id());
        Optional<Decision> rejection =
                a.decisions().stream().filter(d -> !d.approved()).findFirst();
        long approvals = a.decisions().stream().filter(Decision::approved).count();
        if (rejection.isPresent())
            queue.fail(
                    token,
                    REJECTED,
                    "rejected by " + rejection.get().approver()
                            + (rejection.get().comment().isEmpty()
                                    ? ""
                                    : ": " + rejection.get().comment()));
        else if (a.rule() == Rule.ANY
                ? approvals >= 1
                : approvals >= a.approvers().size()) queue.succeed(token, result(a, false));
    }

    /** Applies the approval's timeout action if it is due; whether it was. */
    private boolean timedOut(Approval a) {
        if (a.due() == null || queue.now().isBefore(a.due())) return false;
        QueuedTask t = queue.get(taskId(a)).orElse(null);
        if (t == null || t.status() != QueuedTask.Status.LEASED) return true;
        String token = queue.callbackToken(t.id());
        switch (a.onTimeout()) {
            case APPROVE -> queue.succeed(token, result(a, true));
            case REJECT -> queue.fail(token, REJECTED, "nobody decided by " + a.due());
            case ESCALATE -> queue.fail(token, ESCALATED, "nobody decided by " + a.due());
        }
        return true;
    }

    /**
     * Waits for the approval task {@code taskId} to end, applying its timeout when it is due.
     *
     * @throws StatesError {@code States.Runtime} when its input is not a valid approval
     */
    QueuedTask await(String taskId) throws StatesError, InterruptedException {
        QueuedTask t = queue.get(taskId).orElseThrow(() -> StatesError.runtime("no approval task " + taskId));
        Approval a = approval(t);
        while (true) {
            Optional<QueuedTask> ended = queue.awaitEnd(taskId, a.due());
            if (ended.isPresent()) return ended.get();
            timedOut(a);
        }
    }

    private static String taskId(Approval a) {
        return new String(Base64.getUrlDecoder().decode(a.id()), StandardCharsets.UTF_8);
    }

    private static ObjectNode result(Approval a, boolean timedOut) {
        ObjectNode o = F.objectNode().put("approved", true);
        if (timedOut) o.put("timed_out", true);
        ArrayNode ds = o.putArray("decisions");
        for (Decision d : a.decisions())
            ds.addObject()
                    .put("approver", d.approver())
                    .put("approved", d.approved())
                    .put("comment", d.comment())
                    .put("at", d.at().toString());
        return o;
    }

    /** The approval a task's input describes. */
    Approval approval(QueuedTask t) throws StatesError {
        JsonNode in = t.input();
        String where = "approval of state '" + t.state() + "': ";
        if (in == null || !in.isObject()) throw StatesError.runtime(where + "its input must be an object");
        List<String> approvers = new ArrayList<>();
        JsonNode ap = in.get("approvers");
        if (ap == null || !ap.isArray() || ap.isEmpty())
            throw StatesError.runtime(where + "'approvers' must be a non-empty array of names");
        for (JsonNode n : ap) {
            if (!n.isTextual() || n.asText().isBlank())
                throw StatesError.runtime(where + "'approvers' must hold names, got " + n);
            approvers.add(n.asText());
        }
        Rule rule = option(in, "rule", Rule.ANY, Rule.class, where);
        OnTimeout onTimeout = option(in, "on_timeout", OnTimeout.REJECT, OnTimeout.class, where);
        Instant due = null;
        if (in.hasNonNull("due")) {
            try {
                due = Instant.parse(in.get("due").asText());
            } catch (DateTimeParseException e) {
                throw StatesError.runtime(where + "'due' must be an RFC 3339 timestamp, got " + in.get("due"));
            }
        } else if (in.hasNonNull("due_seconds")) {
            JsonNode s = in.get("due_seconds");
            if (!s.isIntegralNumber() || s.longValue() <= 0)
                throw StatesError.runtime(where + "'due_seconds' must be a positive integer, got " + s);
            due = t.enqueuedAt().plusSeconds(s.longValue());
        }
        List<Decision> decisions = new ArrayList<>();
        Optional<String> stored = queue.store().get(DECISIONS, t.id());
        if (stored.isPresent()) {
            try {
                decisions.addAll(List.of(TaskQueue.MAPPER.readValue(stored.get(), Decision[].class)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("the decisions on " + t.id() + " do not read", e);
            }
        }
        return new Approval(
                id(t.id()),
                t.execution(),
                t.state(),
                List.copyOf(approvers),
                rule,
                due,
                onTimeout,
                in,
                List.copyOf(decisions));
    }

    private static <E extends Enum<E>> E option(JsonNode in, String field, E dflt, Class<E> type, String where)
            throws StatesError {
        if (!in.hasNonNull(field)) return dflt;
        try {
            return Enum.valueOf(type, in.get(field).asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw StatesError.runtime(where + "'" + field + "' must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", got "
                    + in.get(field));
        }
    }
}
