package io.dataflare.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads one JSON object from bytes straight into a record builder, its members the fields in order: no
 * intermediate map and no text copy of the bytes. Records of one shape share one {@link Fields} (the last shape
 * is checked first, without allocating: consecutive messages nearly always have the same shape). Not
 * thread-safe: one per source instance.
 */
public final class JsonObjectReader {
    private final JsonFactory factory = RecordJson.newFactory();
    private final Decimals decimals;
    private String[] names = new String[16];
    private Object[] values = new Object[16];
    private Fields last;

    /** A reader giving numbers with a fraction as {@code decimals} says. */
    public JsonObjectReader(Decimals decimals) {
        this.decimals = decimals;
    }

    /**
     * The fields of the JSON object in {@code bytes}.
     *
     * @throws NotAnObjectException when the bytes hold another JSON value, or something after the object
     * @throws IOException when they are not JSON (the parser's message says where)
     */
    public Record.Builder read(byte[] bytes) throws IOException {
        // UTF-8 only: NUL bytes near the start would make Jackson guess UTF-16/32 instead.
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            if (bytes[i] == 0) throw new NotAnObjectException("not UTF-8 JSON (a NUL byte)");
        }
        int n = 0;
        try (JsonParser p = factory.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) throw new NotAnObjectException("not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                if (n == names.length) {
                    names = Arrays.copyOf(names, n * 2);
                    values = Arrays.copyOf(values, n * 2);
                }
                names[n] = p.currentName();
                p.nextToken();
                values[n++] = RecordJson.readValue(p, decimals);
            }
            JsonToken after = p.nextToken();
            if (after != null) throw new NotAnObjectException("unexpected " + after + " after the JSON object");
            Record.Builder b = Record.builder(fields(n));
            for (int i = 0; i < n; i++) b.set(i, values[i]);
            return b;
        } finally {
            Arrays.fill(values, 0, n, null);
        }
    }

    private Fields fields(int n) throws NotAnObjectException {
        Fields l = last;
        if (l != null && l.size() == n) {
            boolean same = true;
            for (int i = 0; i < n && same; i++) same = l.name(i).equals(names[i]);
            if (same) return l;
        }
        try {
            last = Fields.of(Arrays.copyOf(names, n));
        } catch (IllegalArgumentException e) {
            throw new NotAnObjectException(e.getMessage()); // a repeated or empty member name
        }
        return last;
    }

    /** The bytes are JSON, but not one object with distinct member names. */
    public static final class NotAnObjectException extends IOException {
        private static final long serialVersionUID = 1L;

        NotAnObjectException(String message) {
            super(message);
        }
    }
}
