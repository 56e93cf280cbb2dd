package io.dataflare.workflow.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON Schema (draft-07) of workflow definitions (Amazon States Language as this engine runs it), for editors:
 * each state type's fields are those {@link DefinitionParser} accepts, taken from its own field lists, so the schema
 * cannot drift from the parser. It checks field names and simple types; the rest (paths, templates, Choice rules,
 * the graph) is left to the parser, which reports it with locations.
 */
public final class WorkflowSchema {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String MACHINE = "#/definitions/machine";
    private static final String STATE = "#/definitions/state";

    private WorkflowSchema() {}

    /** The schema. */
    public static ObjectNode of() {
        ObjectNode root = F.objectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("title", "DataFlare workflow definition");
        root.put("description", "A state machine in the Amazon States Language (JSONPath) as DataFlare runs it.");
        ObjectNode definitions = root.putObject("definitions");
        definitions.set("machine", machine(DefinitionParser.NESTED_FIELDS));
        definitions.set("state", state());
        definitions.set("retrier", object(DefinitionParser.RETRIER_FIELDS, Set.of("ErrorEquals")));
        definitions.set("catcher", object(DefinitionParser.CATCHER_FIELDS, Set.of("ErrorEquals", "Next")));

        ObjectNode top = machine(DefinitionParser.TOP_FIELDS);
        // QueryLanguage is accepted at the top only as the one language this engine speaks
        ((ObjectNode) top.get("properties")).putObject("QueryLanguage").put("const", "JSONPath");
        top.properties().forEach(e -> root.set(e.getKey(), e.getValue()));
        return root;
    }

    private static ObjectNode machine(Set<String> fields) {
        ObjectNode m = object(fields, Set.of("StartAt", "States"));
        ObjectNode states = (ObjectNode) m.get("properties").get("States");
        states.put("type", "object").put("minProperties", 1);
        states.putObject("additionalProperties").put("$ref", STATE);
        return m;
    }

    /** A state: {@code Type} names one of the types, and each type allows exactly its fields. */
    private static ObjectNode state() {
        ObjectNode s = F.objectNode();
        s.put("type", "object");
        s.putArray("required").add("Type");
        ArrayNode types = s.putObject("properties").putObject("Type").putArray("enum");
        ArrayNode rules = s.putArray("allOf");
        for (StateType t : StateType.values()) {
            types.add(t.name());
            ObjectNode rule = rules.addObject();
            rule.putObject("if").putObject("properties").putObject("Type").put("const", t.name());
            Set<String> required = switch (t) {
                case Task -> Set.of("Resource");
                case Choice -> Set.of("Choices");
                default -> Set.of();
            };
            rule.set("then", object(DefinitionParser.stateFields(t), required));
        }
        return s;
    }

    /** An object of exactly {@code fields}, each typed when its type is fixed. */
    private static ObjectNode object(Set<String> fields, Set<String> required) {
        ObjectNode o = F.objectNode();
        o.put("type", "object");
        ObjectNode props = o.putObject("properties");
        for (String f : new TreeSet<>(fields)) props.set(f, field(f));
        ArrayNode req = o.putArray("required");
        new TreeSet<>(required).forEach(req::add);
        o.put("additionalProperties", false);
        return o;
    }

    private static final Map<String, String> STRINGS = Map.ofEntries(
            Map.entry("Comment", "string"),
            Map.entry("StartAt", "string"),
            Map.entry("Next", "string"),
            Map.entry("Default", "string"),
            Map.entry("Resource", "string"),
            Map.entry("Version", "string"),
            Map.entry("ItemsPath", "string"),
            Map.entry("SecondsPath", "string"),
            Map.entry("Timestamp", "string"),
            Map.entry("TimestampPath", "string"),
            Map.entry("TimeoutSecondsPath", "string"),
            Map.entry("Error", "string"),
            Map.entry("Cause", "string"),
            Map.entry("ErrorPath", "string"),
            Map.entry("CausePath", "string"),
            Map.entry("End", "boolean"),
            Map.entry("Parameters", "object"),
            Map.entry("ResultSelector", "object"),
            Map.entry("ItemSelector", "object"),
            Map.entry("ProcessorConfig", "object"));

    private static JsonNode field(String name) {
        ObjectNode f = F.objectNode();
        switch (name) {
            case "TimeoutSeconds", "IntervalSeconds", "MaxDelaySeconds" ->
                f.put("type", "integer").put("minimum", 1);
            case "Seconds", "MaxAttempts", "MaxConcurrency" ->
                f.put("type", "integer").put("minimum", 0);
            case "Priority" -> f.put("type", "integer");
            case "BackoffRate" -> f.put("type", "number").put("minimum", 1);
            case "JitterStrategy" -> f.putArray("enum").add("FULL").add("NONE");
            case "ResultPath", "InputPath", "OutputPath" ->
                f.putArray("type").add("string").add("null"); // null: {}
            case "ErrorEquals" -> {
                f.put("type", "array").put("minItems", 1);
                f.putObject("items").put("type", "string");
            }
            case "Retry" -> f.put("type", "array").putObject("items").put("$ref", "#/definitions/retrier");
            case "Catch" -> f.put("type", "array").putObject("items").put("$ref", "#/definitions/catcher");
            case "Choices" -> {
                f.put("type", "array").put("minItems", 1);
                f.putObject("items").put("type", "object");
            }
            case "Branches" -> {
                f.put("type", "array").put("minItems", 1);
                f.putObject("items").put("$ref", MACHINE);
            }
            case "ItemProcessor", "Iterator" -> f.put("$ref", MACHINE);
            case "States", "Type", "Result" -> {} // described where they are used; a Result may be any value
            default -> {
                String type = STRINGS.get(name);
                if (type != null) f.put("type", type);
            }
        }
        return f;
    }
}
