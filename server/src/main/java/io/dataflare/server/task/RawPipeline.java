package io.dataflare.server.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Locale;

/**
 * Pipelines as written, without substitution: what is stored and what the API returns, so that
 * {@code ${secret:name}} stays a reference and its value never leaves the process.
 */
public final class RawPipeline {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper TOML = new TomlMapper();

    private RawPipeline() {}

    /** The text's tree ({@code format}: yaml, json or toml); a missing node when it does not parse. */
    public static JsonNode tree(String text, String format) {
        try {
            JsonNode n = mapper(format).readTree(text);
            return n == null ? JSON.missingNode() : n;
        } catch (JsonProcessingException e) {
            return JSON.missingNode();
        }
    }

    /** A node as JSON text. */
    public static String json(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectMapper mapper(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> JSON;
            case "toml" -> TOML;
            default -> YAML;
        };
    }
}
