package io.dataflare.workflow.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.intrinsic.Expr;
import io.dataflare.workflow.intrinsic.IntrinsicParser;
import io.dataflare.workflow.intrinsic.IntrinsicSyntaxException;
import io.dataflare.workflow.intrinsic.Intrinsics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parameters, ResultSelector and ItemSelector: a JSON template whose fields ending in {@code .$} are replaced
 * (under the name without {@code .$}) by what their value selects: a path on the input ({@code $...}), on
 * the context object ({@code $$...}), or an intrinsic function call's result.
 */
public final class PayloadTemplate {
    private static final Map<String, Expr.Call> CALLS = new ConcurrentHashMap<>();

    private PayloadTemplate() {}

    /** A problem in a template: the JSON Pointer (relative to the template) and what is wrong. */
    public record TemplateProblem(String pointer, String message) {}

    /** Every problem in a template: {@code .$} values that are not strings, paths or calls that do not parse. */
    public static List<TemplateProblem> check(JsonNode template) {
        List<TemplateProblem> out = new ArrayList<>();
        check(template, "", out);
        return out;
    }

    private static void check(JsonNode t, String pointer, List<TemplateProblem> out) {
        if (t instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                String child = pointer + "/" + io.dataflare.workflow.definition.LocatedJson.escape(e.getKey());
                if (e.getKey().endsWith(".$")) {
                    if (!e.getValue().isTextual()) {
                        out.add(new TemplateProblem(
                                child,
                                "'" + e.getKey() + "' ends with '.$': its value must be a path or an intrinsic"
                                        + " function call, not " + e.getValue()));
                        continue;
                    }
                    String v = e.getValue().textValue();
                    String bad = checkSelector(v);
                    if (bad != null) out.add(new TemplateProblem(child, bad));
                } else {
                    check(e.getValue(), child, out);
                }
            }
        } else if (t instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) check(a.get(i), pointer + "/" + i, out);
        }
    }

    /** Why a {@code .$} value is not a path or a call, or null. */
    public static String checkSelector(String v) {
        if (IntrinsicParser.looksLikeCall(v)) {
            try {
                parse(v);
                return null;
            } catch (IntrinsicSyntaxException e) {
                return "invalid intrinsic function call " + e.getMessage();
            }
        }
        return JsonPaths.check(v, false);
    }

    private static Expr.Call parse(String v) throws IntrinsicSyntaxException {
        Expr.Call c = CALLS.get(v);
        if (c == null) {
            c = IntrinsicParser.parse(v);
            CALLS.put(v, c);
        }
        return c;
    }

    /**
     * The template applied to {@code input}.
     *
     * @throws StatesError when a path selects nothing or a function fails
     */
    public static JsonNode apply(JsonNode template, JsonNode input, JsonNode context) throws StatesError {
        if (template instanceof ObjectNode o) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                String k = e.getKey();
                if (k.endsWith(".$") && e.getValue().isTextual()) {
                    out.set(k.substring(0, k.length() - 2), select(e.getValue().textValue(), input, context));
                } else {
                    out.set(k, apply(e.getValue(), input, context));
                }
            }
            return out;
        }
        if (template instanceof ArrayNode a) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode item : a) out.add(apply(item, input, context));
            return out;
        }
        return template;
    }

    /** What a {@code .$} value selects. */
    public static JsonNode select(String v, JsonNode input, JsonNode context) throws StatesError {
        if (IntrinsicParser.looksLikeCall(v)) {
            try {
                return Intrinsics.evaluate(parse(v), input, context);
            } catch (IntrinsicSyntaxException e) {
                throw StatesError.intrinsic(e.getMessage());
            }
        }
        return JsonPaths.read(v, input, context);
    }
}
