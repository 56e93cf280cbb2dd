package io.dataflare.workflow.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.dataflare.workflow.error.StatesError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The States language's paths over Jackson nodes, with Jayway JsonPath: a path starts with {@code $} (the
 * state's input) or {@code $$} (the context object). Reference paths (ResultPath, Choice variables) must be
 * definite: they name one node.
 */
public final class JsonPaths {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Configuration CONF = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(MAPPER))
            .mappingProvider(new JacksonMappingProvider(MAPPER))
            .build();
    private static final ConcurrentHashMap<String, JsonPath> COMPILED = new ConcurrentHashMap<>();
    /** One step of a compiled definite path's normal form: {@code ['name']} or {@code [3]}. */
    private static final Pattern STEP = Pattern.compile("\\['((?:[^'\\\\]|\\\\.)*)'\\]|\\[(\\d+)\\]");

    private JsonPaths() {}

    /**
     * Why {@code path} is not a valid path, or null when it is.
     *
     * @param reference whether it must be a reference path (definite: one node)
     */
    public static String check(String path, boolean reference) {
        if (path == null) return null;
        if (!path.startsWith("$")) return "'" + path + "' is not a path: a path starts with '$'";
        String p = path.startsWith("$$") ? path.substring(1) : path;
        if (!balanced(p)) return "'" + path + "' is not a valid path: its brackets or quotes are not closed";
        JsonPath compiled;
        try {
            compiled = compile(p);
        } catch (InvalidPathException | IllegalArgumentException e) {
            return "'" + path + "' is not a valid path: " + e.getMessage();
        }
        if (reference && !compiled.isDefinite())
            return "'" + path + "' must be a reference path (one node, no wildcards, filters or slices)";
        if (reference && steps(compiled) == null)
            return "'" + path + "' must be a reference path (only field names and array indexes)";
        return null;
    }

    /** Whether brackets and quotes are closed: Jayway accepts a trailing '[' ("$.a[") as "$.a". */
    private static boolean balanced(String p) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '(') {
                depth++;
            } else if (c == ']' || c == ')') {
                if (--depth < 0) return false;
            }
        }
        return depth == 0 && quote == 0;
    }

    private static JsonPath compile(String p) {
        return COMPILED.computeIfAbsent(p, JsonPath::compile);
    }

    /**
     * The node {@code path} selects: on {@code input}, or on {@code context} for a {@code $$} path.
     *
     * @throws StatesError {@code States.Runtime} when nothing is there
     */
    public static JsonNode read(String path, JsonNode input, JsonNode context) throws StatesError {
        boolean ctx = path.startsWith("$$");
        JsonNode doc = ctx ? context : input;
        String p = ctx ? path.substring(1) : path;
        try {
            Object o = compile(p).read(doc, CONF);
            if (o == null) return JsonNodeFactory.instance.nullNode();
            if (o instanceof JsonNode n) return n;
            return MAPPER.valueToTree(o);
        } catch (PathNotFoundException e) {
            throw StatesError.runtime("the path '" + path + "' selects nothing in " + preview(doc));
        } catch (InvalidPathException | IllegalArgumentException | ClassCastException e) {
            throw StatesError.runtime(
                    "the path '" + path + "' cannot be applied to " + preview(doc) + ": " + e.getMessage());
        }
    }

    /** Whether {@code path} selects something (a missing field is absent; JSON null is present). */
    public static boolean present(String path, JsonNode input, JsonNode context) {
        try {
            read(path, input, context);
            return true;
        } catch (StatesError e) {
            return false;
        }
    }

    /**
     * ResultPath: {@code input} with {@code result} put where {@code path} points, creating the objects on the
     * way; {@code $} makes the result the output, a null path keeps the input as it is.
     *
     * @throws StatesError {@code States.ResultPathMatchFailure} when a step on the way is not an object or array
     */
    public static JsonNode put(String path, JsonNode input, JsonNode result) throws StatesError {
        if (path == null) return input;
        List<Object> steps = steps(compile(path));
        if (steps == null || steps.isEmpty()) return result;
        JsonNode root = input.deepCopy();
        if (!(root.isObject() || root.isArray())) {
            if (steps.get(0) instanceof String) root = JsonNodeFactory.instance.objectNode();
            else throw mismatch(path, input);
        }
        JsonNode cur = root;
        for (int i = 0; i < steps.size(); i++) {
            Object step = steps.get(i);
            boolean last = i == steps.size() - 1;
            if (step instanceof String name) {
                if (!(cur instanceof ObjectNode o)) throw mismatch(path, input);
                if (last) {
                    o.set(name, result);
                } else {
                    JsonNode next = o.get(name);
                    if (next == null || !(next.isObject() || next.isArray())) {
                        if (steps.get(i + 1) instanceof Integer) throw mismatch(path, input);
                        next = o.putObject(name);
                    }
                    cur = next;
                }
            } else {
                int index = (Integer) step;
                if (!(cur instanceof ArrayNode a) || index >= a.size()) throw mismatch(path, input);
                if (last) a.set(index, result);
                else cur = a.get(index);
            }
        }
        return root;
    }

    private static StatesError mismatch(String path, JsonNode input) {
        return new StatesError(
                io.dataflare.workflow.error.ErrorNames.RESULT_PATH_MATCH_FAILURE,
                "the ResultPath '" + path + "' cannot be set in " + preview(input));
    }

    /** A definite path's steps (field names and indexes), or null when it has other kinds of step. */
    private static List<Object> steps(JsonPath compiled) {
        String normal = compiled.getPath(); // e.g. $['a']['b'][0]
        List<Object> out = new ArrayList<>();
        Matcher m = STEP.matcher(normal);
        int pos = 1;
        while (m.find()) {
            if (m.start() != pos) return null;
            if (m.group(1) != null) out.add(m.group(1).replace("\\'", "'").replace("\\\\", "\\"));
            else out.add(Integer.parseInt(m.group(2)));
            pos = m.end();
        }
        return pos == normal.length() ? out : null;
    }

    /** A short rendering of a value for error causes. */
    public static String preview(JsonNode n) {
        String s = n == null ? "nothing" : n.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
