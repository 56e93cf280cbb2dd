package io.dataflare.engine.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads YAML, JSON or TOML into {@link ConfigNode}s that remember their file, line and column,
 * substituting {@code ${...}} references in strings. Every problem (syntax, duplicate key, unset
 * variable) is reported located; the reader never returns a half-read tree.
 */
public final class ConfigReader {
    /** The file formats read. */
    public enum Format {
        YAML,
        JSON,
        TOML;

        /** The format for a file name: {@code .json}, {@code .toml}, else YAML (which JSON also parses as). */
        public static Format forFile(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.endsWith(".json")) return JSON;
            if (n.endsWith(".toml")) return TOML;
            return YAML;
        }
    }

    private final Substitution substitution;

    /** A reader applying {@code substitution} to strings. */
    public ConfigReader(Substitution substitution) {
        this.substitution = substitution;
    }

    /**
     * Reads a file whose format is given by its extension.
     *
     * @throws InvalidConfigException for a missing file, a syntax error or a substitution problem
     */
    public MapNode readFile(Path file) {
        return readFileDocument(file).rootOrThrow();
    }

    /**
     * Reads a file whose format is given by its extension, returning the problems that leave the tree
     * whole (unset variables, duplicate keys) with it.
     *
     * @throws InvalidConfigException for a missing file, a syntax error or a document that is not a map
     */
    public ConfigDocument readFileDocument(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException(Location.of(file.toString()), "file not found");
        } catch (IOException e) {
            throw new InvalidConfigException(Location.of(file.toString()), "cannot read file: " + e.getMessage());
        }
        return readDocument(
                text, file.toString(), Format.forFile(file.getFileName().toString()));
    }

    /**
     * Reads {@code text}; {@code source} names it in locations.
     *
     * @throws InvalidConfigException for a syntax error, a document that is not a map, or a
     *                                substitution problem
     */
    public MapNode read(String text, String source, Format format) {
        return readDocument(text, source, format).rootOrThrow();
    }

    /**
     * Reads {@code text}, returning the problems that leave the tree whole (unset variables, duplicate
     * keys) with it; {@code source} names it in locations.
     *
     * @throws InvalidConfigException for a syntax error or a document that is not a map
     */
    public ConfigDocument readDocument(String text, String source, Format format) {
        if (text.isBlank()) throw new InvalidConfigException(Location.of(source), "the file is empty");
        List<Problem> problems = new ArrayList<>();
        ConfigNode root;
        try (JsonParser p = factory(format).createParser(text)) {
            if (p.nextToken() == null) throw new InvalidConfigException(Location.of(source), "the file is empty");
            root = readNode(p, source, problems);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            Location at = l == null ? Location.of(source) : new Location(source, l.getLineNr(), l.getColumnNr());
            throw new InvalidConfigException(at, "syntax error: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidConfigException(Location.of(source), "cannot read: " + e.getMessage());
        }
        if (!(root instanceof MapNode map)) {
            problems.add(0, new Problem(root.location(), "expected a map of settings, found " + root.describe()));
            throw new InvalidConfigException(problems);
        }
        return new ConfigDocument(map, problems);
    }

    private static JsonFactory factory(Format format) {
        JsonFactory f = switch (format) {
            case YAML -> new YAMLFactory();
            case TOML -> new TomlFactory();
            case JSON ->
                JsonFactory.builder()
                        .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                        .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
                        .build();
        };
        return f;
    }

    private ConfigNode readNode(JsonParser p, String source, List<Problem> problems) throws IOException {
        Location at = location(p.currentTokenLocation(), source);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                MapNode map = new MapNode(at);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Location keyAt = location(p.currentTokenLocation(), source);
                    p.nextToken();
                    ConfigNode value = readNode(p, source, problems);
                    if (!map.put(key, keyAt, value)) {
                        problems.add(new Problem(
                                keyAt,
                                "duplicate key '" + key + "' (first at line "
                                        + map.keyLocation(key).line() + ")"));
                    }
                }
                return map;
            }
            case START_ARRAY: {
                List<ConfigNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) items.add(readNode(p, source, problems));
                return new ListNode(items, at);
            }
            case VALUE_STRING: {
                Substitution.Result r = substitution.apply(p.getText(), at, problems);
                return new ScalarNode(r.text(), at, r.secret(), r.unresolved());
            }
            case VALUE_NUMBER_INT:
                return new ScalarNode(
                        p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                                ? p.getBigIntegerValue()
                                : p.getLongValue(),
                        at,
                        false);
            case VALUE_NUMBER_FLOAT:
                return new ScalarNode(p.getDoubleValue(), at, false);
            case VALUE_TRUE:
                return new ScalarNode(Boolean.TRUE, at, false);
            case VALUE_FALSE:
                return new ScalarNode(Boolean.FALSE, at, false);
            case VALUE_NULL:
                return new ScalarNode(null, at, false);
            case VALUE_EMBEDDED_OBJECT: {
                Object o = p.getEmbeddedObject();
                return new ScalarNode(o == null ? null : o.toString(), at, false);
            }
            default:
                throw new InvalidConfigException(at, "unexpected " + t);
        }
    }

    private static Location location(JsonLocation l, String source) {
        return l == null ? Location.of(source) : new Location(source, l.getLineNr(), l.getColumnNr());
    }
}
