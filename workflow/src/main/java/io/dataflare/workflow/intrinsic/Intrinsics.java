package io.dataflare.workflow.intrinsic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.path.JsonEquality;
import io.dataflare.workflow.path.JsonPaths;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The intrinsic functions: their argument counts, and their evaluation over Jackson nodes. */
public final class Intrinsics {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_RANGE = 1000;
    private static final Map<String, String> HASHES =
            Map.of("MD5", "MD5", "SHA-1", "SHA-1", "SHA-256", "SHA-256", "SHA-384", "SHA-384", "SHA-512", "SHA-512");

    /** A function's name and how many arguments it takes. */
    public record Function(String name, int minArgs, int maxArgs) {}

    private static final Map<String, Function> FUNCTIONS = Map.ofEntries(
            f("States.Format", 1, Integer.MAX_VALUE),
            f("States.StringToJson", 1, 1),
            f("States.JsonToString", 1, 1),
            f("States.Array", 0, Integer.MAX_VALUE),
            f("States.ArrayPartition", 2, 2),
            f("States.ArrayContains", 2, 2),
            f("States.ArrayRange", 3, 3),
            f("States.ArrayGetItem", 2, 2),
            f("States.ArrayLength", 1, 1),
            f("States.ArrayUnique", 1, 1),
            f("States.Base64Encode", 1, 1),
            f("States.Base64Decode", 1, 1),
            f("States.Hash", 2, 2),
            f("States.JsonMerge", 3, 3),
            f("States.MathRandom", 2, 3),
            f("States.MathAdd", 2, 2),
            f("States.StringSplit", 2, 2),
            f("States.UUID", 0, 0));

    private Intrinsics() {}

    private static Map.Entry<String, Function> f(String name, int min, int max) {
        return Map.entry(name, new Function(name, min, max));
    }

    /** The function called {@code name}, or null. */
    public static Function function(String name) {
        return FUNCTIONS.get(name);
    }

    /** Every function name. */
    public static Set<String> names() {
        return FUNCTIONS.keySet();
    }

    /**
     * Evaluates an expression.
     *
     * @throws StatesError {@code States.IntrinsicFailure} when an argument has the wrong type or value,
     *                     {@code States.Runtime} when a path selects nothing
     */
    public static JsonNode evaluate(Expr e, JsonNode input, JsonNode context) throws StatesError {
        return switch (e) {
            case Expr.Literal l -> l.value();
            case Expr.PathRef p -> JsonPaths.read(p.path(), input, context);
            case Expr.Call c -> call(c, input, context);
        };
    }

