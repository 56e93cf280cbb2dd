package io.dataflare.workflow.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.workflow.choice.Condition;
import io.dataflare.workflow.choice.Operator;
import io.dataflare.workflow.error.ErrorNames;
import io.dataflare.workflow.path.JsonPaths;
import io.dataflare.workflow.path.PayloadTemplate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a definition document into a {@link StateMachine}, reporting every field that is unknown, missing, of
 * the wrong type or not a valid path, template, intrinsic call or Choice rule. The graph (targets,
 * reachability) is checked by the validation package.
 */
public final class DefinitionParser {
    /** A Task resource run by external workers polling the activity's queue. */
    public static final String ACTIVITY_PREFIX = "activity:";
    /** A Task resource suffix: the task ends when its token is answered, not when its resource returns. */
    public static final String WAIT_FOR_TASK_TOKEN = ".waitForTaskToken";

    /** The saga extension: the state that undoes this one when the execution fails after it completed. */
    public static final String COMPENSATE = "Compensate";

    /** The scheduling extension: an activity task's priority in the task queue (an integer, higher first). */
    public static final String PRIORITY = "Priority";

    private static final Set<String> COMMON = Set.of("Type", "Comment");
    private static final Set<String> FLOW = Set.of("Next", "End", "InputPath", "OutputPath");
    /** The fields of the definition itself and of a nested machine (a Parallel branch, a Map's processor). */
    static final Set<String> TOP_FIELDS = Set.of("StartAt", "States", "Comment", "TimeoutSeconds", "Version");

    static final Set<String> NESTED_FIELDS = Set.of("StartAt", "States", "Comment", "ProcessorConfig");
    static final Set<String> RETRIER_FIELDS = Set.of(
            "ErrorEquals",
            "IntervalSeconds",
            "MaxAttempts",
            "BackoffRate",
            "MaxDelaySeconds",
            "JitterStrategy",
            "Comment");
    static final Set<String> CATCHER_FIELDS = Set.of("ErrorEquals", "Next", "ResultPath", "Comment");
    private static final Map<StateType, Set<String>> FIELDS = new EnumMap<>(StateType.class);
    /** Fields of the States language this engine does not implement (yet): reported as such, not as unknown. */
    private static final Set<String> UNSUPPORTED = Set.of(
            "HeartbeatSecondsPath",
            "Credentials",
            "ItemReader",
            "ResultWriter",
            "ItemBatcher",
            "ToleratedFailurePercentage",
            "ToleratedFailureCount",
            "ToleratedFailurePercentagePath",
            "ToleratedFailureCountPath",
            "MaxConcurrencyPath",
            "Label",
            "Arguments",
            "Output",
            "Assign",
            "QueryLanguage",
            "Items");

