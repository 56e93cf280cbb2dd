package io.dataflare.engine.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.data.Record;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a dead-letter file written by a JSON-lines dead-letter sink: one object per line with
 * {@code stage}, {@code record}, {@code error} and optionally {@code key} and {@code headers}.
 */
public final class DeadLetterFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterFile() {
    }

    /**
     * Every entry of {@code file}.
     *
     * @throws InvalidConfigException naming each line that is not a dead letter
     */
    public static List<DeadLetter> read(Path file) throws IOException {
        List<DeadLetter> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) continue;
                Location at = new Location(file.toString(), lineNo, 1);
                try {
                    JsonNode n = JSON.readTree(line);
                    if (!n.isObject() || !n.path("stage").isTextual() || !n.path("record").isObject()) {
                        problems.add(new Problem(at, "not a dead letter: needs 'stage' and a 'record' object"));
                        continue;
                    }
                    Record.Builder b = Record.fromMap(toMap(n.get("record"))).toBuilder();
                    if (n.hasNonNull("key")) b.key(plain(n.get("key")));
                    if (n.path("headers").isObject()) {
                        for (Iterator<Map.Entry<String, JsonNode>> it = n.get("headers").fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> h = it.next();
                            b.header(h.getKey(), h.getValue().asText());
                        }
                    }
                    out.add(new DeadLetter(lineNo, n.get("stage").asText(), b.build(), n.path("error").asText("")));
                } catch (JsonProcessingException e) {
                    problems.add(new Problem(at, "not JSON: " + e.getOriginalMessage()));
                }
            }
        }
        if (!problems.isEmpty()) throw new InvalidConfigException(problems);
        return out;
    }

    private static Map<String, Object> toMap(JsonNode object) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), plain(e.getValue()));
        }
        return m;
    }

    private static Object plain(JsonNode n) {
        if (n.isNull() || n.isMissingNode()) return null;
        if (n.isObject()) return toMap(n);
        if (n.isArray()) {
            List<Object> l = new ArrayList<>(n.size());
            n.forEach(x -> l.add(plain(x)));
            return l;
        }
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber() && n.canConvertToLong()) return n.longValue();
        if (n.isNumber()) return n.doubleValue();
        return n.asText();
    }
}
