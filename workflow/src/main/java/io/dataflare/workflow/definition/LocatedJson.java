package io.dataflare.workflow.definition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON (or YAML) document read into Jackson nodes, with the line and column of every value, keyed by its
 * JSON Pointer ({@code /States/Next/Type}); a field's key location is kept under the pointer plus {@code #key}.
 * Jackson's tree model drops locations, so the tree is built here from the parser's tokens.
 */
public final class LocatedJson {
    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();

    private final String file;
    private final JsonNode root;
    private final Map<String, Location> locations;

    private LocatedJson(String file, JsonNode root, Map<String, Location> locations) {
        this.file = file;
        this.root = root;
        this.locations = locations;
    }

    /** Whether a file name says YAML ({@code .yaml}, {@code .yml}). */
    public static boolean isYaml(String file) {
        String l = file.toLowerCase(Locale.ROOT);
        return l.endsWith(".yaml") || l.endsWith(".yml");
    }

    /**
     * Reads one document.
     *
     * @param file the name problems are reported under
     * @throws InvalidDefinitionException with the syntax error's location when the text does not parse
     */
    public static LocatedJson read(String text, String file, boolean yaml) throws InvalidDefinitionException {
        Map<String, Location> locations = new HashMap<>();
        try (JsonParser p = (yaml ? YAML : JSON).createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new InvalidDefinitionException(
                        java.util.List.of(new Problem(new Location(file, 1, 1), "the file holds no definition")));
            }
            JsonNode root = readValue(p, "", file, locations);
            return new LocatedJson(file, root, locations);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String msg = e.getOriginalMessage();
            throw new InvalidDefinitionException(java.util.List.of(new Problem(
                    new Location(file, l == null ? 1 : l.getLineNr(), l == null ? 1 : l.getColumnNr()),
                    "syntax error: " + msg)));
        } catch (IOException e) {
            throw new InvalidDefinitionException(
                    java.util.List.of(new Problem(new Location(file, 1, 1), "cannot read: " + e.getMessage())));
        }
    }

    private static JsonNode readValue(JsonParser p, String pointer, String file, Map<String, Location> locations)
            throws IOException {
        JsonLocation at = p.currentTokenLocation();
        locations.put(pointer, new Location(file, at.getLineNr(), at.getColumnNr()));
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = pointer + "/" + escape(name);
                    JsonLocation k = p.currentTokenLocation();
                    locations.put(child + "#key", new Location(file, k.getLineNr(), k.getColumnNr()));
                    p.nextToken();
                    o.set(name, readValue(p, child, file, locations));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(readValue(p, pointer + "/" + i++, file, locations));
                return a;
            }
            case VALUE_STRING -> {
                return f.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> f.numberNode(p.getIntValue());
                    case LONG -> f.numberNode(p.getLongValue());
                    default -> f.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return f.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE -> {
                return f.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return f.booleanNode(false);
            }
            case VALUE_NULL -> {
                return f.nullNode();
            }
            default ->
                throw new JsonProcessingException("unexpected " + p.currentToken(), at) {
                    private static final long serialVersionUID = 1L;
                };
        }
    }

    /**
     * The value at {@code pointer} as a document of its own, keeping its locations in this file (a definition
     * embedded in a larger file is reported at its lines there).
     */
    public LocatedJson subtree(String pointer) {
        JsonNode node = root.at(pointer);
        Map<String, Location> sub = new HashMap<>();
        locations.forEach((k, v) -> {
            if (k.equals(pointer) || k.startsWith(pointer + "/") || k.startsWith(pointer + "#"))
                sub.put(k.substring(pointer.length()), v);
        });
        return new LocatedJson(file, node, sub);
    }

    /** A JSON Pointer segment for a field name. */
    public static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    public String file() {
        return file;
    }

    public JsonNode root() {
        return root;
    }

    /** The location of the value at {@code pointer}, or of its closest enclosing value. */
    public Location at(String pointer) {
        String p = pointer;
        while (true) {
            Location l = locations.get(p);
            if (l != null) return l;
            if (p.isEmpty()) return new Location(file, 1, 1);
            int slash = p.lastIndexOf('/');
            p = slash < 0 ? "" : p.substring(0, slash);
        }
    }

    /** The location of the field name at {@code pointer} (falling back to its value's). */
    public Location keyAt(String pointer) {
        Location l = locations.get(pointer + "#key");
        return l != null ? l : at(pointer);
    }
}
