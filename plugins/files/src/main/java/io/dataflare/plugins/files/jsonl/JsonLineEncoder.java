package io.dataflare.plugins.files.jsonl;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.io.SerializedString;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.json.RecordJson;
import io.dataflare.plugins.files.output.RecordEncoder;
import io.dataflare.plugins.files.output.SinkFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes each record as one JSON object on its own line (UTF-8), values in {@link RecordJson}'s form, straight
 * into a byte buffer. The bytes are exactly those Jackson's generator writes for {@link RecordJson#writeValue}
 * (escapes, surrogates as {@code \\uXXXX}, Jackson's own long and double formatting, short decimals such as
 * {@code 450.31} written directly: see {@link ShortDecimals}), without the generator's
 * per-value state checks and char-to-byte copies, which made the sink the busiest stage of a pipeline.
 * Field names are encoded once per {@link Fields} (by Jackson, as before).
 */
public final class JsonLineEncoder implements RecordEncoder {
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_SHAPES = 256;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = bytes("null");
    private static final byte[] TRUE = bytes("true");
    private static final byte[] FALSE = bytes("false");
    /** Per ASCII char: 0 written as is, -1 as {@code \\u00XX}, else the letter after a backslash (as Jackson). */
    private static final int[] ESCAPES = new int[128];

    static {
        for (int c = 0; c < 0x20; c++) ESCAPES[c] = -1;
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
    }

    private final OutputStream out;
    private final Map<Fields, byte[][]> names = new IdentityHashMap<>();
    private Fields lastFields;
    private byte[][] lastNames;
    private byte[] buf = new byte[BUFFER];
    private int pos;

    /** An encoder writing to {@code out}, which it closes when closed. */
    public JsonLineEncoder(OutputStream out) {
        this.out = out;
    }

    /** JSON lines as a sink format, for one sink instance. */
    public static SinkFormat format() {
        return (out, target, fresh) -> new JsonLineEncoder(out);
    }

    @Override
    public void encode(Record r) throws IOException {
        byte[][] n = namesOf(r.fields());
        if (n.length == 0) {
            ascii2('{', '}');
        } else {
            for (int i = 0; i < n.length; i++) {
                raw(n[i]);
                value(r.value(i));
            }
            ascii1('}');
        }
        ascii1('\n');
    }

    /** {@code {"name":} for the first field and {@code ,"name":} for the others, escaped as Jackson does. */
    private byte[][] namesOf(Fields f) {
        if (f == lastFields) return lastNames;
        byte[][] n = names.get(f);
        if (n == null) {
            n = new byte[f.size()][];
            for (int i = 0; i < n.length; i++) {
                byte[] quoted = new SerializedString(f.name(i)).asQuotedUTF8();
                byte[] b = new byte[quoted.length + 4];
                b[0] = (byte) (i == 0 ? '{' : ',');
                b[1] = '"';
                System.arraycopy(quoted, 0, b, 2, quoted.length);
                b[b.length - 2] = '"';
                b[b.length - 1] = ':';
                n[i] = b;
            }
            if (names.size() >= MAX_SHAPES) names.clear();
            names.put(f, n);
        }
        lastFields = f;
        lastNames = n;
        return n;
    }

    private void value(Object v) throws IOException {
        if (v == null) {
            raw(NULL);
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Long l) {
            ensure(20);
            pos = NumberOutput.outputLong(l, buf, pos);
        } else if (v instanceof Double d) {
            number(d);
        } else if (v instanceof Boolean b) {
            raw(b ? TRUE : FALSE);
        } else if (v instanceof Instant t) {
            string(t.toString());
        } else if (v instanceof BigDecimal d) {
            ascii(RecordJson.decimalText(d));
        } else if (v instanceof byte[] b) {
            byte[] encoded = Base64.getEncoder().encode(b);
            ensure(encoded.length + 2);
            buf[pos++] = '"';
            System.arraycopy(encoded, 0, buf, pos, encoded.length);
            pos += encoded.length;
            buf[pos++] = '"';
        } else if (v instanceof Map<?, ?> m) {
            ascii1('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) ascii1(',');
                first = false;
                string(String.valueOf(e.getKey()));
                ascii1(':');
                value(e.getValue());
            }
            ascii1('}');
        } else if (v instanceof List<?> list) {
            ascii1('[');
            boolean first = true;
            for (Object o : list) {
                if (!first) ascii1(',');
                first = false;
                value(o);
            }
            ascii1(']');
        } else {
            throw new IllegalArgumentException(
                    "not a record value: " + v.getClass().getName());
        }
    }

    private void number(double d) throws IOException {
        if (!Double.isFinite(d)) {
            string(Double.toString(d));
            return;
        }
        ensure(24);
        int end = ShortDecimals.write(d, buf, pos);
        if (end >= 0) pos = end;
        else ascii(NumberOutput.toString(d, true));
    }

    /** A JSON string as Jackson's UTF-8 generator writes it: each surrogate char (paired or not) as an escape. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the exact, copy-free ASCII copy
    private void string(String s) throws IOException {
        int len = s.length();
        ensure(6 * len + 2);
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        // Most text is plain ASCII: its leading run is found without writing, then copied in one go.
        int i = 0;
        while (i < len && plain(s.charAt(i))) i++;
        s.getBytes(0, i, b, p);
        p += i;
        for (; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                int esc = ESCAPES[c];
                if (esc == 0) {
                    b[p++] = (byte) c;
                } else if (esc > 0) {
                    b[p++] = '\\';
                    b[p++] = (byte) esc;
                } else {
                    p = unicodeEscape(b, p, c);
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                p = unicodeEscape(b, p, c);
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[p++] = '"';
        pos = p;
    }

    /** An ASCII char written as itself: not a control char, quote or backslash. */
    private static boolean plain(char c) {
        return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    }

    private static int unicodeEscape(byte[] b, int p, char c) {
        b[p++] = '\\';
        b[p++] = 'u';
        b[p++] = HEX[(c >> 12) & 0xF];
        b[p++] = HEX[(c >> 8) & 0xF];
        b[p++] = HEX[(c >> 4) & 0xF];
        b[p++] = HEX[c & 0xF];
        return p;
    }

    /** Text known to be ASCII (number formats). */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) is the exact, copy-free ASCII copy
    private void ascii(String s) throws IOException {
        int len = s.length();
        ensure(len);
        s.getBytes(0, len, buf, pos);
        pos += len;
    }

    private void raw(byte[] b) throws IOException {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void ascii1(char c) throws IOException {
        ensure(1);
        buf[pos++] = (byte) c;
    }

    private void ascii2(char c1, char c2) throws IOException {
        ensure(2);
        buf[pos++] = (byte) c1;
        buf[pos++] = (byte) c2;
    }

    /** Room for {@code n} more bytes: what is buffered goes out first; a longer string grows the buffer. */
    private void ensure(int n) throws IOException {
        if (pos + n <= buf.length) return;
        out.write(buf, 0, pos);
        pos = 0;
        if (n > buf.length) buf = new byte[n];
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void flush() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try (OutputStream o = out) {
            flush();
        }
    }
}