    static {
        FIELDS.put(
                StateType.Task,
                Set.of(
                        "Resource",
                        "Parameters",
                        "ResultSelector",
                        "ResultPath",
                        "Retry",
                        "Catch",
                        "TimeoutSeconds",
                        "TimeoutSecondsPath",
                        "HeartbeatSeconds",
                        PRIORITY,
                        COMPENSATE));
        FIELDS.put(StateType.Pass, Set.of("Parameters", "ResultPath", "Result", COMPENSATE));
        FIELDS.put(StateType.Choice, Set.of("Choices", "Default", "InputPath", "OutputPath"));
        FIELDS.put(StateType.Wait, Set.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath"));
        FIELDS.put(
                StateType.Parallel,
                Set.of("Branches", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", COMPENSATE));
        FIELDS.put(
                StateType.Map,
                Set.of(
                        "ItemProcessor",
                        "Iterator",
                        "ItemsPath",
                        "ItemSelector",
                        "Parameters",
                        "ResultSelector",
                        "ResultPath",
                        "Retry",
                        "Catch",
                        "MaxConcurrency",
                        COMPENSATE));
        FIELDS.put(StateType.Succeed, Set.of("InputPath", "OutputPath"));
        FIELDS.put(StateType.Fail, Set.of("Error", "Cause", "ErrorPath", "CausePath"));
    }

    /** Every field a state of {@code type} may have (the schema is generated from these, so it cannot drift). */
    static Set<String> stateFields(StateType type) {
        Set<String> all = new java.util.TreeSet<>(COMMON);
        all.addAll(FIELDS.get(type));
        if (type != StateType.Choice && !type.terminal()) all.addAll(FLOW);
        return all;
    }

    private final Problems problems;

    private DefinitionParser(Problems problems) {
        this.problems = problems;
    }

    /** Parses the whole document, adding what is wrong to {@code problems}; the result is only usable without them. */
    public static StateMachine parse(LocatedJson json, Problems problems) {
        return new DefinitionParser(problems).machine(json.root(), "", true);
    }

    private StateMachine machine(JsonNode node, String ptr, boolean top) {
        if (!(node instanceof ObjectNode o)) {
            problems.at(ptr, (top ? "the definition" : "a state machine") + " must be an object");
            return new StateMachine(null, Map.of(), null, null, ptr);
        }
        Set<String> allowed = top ? TOP_FIELDS : NESTED_FIELDS;
        for (String f : fieldNames(o)) {
            if (f.equals("QueryLanguage") && "JSONPath".equals(o.get(f).asText())) continue;
            if (!allowed.contains(f)) unknown(ptr, f, top ? "the definition" : "a state machine");
        }
        if (o.has("QueryLanguage") && !"JSONPath".equals(o.get("QueryLanguage").asText()))
            problems.at(
                    ptr + "/QueryLanguage",
                    "QueryLanguage " + o.get("QueryLanguage") + " is not supported: only JSONPath");
        if (o.get("ProcessorConfig") instanceof ObjectNode pc) {
            for (String f : fieldNames(pc)) {
                if (!f.equals("Mode") && !f.equals("ExecutionType"))
                    unknown(ptr + "/ProcessorConfig", f, "ProcessorConfig");
            }
            if (pc.has("Mode") && !"INLINE".equals(pc.get("Mode").asText()))
                problems.at(
                        ptr + "/ProcessorConfig/Mode", "only the INLINE Map mode is supported, not " + pc.get("Mode"));
        }
        String startAt = string(o, ptr, "StartAt", true);
        Integer timeout = positiveInt(o, ptr, "TimeoutSeconds");
        String comment = o.has("Comment") ? o.get("Comment").asText() : null;
        Map<String, StateDefinition> states = new LinkedHashMap<>();
        JsonNode s = o.get("States");
        if (s == null) problems.at(ptr, "'States' is missing");
        else if (!(s instanceof ObjectNode so) || so.isEmpty())
            problems.at(ptr + "/States", "'States' must be an object with at least one state");
        else {
            for (Map.Entry<String, JsonNode> e : so.properties()) {
                String name = e.getKey();
                String sp = ptr + "/States/" + LocatedJson.escape(name);
                if (name.isEmpty() || name.length() > 80)
                    problems.key(sp, "a state name must be 1 to 80 characters long");
                StateDefinition d = state(name, e.getValue(), sp);
                if (d != null) states.put(name, d);
            }
        }
        return new StateMachine(startAt, states, timeout, comment, ptr);
    }

    private StateDefinition state(String name, JsonNode node, String ptr) {
        if (!(node instanceof ObjectNode o)) {
            problems.at(ptr, "state '" + name + "' must be an object");
            return null;
        }
        String typeName = string(o, ptr, "Type", true);
        if (typeName == null) return null;
        StateType type;
        try {
            type = StateType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            problems.at(
                    ptr + "/Type",
                    "state '" + name + "': unknown Type '" + typeName
                            + "' (Task, Pass, Choice, Wait, Parallel, Map, Succeed, Fail)");
            return null;
        }
        Set<String> allowed = FIELDS.get(type);
        boolean flows = type != StateType.Choice && !type.terminal();
        for (String f : fieldNames(o)) {
            if (COMMON.contains(f) || allowed.contains(f)) continue;
            if (flows && FLOW.contains(f)) continue;
            if (UNSUPPORTED.contains(f)) {
                problems.key(ptr + "/" + LocatedJson.escape(f), "state '" + name + "': " + f + " is not supported");
            } else {
                unknown(ptr, f, "a " + type + " state ('" + name + "')");
            }
        }
        String next = flows ? string(o, ptr, "Next", false) : null;
        boolean end = false;
        if (flows && o.has("End")) {
            if (!o.get("End").isBoolean()) problems.at(ptr + "/End", "'End' must be true or false");
            end = o.get("End").asBoolean();
        }
        if (flows && next != null && end)
            problems.at(ptr + "/Next", "state '" + name + "' has both Next and End: true");
        if (flows && next == null && !end) problems.at(ptr, "state '" + name + "' has neither Next nor End: true");
        String inputPath = path(o, ptr, "InputPath", false);
        String outputPath = path(o, ptr, "OutputPath", false);
        String resultPath = path(o, ptr, "ResultPath", true);
        JsonNode parameters = template(o, ptr, "Parameters");
        JsonNode resultSelector = template(o, ptr, "ResultSelector");
        JsonNode itemSelector = template(o, ptr, "ItemSelector");
        if (type == StateType.Map && parameters != null && itemSelector != null)
            problems.at(ptr + "/Parameters", "a Map state has either ItemSelector or Parameters, not both");
        if (type == StateType.Map && itemSelector == null) itemSelector = parameters;

        String resource = type == StateType.Task ? string(o, ptr, "Resource", true) : null;
        Integer timeout = positiveInt(o, ptr, "TimeoutSeconds");
        String timeoutPath = referencePath(o, ptr, "TimeoutSecondsPath");
        if (timeout != null && timeoutPath != null)
            problems.at(ptr + "/TimeoutSecondsPath", "TimeoutSeconds and TimeoutSecondsPath exclude each other");
        Integer heartbeat = positiveInt(o, ptr, "HeartbeatSeconds");
        if (heartbeat != null
                && resource != null
                && !resource.startsWith(ACTIVITY_PREFIX)
                && !resource.endsWith(WAIT_FOR_TASK_TOKEN))
            problems.at(
                    ptr + "/HeartbeatSeconds",
                    "HeartbeatSeconds applies to activity tasks (Resource \"activity:NAME\") and"
                            + " .waitForTaskToken tasks only");
        if (heartbeat != null && timeout != null && heartbeat >= timeout)
            problems.at(ptr + "/HeartbeatSeconds", "HeartbeatSeconds must be smaller than TimeoutSeconds");

        Integer priority = integer(o, ptr, PRIORITY);
        if (priority != null && resource != null && !resource.startsWith(ACTIVITY_PREFIX))
            problems.at(
                    ptr + "/" + PRIORITY,
                    "Priority applies to activity tasks (Resource \"activity:NAME\") only: other tasks are not queued");

        List<Retrier> retry = o.has("Retry") ? retriers(o.get("Retry"), ptr + "/Retry") : List.of();
        List<Catcher> catchers = o.has("Catch") ? catchers(o.get("Catch"), ptr + "/Catch") : List.of();

        List<ChoiceRule> choices = new ArrayList<>();
        String defaultNext = null;
        if (type == StateType.Choice) {
            JsonNode c = o.get("Choices");
            if (c == null || !c.isArray() || c.isEmpty())
                problems.at(c == null ? ptr : ptr + "/Choices", "a Choice state needs a non-empty 'Choices' array");
            else {
                for (int i = 0; i < c.size(); i++) {
                    String rp = ptr + "/Choices/" + i;
                    Condition cond = condition(c.get(i), rp, true);
                    String rn = c.get(i).isObject() ? string((ObjectNode) c.get(i), rp, "Next", true) : null;
                    if (cond != null) choices.add(new ChoiceRule(cond, rn));
                }
            }
            defaultNext = string(o, ptr, "Default", false);
        }

        Long seconds = null;
        String secondsPath = null, timestamp = null, timestampPath = null;
        if (type == StateType.Wait) {
            int given = 0;
            if (o.has("Seconds")) {
                given++;
                JsonNode v = o.get("Seconds");
                if (!v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() < 0)
                    problems.at(ptr + "/Seconds", "'Seconds' must be a non-negative integer");
                else seconds = v.longValue();
            }
            if (o.has("SecondsPath")) {
                given++;
                secondsPath = referencePath(o, ptr, "SecondsPath");
            }
            if (o.has("Timestamp")) {
                given++;
                timestamp = string(o, ptr, "Timestamp", true);
                if (timestamp != null && !isTimestamp(timestamp))
                    problems.at(ptr + "/Timestamp", "'" + timestamp + "' is not an RFC 3339 timestamp");
            }
            if (o.has("TimestampPath")) {
                given++;
                timestampPath = referencePath(o, ptr, "TimestampPath");
            }
            if (given != 1)
                problems.at(ptr, "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath");
        }

        String error = null, cause = null, errorPath = null, causePath = null;
        if (type == StateType.Fail) {
            error = string(o, ptr, "Error", false);
            cause = string(o, ptr, "Cause", false);
            errorPath = selector(o, ptr, "ErrorPath");
            causePath = selector(o, ptr, "CausePath");
            if (error != null && errorPath != null)
                problems.at(ptr + "/ErrorPath", "Error and ErrorPath exclude each other");
            if (cause != null && causePath != null)
                problems.at(ptr + "/CausePath", "Cause and CausePath exclude each other");
        }

        List<StateMachine> branches = new ArrayList<>();
        if (type == StateType.Parallel) {
            JsonNode b = o.get("Branches");
            if (b == null || !b.isArray() || b.isEmpty())
                problems.at(b == null ? ptr : ptr + "/Branches", "a Parallel state needs a non-empty 'Branches' array");
            else for (int i = 0; i < b.size(); i++) branches.add(machine(b.get(i), ptr + "/Branches/" + i, false));
        }
        StateMachine processor = null;
        String itemsPath = "$";
        int maxConcurrency = 0;
        if (type == StateType.Map) {
            boolean hasP = o.has("ItemProcessor"), hasI = o.has("Iterator");
            if (hasP == hasI) problems.at(ptr, "a Map state needs exactly one of ItemProcessor and Iterator");
            else {
                String f = hasP ? "ItemProcessor" : "Iterator";
                processor = machine(o.get(f), ptr + "/" + f, false);
            }
            if (o.has("ItemsPath")) itemsPath = referencePath(o, ptr, "ItemsPath");
            if (o.has("MaxConcurrency")) {
                JsonNode m = o.get("MaxConcurrency");
                if (!m.isIntegralNumber() || m.intValue() < 0)
                    problems.at(ptr + "/MaxConcurrency", "'MaxConcurrency' must be a non-negative integer");
                else maxConcurrency = m.intValue();
            }
        }
        return new StateDefinition(
                name,
                type,
                ptr,
                next,
                end,
                inputPath,
                outputPath,
                resultPath,
                parameters,
                resultSelector,
                type == StateType.Pass ? o.get("Result") : null,
                resource,
                timeout,
                timeoutPath,
                heartbeat,
                priority,
                string(o, ptr, COMPENSATE, false),
                retry,
                catchers,
                choices,
                defaultNext,
                seconds,
                secondsPath,
                timestamp,
                timestampPath,
                error,
                cause,
                errorPath,
                causePath,
                branches,
                processor,
                itemsPath,
                itemSelector,
                maxConcurrency);
    }

    private List<Retrier> retriers(JsonNode node, String ptr) {
        List<Retrier> out = new ArrayList<>();
        if (!node.isArray()) {
            problems.at(ptr, "'Retry' must be an array");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            String p = ptr + "/" + i;
            if (!(node.get(i) instanceof ObjectNode o)) {
                problems.at(p, "a retrier must be an object");
                continue;
            }
            for (String f : fieldNames(o)) {
                if (!RETRIER_FIELDS.contains(f)) unknown(p, f, "a retrier");
            }
            List<String> errors = errorEquals(o, p, i == node.size() - 1, "retrier");
            Integer interval = positiveInt(o, p, "IntervalSeconds");
            int maxAttempts = 3;
            if (o.has("MaxAttempts")) {
                JsonNode m = o.get("MaxAttempts");
                if (!m.isIntegralNumber() || m.intValue() < 0)
                    problems.at(p + "/MaxAttempts", "'MaxAttempts' must be a non-negative integer");
                else maxAttempts = m.intValue();
            }
            double backoff = 2.0;
            if (o.has("BackoffRate")) {
                JsonNode b = o.get("BackoffRate");
                if (!b.isNumber() || b.doubleValue() < 1.0)
                    problems.at(p + "/BackoffRate", "'BackoffRate' must be a number of at least 1.0");
                else backoff = b.doubleValue();
            }
            Integer maxDelay = positiveInt(o, p, "MaxDelaySeconds");
            Retrier.Jitter jitter = Retrier.Jitter.NONE;
            if (o.has("JitterStrategy")) {
                String j = o.get("JitterStrategy").asText();
                if (j.equals("FULL")) jitter = Retrier.Jitter.FULL;
                else if (!j.equals("NONE"))
                    problems.at(
                            p + "/JitterStrategy",
                            "'JitterStrategy' must be FULL or NONE, not " + o.get("JitterStrategy"));
            }
            out.add(new Retrier(
                    errors,
                    interval == null ? 1 : interval,
                    maxAttempts,
                    backoff,
                    maxDelay == null ? null : maxDelay.doubleValue(),
                    jitter));
        }
        return out;
    }

    private List<Catcher> catchers(JsonNode node, String ptr) {
        List<Catcher> out = new ArrayList<>();
        if (!node.isArray()) {
            problems.at(ptr, "'Catch' must be an array");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            String p = ptr + "/" + i;
            if (!(node.get(i) instanceof ObjectNode o)) {
                problems.at(p, "a catcher must be an object");
                continue;
            }
            for (String f : fieldNames(o)) {
                if (!CATCHER_FIELDS.contains(f)) unknown(p, f, "a catcher");
            }
            List<String> errors = errorEquals(o, p, i == node.size() - 1, "catcher");
            String next = string(o, p, "Next", true);
            String resultPath = path(o, p, "ResultPath", true);
            out.add(new Catcher(errors, next, resultPath));
        }
        return out;
    }

    private List<String> errorEquals(ObjectNode o, String p, boolean last, String what) {
        JsonNode e = o.get("ErrorEquals");
        List<String> out = new ArrayList<>();
        if (e == null || !e.isArray() || e.isEmpty()) {
            problems.at(e == null ? p : p + "/ErrorEquals", "a " + what + " needs a non-empty 'ErrorEquals' array");
            return out;
        }
        for (int i = 0; i < e.size(); i++) {
            JsonNode n = e.get(i);
            if (!n.isTextual()) {
                problems.at(p + "/ErrorEquals/" + i, "an error name must be a string");
                continue;
            }
            String name = n.textValue();
            if (name.startsWith("States.") && !ErrorNames.PREDEFINED.contains(name))
                problems.at(p + "/ErrorEquals/" + i, "'" + name + "' is not a predefined error name");
            if (name.equals(ErrorNames.ALL) && (e.size() != 1 || !last))
                problems.at(
                        p + "/ErrorEquals/" + i, "States.ALL must be alone in its ErrorEquals and in the last " + what);
            out.add(name);
        }
        return out;
    }

    private Condition condition(JsonNode node, String ptr, boolean top) {
        if (!(node instanceof ObjectNode o)) {
            problems.at(ptr, "a Choice rule must be an object");
            return null;
        }
        List<String> operators = new ArrayList<>();
        for (String f : fieldNames(o)) {
            if (f.equals("Comment") || f.equals("Variable")) continue;
            if (f.equals("Next")) {
                if (!top) problems.key(ptr + "/Next", "only a top-level Choice rule has 'Next'");
                continue;
            }
            if (f.equals("And") || f.equals("Or") || f.equals("Not") || Operator.forField(f) != null) operators.add(f);
            else unknown(ptr, f, "a Choice rule");
        }
        if (operators.size() != 1) {
            problems.at(
                    ptr,
                    "a Choice rule needs exactly one of And, Or, Not or a comparison operator"
                            + (operators.isEmpty() ? "" : ", not " + operators));
            return null;
        }
        String op = operators.get(0);
        String vp = ptr + "/" + op;
        JsonNode v = o.get(op);
        switch (op) {
            case "And", "Or" -> {
                if (o.has("Variable")) problems.key(ptr + "/Variable", "an " + op + " rule has no Variable");
                if (!v.isArray() || v.isEmpty()) {
                    problems.at(vp, "'" + op + "' must be a non-empty array of rules");
                    return null;
                }
                List<Condition> list = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    Condition c = condition(v.get(i), vp + "/" + i, false);
                    if (c != null) list.add(c);
                }
                return op.equals("And") ? new Condition.And(list) : new Condition.Or(list);
            }
            case "Not" -> {
                if (o.has("Variable")) problems.key(ptr + "/Variable", "a Not rule has no Variable");
                Condition c = condition(v, vp, false);
                return c == null ? null : new Condition.Not(c);
            }
            default -> {
                Operator operator = Operator.forField(op);
                String variable = string(o, ptr, "Variable", true);
                if (variable != null) {
                    String bad = JsonPaths.check(variable, true);
                    if (bad != null) problems.at(ptr + "/Variable", bad);
                }
                boolean isPath = !op.equals(operator.name());
                if (isPath) {
                    if (!v.isTextual()) problems.at(vp, "'" + op + "' must be a path");
                    else {
                        String bad = JsonPaths.check(v.textValue(), true);
                        if (bad != null) problems.at(vp, bad);
                    }
                    return new Condition.Comparison(variable, operator, null, v.asText());
                }
                boolean ok = switch (operator.kind()) {
                    case STRING, MATCHES -> v.isTextual();
                    case NUMERIC -> v.isNumber();
                    case BOOLEAN, TYPE_TEST -> v.isBoolean();
                    case TIMESTAMP -> v.isTextual() && isTimestamp(v.textValue());
                };
                if (!ok) {
                    String expected = switch (operator.kind()) {
                        case STRING, MATCHES -> "a string";
                        case NUMERIC -> "a number";
                        case BOOLEAN, TYPE_TEST -> "true or false";
                        case TIMESTAMP -> "an RFC 3339 timestamp";
                    };
                    problems.at(vp, "'" + op + "' must be " + expected + ", not " + v);
                }
                return new Condition.Comparison(variable, operator, v, null);
            }
        }
    }

    private static boolean isTimestamp(String s) {
        if (s.indexOf('T') < 0) return false;
        try {
            OffsetDateTime.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private void unknown(String ptr, String field, String where) {
        problems.key(ptr + "/" + LocatedJson.escape(field), "unknown field '" + field + "' in " + where);
    }

    private String string(ObjectNode o, String ptr, String field, boolean required) {
        JsonNode v = o.get(field);
        if (v == null) {
            if (required) problems.at(ptr, "'" + field + "' is missing");
            return null;
        }
        if (!v.isTextual()) {
            problems.at(ptr + "/" + field, "'" + field + "' must be a string, not " + v);
            return null;
        }
        return v.textValue();
    }

    private Integer integer(ObjectNode o, String ptr, String field) {
        JsonNode v = o.get(field);
        if (v == null) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            problems.at(ptr + "/" + field, "'" + field + "' must be an integer, not " + v);
            return null;
        }
        return v.intValue();
    }

    private Integer positiveInt(ObjectNode o, String ptr, String field) {
        JsonNode v = o.get(field);
        if (v == null) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
            problems.at(ptr + "/" + field, "'" + field + "' must be a positive integer, not " + v);
            return null;
        }
        return v.intValue();
    }

    /** InputPath, OutputPath, ResultPath: "$" when absent, null when JSON null. */
    private String path(ObjectNode o, String ptr, String field, boolean reference) {
        JsonNode v = o.get(field);
        if (v == null) return "$";
        if (v.isNull()) return null;
        if (!v.isTextual()) {
            problems.at(ptr + "/" + field, "'" + field + "' must be a path or null, not " + v);
            return "$";
        }
        String bad = JsonPaths.check(v.textValue(), reference);
        if (bad == null && reference && v.textValue().startsWith("$$"))
            bad = "'" + field + "' cannot point into the context object";
        if (bad != null) problems.at(ptr + "/" + field, bad);
        return v.textValue();
    }

    private String referencePath(ObjectNode o, String ptr, String field) {
        JsonNode v = o.get(field);
        if (v == null) return null;
        if (!v.isTextual()) {
            problems.at(ptr + "/" + field, "'" + field + "' must be a path, not " + v);
            return null;
        }
        String bad = JsonPaths.check(v.textValue(), true);
        if (bad != null) problems.at(ptr + "/" + field, bad);
        return v.textValue();
    }

    private String selector(ObjectNode o, String ptr, String field) {
        JsonNode v = o.get(field);
        if (v == null) return null;
        if (!v.isTextual()) {
            problems.at(ptr + "/" + field, "'" + field + "' must be a path or an intrinsic function call");
            return null;
        }
        String bad = PayloadTemplate.checkSelector(v.textValue());
        if (bad != null) problems.at(ptr + "/" + field, bad);
        return v.textValue();
    }

    private JsonNode template(ObjectNode o, String ptr, String field) {
        JsonNode v = o.get(field);
        if (v == null) return null;
        for (PayloadTemplate.TemplateProblem p : PayloadTemplate.check(v))
            problems.at(ptr + "/" + field + p.pointer(), p.message());
        return v;
    }

    private static List<String> fieldNames(ObjectNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
