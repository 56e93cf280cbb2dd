package io.dataflare.plugins.files.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.json.Decimals;
import io.dataflare.json.RecordJson;
import io.dataflare.plugins.files.input.ByteInput;
import io.dataflare.plugins.files.input.FieldsCache;
import io.dataflare.plugins.files.input.Origin;
import io.dataflare.plugins.files.input.ReadResult;
import io.dataflare.plugins.files.input.RowReader;
import io.dataflare.plugins.files.input.RowReaderFactory;
import io.dataflare.plugins.files.input.Utf8;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Decodes JSON lines: one object per line becomes one record, its keys the fields in order. Lines are
 * split on the raw bytes and each is parsed on its own, so a broken line is rejected (with the
 * parser's message) and the next line parses normally. Blank lines are skipped.
 */
public final class JsonLineReader implements RowReader {
    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final int MAX_RAW = 64 * 1024;

    private final InputStream stream;
    private final ByteInput in;
    private final JsonFactory factory;
    private final Decimals decimals;
    private final FieldsCache fieldsCache;
    private final Origin origin;
    private long lines;
    private int scanned;
    private boolean discardingLine;
    private String[] names = new String[16];
    private Object[] values = new Object[16];

    /** A reader of {@code in}; {@code factory} and {@code fieldsCache} are shared by the readers of one source. */
    public JsonLineReader(
            InputStream in,
            Origin origin,
            JsonFactory factory,
            FieldsCache fieldsCache,
            int maxLine,
            Decimals decimals) {
        this.stream = in;
        this.in = new ByteInput(in, maxLine);
        this.factory = factory;
        this.decimals = decimals;
        this.fieldsCache = fieldsCache;
        this.origin = origin;
    }

    /**
     * Opens readers for one source instance, sharing one JSON factory and one {@link FieldsCache}; values are
     * read in {@link RecordJson}'s form, fractions as {@code decimals} says.
     */
    public static RowReaderFactory factory(int maxLine, Decimals decimals) {
        JsonFactory factory = RecordJson.newFactory();
        FieldsCache cache = new FieldsCache();
        return (in, origin) -> new JsonLineReader(in, origin, factory, cache, maxLine, decimals);
    }

    @Override
    public ReadResult read(RecordBatch.Builder out, boolean mayBlock) throws IOException {
        while (true) {
            byte[] b = in.buffer();
            int start = in.start();
            int lim = in.limit();
            // Resume the search for the line break where the last attempt stopped.
            int p = start + scanned;
            while (p < lim && b[p] != LF) p++;
            if (p >= lim && !in.eof()) {
                scanned = p - start;
                if (discardingLine) {
                    in.consume(lim);
                    scanned = 0;
                } else if (in.full()) {
                    rejectTooLong(out);
                    return ReadResult.ROW;
                }
                if (in.more(mayBlock) == ByteInput.WOULD_BLOCK) return ReadResult.PENDING;
                continue;
            }
            scanned = 0;
            if (start >= lim) return ReadResult.END;
            int end = p > start && b[p - 1] == CR ? p - 1 : p;
            in.consume(Math.min(p + 1, lim));
            lines++;
            if (discardingLine) {
                discardingLine = false;
                continue;
            }
            if (isBlank(b, start, end)) continue;
            decodeLine(out, b, start, end - start);
            return ReadResult.ROW;
        }
    }

    private void decodeLine(RecordBatch.Builder out, byte[] b, int off, int len) throws IOException {
        // JSON lines are UTF-8; NUL bytes near the start would make Jackson guess UTF-16/32 instead.
        for (int i = off; i < off + Math.min(4, len); i++) {
            if (b[i] == 0) {
                reject(out, b, off, len, "not UTF-8 JSON (a NUL byte)");
                return;
            }
        }
        try (JsonParser p = factory.createParser(b, off, len)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                reject(out, b, off, len, "expected a JSON object, found " + describe(t));
                return;
            }
            int n = 0;
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
            if (after != null) {
                reject(out, b, off, len, "unexpected " + describe(after) + " after the object");
                return;
            }
            Fields fields;
            try {
                fields = fieldsCache.lookup(names, n);
            } catch (IllegalArgumentException e) {
                reject(out, b, off, len, e.getMessage());
                return;
            }
            Record.Builder r = Record.builder(fields);
            for (int i = 0; i < n; i++) r.set(i, values[i]);
            out.add(r.build());
        } catch (JsonProcessingException e) {
            reject(out, b, off, len, e.getOriginalMessage());
        } catch (CharConversionException e) {
            reject(out, b, off, len, "not UTF-8 JSON: " + e.getMessage());
        } finally {
            Arrays.fill(values, null);
        }
    }

    private void reject(RecordBatch.Builder out, byte[] b, int off, int len, String problem) {
        rejectAt(out, b, off, len, lines, problem);
    }

    private void rejectAt(RecordBatch.Builder out, byte[] b, int off, int len, long line, String problem) {
        String raw = Utf8.decodeLenient(b, off, Math.min(len, MAX_RAW));
        origin.reject(out, len > MAX_RAW ? raw + "..." : raw, line, problem);
    }

    private void rejectTooLong(RecordBatch.Builder out) {
        rejectAt(
                out,
                in.buffer(),
                in.start(),
                in.limit() - in.start(),
                lines + 1,
                "line longer than " + in.maxWindow() + " bytes");
        // Drop what is buffered; the rest of the line is dropped (and the line counted) when its end arrives.
        in.consume(in.limit());
        scanned = 0;
        discardingLine = true;
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r') return false;
        }
        return true;
    }

    private static String describe(JsonToken t) {
        if (t == null) return "nothing";
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "another object";
            default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
        };
    }

    @Override
    public long linesConsumed() {
        return lines;
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