    private static JsonNode call(Expr.Call c, JsonNode input, JsonNode context) throws StatesError {
        List<JsonNode> a = new ArrayList<>();
        for (Expr arg : c.args()) a.add(evaluate(arg, input, context));
        String n = c.name();
        switch (n) {
            case "States.Format":
                return format(c, a);
            case "States.StringToJson":
                try {
                    return MAPPER.readTree(text(n, a, 0));
                } catch (JsonProcessingException ex) {
                    throw StatesError.intrinsic(n + ": the argument is not JSON: " + ex.getOriginalMessage());
                }
            case "States.JsonToString":
                return F.textNode(a.get(0).toString());
            case "States.Array": {
                ArrayNode out = F.arrayNode();
                a.forEach(out::add);
                return out;
            }
            case "States.ArrayPartition": {
                ArrayNode arr = array(n, a, 0);
                long size = integer(n, a, 1);
                if (size <= 0) throw StatesError.intrinsic(n + ": the chunk size must be positive, not " + size);
                ArrayNode out = F.arrayNode();
                ArrayNode chunk = null;
                for (JsonNode item : arr) {
                    if (chunk == null || chunk.size() == size) chunk = out.addArray();
                    chunk.add(item);
                }
                return out;
            }
            case "States.ArrayContains": {
                for (JsonNode item : array(n, a, 0)) if (JsonEquality.equal(item, a.get(1))) return F.booleanNode(true);
                return F.booleanNode(false);
            }
            case "States.ArrayRange": {
                long start = integer(n, a, 0), end = integer(n, a, 1), step = integer(n, a, 2);
                if (step == 0) throw StatesError.intrinsic(n + ": the step must not be 0");
                ArrayNode out = F.arrayNode();
                for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
                    if (out.size() == MAX_RANGE)
                        throw StatesError.intrinsic(n + ": the range has more than " + MAX_RANGE + " items");
                    out.add(v);
                }
                return out;
            }
            case "States.ArrayGetItem": {
                ArrayNode arr = array(n, a, 0);
                long i = integer(n, a, 1);
                if (i < 0 || i >= arr.size())
                    throw StatesError.intrinsic(n + ": index " + i + " is outside the array of " + arr.size());
                return arr.get((int) i);
            }
            case "States.ArrayLength":
                return F.numberNode(array(n, a, 0).size());
            case "States.ArrayUnique": {
                ArrayNode out = F.arrayNode();
                for (JsonNode item : array(n, a, 0)) {
                    boolean seen = false;
                    for (JsonNode kept : out) seen |= JsonEquality.equal(kept, item);
                    if (!seen) out.add(item);
                }
                return out;
            }
            case "States.Base64Encode":
                return F.textNode(
                        Base64.getEncoder().encodeToString(text(n, a, 0).getBytes(StandardCharsets.UTF_8)));
            case "States.Base64Decode":
                try {
                    return F.textNode(new String(Base64.getDecoder().decode(text(n, a, 0)), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException ex) {
                    throw StatesError.intrinsic(n + ": the argument is not Base64: " + ex.getMessage());
                }
            case "States.Hash":
                return hash(n, a);
            case "States.JsonMerge": {
                ObjectNode left = object(n, a, 0), right = object(n, a, 1);
                if (!a.get(2).isBoolean())
                    throw StatesError.intrinsic(n + ": the third argument (deep merge) must be a boolean");
                return merge(left.deepCopy(), right, a.get(2).booleanValue());
            }
            case "States.MathRandom": {
                long start = integer(n, a, 0), end = integer(n, a, 1);
                if (end <= start) throw StatesError.intrinsic(n + ": the end must be greater than the start");
                Random r = a.size() == 3 ? new Random(integer(n, a, 2)) : ThreadLocalRandom.current();
                return F.numberNode(start + (long) (r.nextDouble() * (end - start)));
            }
            case "States.MathAdd":
                return F.numberNode(Math.addExact(integer(n, a, 0), integer(n, a, 1)));
            case "States.StringSplit": {
                String s = text(n, a, 0), delimiters = text(n, a, 1);
                ArrayNode out = F.arrayNode();
                StringBuilder cur = new StringBuilder();
                for (char ch : s.toCharArray()) {
                    if (delimiters.indexOf(ch) >= 0) {
                        if (!cur.isEmpty()) out.add(cur.toString());
                        cur.setLength(0);
                    } else {
                        cur.append(ch);
                    }
                }
                if (!cur.isEmpty()) out.add(cur.toString());
                return out;
            }
            case "States.UUID":
                return F.textNode(UUID.randomUUID().toString());
            default:
                throw StatesError.intrinsic("unknown intrinsic function '" + n + "'");
        }
    }

    private static JsonNode format(Expr.Call c, List<JsonNode> a) throws StatesError {
        Expr first = c.args().get(0);
        if (!(first instanceof Expr.Literal l) || l.template() == null)
            throw StatesError.intrinsic("States.Format: the first argument must be a string literal");
        String template = l.template();
        StringBuilder out = new StringBuilder();
        int used = 1;
        for (char ch : template.toCharArray()) {
            if (ch != IntrinsicParser.PLACEHOLDER) {
                out.append(ch);
                continue;
            }
            if (used >= a.size())
                throw StatesError.intrinsic("States.Format: the template has more {} than there are arguments");
            JsonNode v = a.get(used++);
            if (v.isContainerNode())
                throw StatesError.intrinsic(
                        "States.Format: argument " + used + " is not a string, number, boolean or null");
            out.append(v.isTextual() ? v.textValue() : v.toString());
        }
        if (used != a.size())
            throw StatesError.intrinsic("States.Format: " + (a.size() - 1) + " arguments for " + (used - 1) + " {}");
        return F.textNode(out.toString());
    }

    private static JsonNode hash(String n, List<JsonNode> a) throws StatesError {
        JsonNode data = a.get(0);
        String algorithm = text(n, a, 1);
        String jca = HASHES.get(algorithm);
        if (jca == null)
            throw StatesError.intrinsic(
                    n + ": '" + algorithm + "' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
        try {
            byte[] bytes = (data.isTextual() ? data.textValue() : data.toString()).getBytes(StandardCharsets.UTF_8);
            return F.textNode(
                    HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(bytes)));
        } catch (NoSuchAlgorithmException ex) {
            throw StatesError.intrinsic(n + ": " + algorithm + " is not available: " + ex.getMessage());
        }
    }

    private static ObjectNode merge(ObjectNode into, ObjectNode from, boolean deep) {
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            JsonNode existing = into.get(e.getKey());
            if (deep && existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode fo) merge(eo, fo, true);
            else into.set(e.getKey(), e.getValue().deepCopy());
        }
        return into;
    }

    private static String text(String fn, List<JsonNode> a, int i) throws StatesError {
        JsonNode v = a.get(i);
        if (!v.isTextual()) throw StatesError.intrinsic(fn + ": argument " + (i + 1) + " must be a string, not " + v);
        return v.textValue();
    }

    private static ArrayNode array(String fn, List<JsonNode> a, int i) throws StatesError {
        if (a.get(i) instanceof ArrayNode arr) return arr;
        throw StatesError.intrinsic(
                fn + ": argument " + (i + 1) + " must be an array, not " + JsonPaths.preview(a.get(i)));
    }

    private static ObjectNode object(String fn, List<JsonNode> a, int i) throws StatesError {
        if (a.get(i) instanceof ObjectNode o) return o;
        throw StatesError.intrinsic(
                fn + ": argument " + (i + 1) + " must be an object, not " + JsonPaths.preview(a.get(i)));
    }

    private static long integer(String fn, List<JsonNode> a, int i) throws StatesError {
        JsonNode v = a.get(i);
        if (v.isIntegralNumber() && v.canConvertToLong()) return v.longValue();
        if (v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0) return v.longValue();
        throw StatesError.intrinsic(fn + ": argument " + (i + 1) + " must be an integer, not " + v);
    }
}
