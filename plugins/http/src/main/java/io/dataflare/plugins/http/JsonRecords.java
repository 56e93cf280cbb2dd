package io.dataflare.plugins.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dataflare.api.data.Record;
import io.dataflare.json.Decimals;
import io.dataflare.json.RecordJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records to and from HTTP bodies: a JSON array of objects, or JSON lines (one object per line). */
final class JsonRecords {
    private static final JsonFactory FACTORY = RecordJson.newFactory();
    private static final int MAX_RAW = 1024;

    private JsonRecords() {}

    /** One item of a body: a record, or what could not be read (with where it is). */
    record Item(Record record, String where, String error, String raw) {
        boolean ok() {
            return record != null;
        }
    }

    /** A JSON array of the records' fields. */
    static byte[] array(List<Record> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * records.size() + 2);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (Record r : records) RecordJson.writeFields(g, r);
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One JSON object per line, each line ended by a line feed. */
    static byte[] lines(List<Record> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * records.size() + 2);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            for (Record r : records) {
                RecordJson.writeFields(g, r);
                g.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The items of a body: a JSON array of objects (or one object) when {@code lines} is false, else one object
     * per line (blank lines skipped). Nothing is dropped: what is not an object comes back as an item with its
     * error and position ({@code element N} or {@code line N}, counting from 1).
     */
    static List<Item> read(String body, boolean lines) {
        List<Item> out = new ArrayList<>();
        if (lines) {
            int lineNo = 0;
            int start = 0;
            while (start <= body.length()) {
                int end = body.indexOf('\n', start);
                if (end < 0) end = body.length();
                lineNo++;
                String line = body.substring(start, end);
                if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
                if (!line.isBlank()) out.add(one(line, "line " + lineNo));
                start = end + 1;
            }
            return out;
        }
        Object v;
        try {
            v = RecordJson.parse(body, Decimals.DOUBLE);
        } catch (IOException e) {
            out.add(new Item(null, "body", "not JSON: " + firstLine(e.getMessage()), raw(body)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            out.add(new Item(record(m), "element 1", null, null));
        } else if (v instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Object e = list.get(i);
                String where = "element " + (i + 1);
                if (e instanceof Map<?, ?> m) out.add(new Item(record(m), where, null, null));
                else out.add(new Item(null, where, "not a JSON object", raw(RecordJson.toJson(e))));
            }
        } else {
            out.add(new Item(null, "body", "not a JSON array or object", raw(body)));
        }
        return out;
    }

    private static Item one(String line, String where) {
        try {
            Object v = RecordJson.parse(line, Decimals.DOUBLE);
            if (v instanceof Map<?, ?> m) return new Item(record(m), where, null, null);
            return new Item(null, where, "not a JSON object", raw(line));
        } catch (IOException e) {
            return new Item(null, where, "not JSON: " + firstLine(e.getMessage()), raw(line));
        }
    }

    private static Record record(Map<?, ?> m) {
        Record.Builder b = Record.builder();
        for (Map.Entry<?, ?> e : m.entrySet()) b.set(String.valueOf(e.getKey()), e.getValue());
        return b.build();
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String raw(String text) {
        return text.length() <= MAX_RAW ? text : text.substring(0, MAX_RAW);
    }
}
