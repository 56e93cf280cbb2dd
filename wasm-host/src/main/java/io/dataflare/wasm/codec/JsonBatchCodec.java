package io.dataflare.wasm.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON batch encoding: an array of objects, one per record, field name to value. Longs are JSON
 * integers, doubles JSON numbers with a fraction or exponent; a timestamp is {@code {"$ts": "ISO-8601"}}
 * and bytes {@code {"$bytes": "base64"}}. Input objects start with {@code "$in": <index>}; output is
 * the same array, or {@code {"records": [...], "rejected": [{"$in": i, "reason": "..."}]}}.
 */
public final class JsonBatchCodec implements BatchCodec {
    static final String IN = "$in";
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String name() {
        return "json";
    }

    @Override
    public byte[] encode(RecordBatch batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + batch.size() * 64);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartArray();
            for (int i = 0; i < batch.size(); i++) {
                Record r = batch.get(i);
                g.writeStartObject();
                g.writeNumberField(IN, i);
                for (int f = 0; f < r.size(); f++) {
                    g.writeFieldName(r.fieldName(f));
                    writeValue(g, r.value(f));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes one record value as JSON. */
    public static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) g.writeNull();
        else if (v instanceof String s) g.writeString(s);
        else if (v instanceof Long l) g.writeNumber(l);
        else if (v instanceof Double d) g.writeNumber(d);
        else if (v instanceof Boolean b) g.writeBoolean(b);
        else if (v instanceof Instant t) {
            g.writeStartObject();
            g.writeStringField("$ts", t.toString());
            g.writeEndObject();
        } else if (v instanceof byte[] b) {
            g.writeStartObject();
            g.writeStringField("$bytes", Base64.getEncoder().encodeToString(b));
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) writeValue(g, o);
            g.writeEndArray();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            throw new IllegalArgumentException("not a record value: " + v.getClass().getName());
        }
    }

    @Override
    public RecordBatch decode(byte[] output, RecordBatch input) {
        OutputBuilder out = new OutputBuilder(input);
        try (JsonParser p = JSON.createParser(output)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                readRecords(p, out);
            } else if (t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (name.equals("records") && v == JsonToken.START_ARRAY) readRecords(p, out);
                    else if (name.equals("rejected") && v == JsonToken.START_ARRAY) readRejections(p, out);
                    else throw new MalformedOutputException("unexpected key '" + name + "' in the output object (records, rejected)", null);
                }
            } else if (t != null) {
                throw new MalformedOutputException("output must be a JSON array of records or {records, rejected}", null);
            }
        } catch (IOException e) {
            throw new MalformedOutputException("output is not valid JSON: " + e.getMessage(), e);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new MalformedOutputException("output holds an invalid value: " + e.getMessage(), e);
        }
        return out.build();
    }

    private static void readRecords(JsonParser p, OutputBuilder out) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) throw new MalformedOutputException("each output record must be a JSON object", null);
            Record.Builder b = Record.builder();
            int in = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals(IN)) in = p.getIntValue();
                else b.set(name, readValue(p));
            }
            out.add(b, in);
        }
    }

    private static void readRejections(JsonParser p, OutputBuilder out) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            int in = -1;
            String reason = "rejected by the plugin";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals(IN)) in = p.getIntValue();
                else if (name.equals("reason")) reason = p.getValueAsString();
                else p.skipChildren();
            }
            out.reject(in, reason);
        }
    }

    /** Reads the value the parser is on as a record value. */
    public static Object readValue(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_NULL:
                return null;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getDoubleValue() : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_STRING:
                return p.getText();
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(readValue(p));
                return l;
            }
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    m.put(k, readValue(p));
                }
                return tagged(m);
            }
            default:
                throw new MalformedOutputException("unexpected JSON token " + p.currentToken(), null);
        }
    }

    private static Object tagged(Map<String, Object> m) {
        if (m.size() == 1 && m.get("$ts") instanceof String s) return Instant.parse(s);
        if (m.size() == 1 && m.get("$bytes") instanceof String s) return Base64.getDecoder().decode(s);
        return m;
    }
}
