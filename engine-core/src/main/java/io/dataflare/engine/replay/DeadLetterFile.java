package io.dataflare.engine.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dataflare.api.data.Record;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.Problem;
import io.dataflare.json.Decimals;
import io.dataflare.json.RecordJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a dead-letter file written by a JSON-lines dead-letter sink: one object per line with
 * {@code stage}, {@code record}, {@code error} and optionally {@code key}, {@code headers},
 * {@code event_time}, {@code types} and {@code key_type}. Values are read in {@link RecordJson}'s form, and
 * the fields {@code types} names (timestamps, bytes, decimals) get their types back, so a replayed record
 * equals the one that failed.
 */
public final class DeadLetterFile {
    private DeadLetterFile() {}

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
                    out.add(parse(line, lineNo));
                } catch (JsonProcessingException e) {
                    problems.add(new Problem(at, "not JSON: " + e.getOriginalMessage()));
                } catch (NotADeadLetterException e) {
                    problems.add(new Problem(at, e.getMessage()));
                }
            }
        }
        if (!problems.isEmpty()) throw new InvalidConfigException(problems);
        return out;
    }

    private static DeadLetter parse(String line, int lineNo) throws IOException {
        Object parsed = RecordJson.parse(line, Decimals.DOUBLE);
        if (!(parsed instanceof Map<?, ?> n)
                || !(n.get("stage") instanceof String stage)
                || !(n.get("record") instanceof Map<?, ?> fields)) {
            throw new NotADeadLetterException("not a dead letter: needs 'stage' and a 'record' object");
        }
        Map<?, ?> types = n.get("types") instanceof Map<?, ?> t ? t : Map.of();
        String keyType = n.get("key_type") instanceof String s ? s : null;
        // Decimals are read again with their exact digits: a double would round them.
        Map<?, ?> exact = null;
        if (types.containsValue("decimal") || "decimal".equals(keyType))
            exact = (Map<?, ?>) RecordJson.parse(line, Decimals.EXACT);
        Map<?, ?> exactFields = exact == null ? Map.of() : (Map<?, ?>) exact.get("record");

        Record.Builder b = Record.builder();
        for (Map.Entry<?, ?> e : fields.entrySet()) {
            String name = String.valueOf(e.getKey());
            String type = types.get(name) instanceof String s ? s : null;
            Object value = "decimal".equals(type) ? exactFields.get(name) : e.getValue();
            b.set(name, restore(value, type, "field '" + name + "'"));
        }
        Object key = n.get("key");
        if (key != null) b.key(restore("decimal".equals(keyType) ? exact.get("key") : key, keyType, "key"));
        if (n.get("headers") instanceof Map<?, ?> headers) {
            headers.forEach((k, v) -> b.header(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        }
        if (n.get("event_time") instanceof String t) b.eventTime((Instant) restore(t, "timestamp", "event_time"));
        String error =
                n.get("error") instanceof String s ? s : n.get("error") == null ? "" : String.valueOf(n.get("error"));
        return new DeadLetter(lineNo, stage, b.build(), error);
    }

    private static Object restore(Object value, String type, String what) {
        try {
            return RecordJson.restore(value, type);
        } catch (IllegalArgumentException e) {
            throw new NotADeadLetterException(what + " is not a " + type + ": " + e.getMessage());
        }
    }

    /** A line that is JSON but no dead letter. */
    private static final class NotADeadLetterException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotADeadLetterException(String message) {
            super(message);
        }
    }
}
