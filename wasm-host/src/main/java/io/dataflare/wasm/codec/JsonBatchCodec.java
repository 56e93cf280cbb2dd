package io.dataflare.wasm.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.json.Decimals;
import io.dataflare.json.RecordJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON batch encoding: an array of objects, one per record, field name to value, in {@link RecordJson}'s
 * form (timestamps as ISO-8601 strings, bytes as base64 strings, decimals as numbers with their exact digits).
 * Input objects start with {@code "$in": <index>}; output is the same array, or
 * {@code {"records": [...], "rejected": [{"$in": i, "reason": "..."}]}}. A field of an output record that held
 * a timestamp, bytes or a decimal in the input record it names and comes back as a string (or a number, for a
 * decimal) gets that type back; {@code {"$ts": ...}} and {@code {"$bytes": ...}}, the tags of the first
 * version of this encoding, are still read.
 */
public final class JsonBatchCodec implements BatchCodec {
    static final String IN = "$in";
    private static final JsonFactory JSON = RecordJson.newFactory();

    @Override
    public String name() {
        return "json";
    }

    @Override
    public ByteBuffer encodeShared(RecordBatch batch) {
        return ByteBuffer.wrap(encode(batch));
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
                    RecordJson.writeValue(g, r.value(f));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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
                    else
                        throw new MalformedOutputException(
                                "unexpected key '" + name + "' in the output object (records, rejected)", null);
                }
            } else if (t != null) {
                throw new MalformedOutputException(
                        "output must be a JSON array of records or {records, rejected}", null);
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
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT)
                throw new MalformedOutputException("each output record must be a JSON object", null);
            names.clear();
            values.clear();
            int in = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals(IN)) {
                    in = p.getIntValue();
                } else {
                    names.add(name);
                    // a fraction is kept exact until we know whether the field was a decimal
                    values.add(
                            v == JsonToken.VALUE_NUMBER_FLOAT
                                    ? new Fraction(p.getDecimalValue())
                                    : untag(RecordJson.readValue(p, Decimals.DOUBLE)));
                }
            }
            Record origin = out.origin(in);
            Record.Builder b = Record.builder();
            for (int f = 0; f < names.size(); f++) {
                Object before = origin == null ? null : origin.get(names.get(f));
                Object v = values.get(f);
                if (v instanceof Fraction(BigDecimal d))
                    v = before instanceof BigDecimal ? d : (Object) d.doubleValue();
                else v = RecordJson.restoreLike(v, before);
                b.set(names.get(f), v);
            }
            out.add(b, in);
        }
    }

    /** A number with a fraction or exponent, read exactly. */
    private record Fraction(BigDecimal value) {}

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

    /** The value with the first version's {@code {"$ts": ...}} and {@code {"$bytes": ...}} objects read as such. */
    private static Object untag(Object v) {
        if (v instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.get("$ts") instanceof String s) return Instant.parse(s);
            if (m.size() == 1 && m.get("$bytes") instanceof String s)
                return Base64.getDecoder().decode(s);
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, x) -> copy.put(String.valueOf(k), untag(x)));
            return copy;
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            for (Object x : l) copy.add(untag(x));
            return copy;
        }
        return v;
    }
}
