package io.dataflare.engine.runtime.buffer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dataflare.api.data.Record;
import io.dataflare.json.Decimals;
import io.dataflare.json.RecordJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records as spool text, one line per record: a JSON object of what is not a field (the types of fields
 * whose JSON does not tell them, the key and its type, headers, event time), a tab, then the fields in
 * {@link RecordJson}'s form. A record read back equals the one written (top-level values keep their types).
 */
final class SpoolCodec {
    private static final JsonFactory JSON = RecordJson.newFactory();

    private SpoolCodec() {}

    static byte[] encode(List<Record> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * records.size());
        for (Record r : records) {
            out.write(meta(r).getBytes(StandardCharsets.UTF_8));
            out.write('\t');
            out.write(fields(r).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static String meta(Record r) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            Map<String, String> types = RecordJson.typeHints(r);
            if (!types.isEmpty()) {
                g.writeObjectFieldStart("types");
                for (Map.Entry<String, String> e : types.entrySet()) g.writeStringField(e.getKey(), e.getValue());
                g.writeEndObject();
            }
            if (r.key() != null) {
                g.writeFieldName("key");
                RecordJson.writeValue(g, r.key());
                Map<String, String> kt =
                        RecordJson.typeHints(Record.builder().set("k", r.key()).build());
                if (!kt.isEmpty()) g.writeStringField("key_type", kt.get("k"));
            }
            if (!r.headers().isEmpty()) {
                g.writeObjectFieldStart("headers");
                for (Map.Entry<String, String> e : r.headers().entrySet()) g.writeStringField(e.getKey(), e.getValue());
                g.writeEndObject();
            }
            if (r.eventTime() != null)
                g.writeStringField("event_time", r.eventTime().toString());
            g.writeEndObject();
        }
        return w.toString();
    }

    private static String fields(Record r) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            RecordJson.writeFields(g, r);
        }
        return w.toString();
    }

    /**
     * The records of spool text.
     *
     * @param where names the spool file in errors
     * @throws IOException naming the file and line of text that is not a spooled record
     */
    static List<Record> decode(byte[] bytes, String where) throws IOException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<Record> out = new ArrayList<>();
        int line = 0;
        for (int start = 0; start < text.length(); ) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            line++;
            String l = text.substring(start, end);
            start = end + 1;
            if (l.isEmpty()) continue;
            try {
                out.add(record(l));
            } catch (IOException | RuntimeException e) {
                throw new IOException(where + " line " + line + ": not a spooled record: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Record record(String line) throws IOException {
        int tab = line.indexOf('\t');
        if (tab < 0) throw new IOException("no tab between its metadata and its fields");
        Map<?, ?> meta = (Map<?, ?>) RecordJson.parse(line.substring(0, tab), Decimals.DOUBLE);
        Map<String, String> types = new HashMap<>();
        if (meta.get("types") instanceof Map<?, ?> t) t.forEach((k, v) -> types.put((String) k, (String) v));
        Record fields = RecordJson.readRecord(line.substring(tab + 1), types);
        Record.Builder b = fields.toBuilder();
        Object key = meta.get("key");
        if (key != null) {
            String kt = meta.get("key_type") instanceof String s ? s : null;
            if ("decimal".equals(kt)) {
                Map<?, ?> exact = (Map<?, ?>) RecordJson.parse(line.substring(0, tab), Decimals.EXACT);
                key = exact.get("key");
            }
            b.key(RecordJson.restore(key, kt));
        }
        if (meta.get("headers") instanceof Map<?, ?> h) h.forEach((k, v) -> b.header((String) k, (String) v));
        if (meta.get("event_time") instanceof String t) b.eventTime(Instant.parse(t));
        return b.build();
    }
}
