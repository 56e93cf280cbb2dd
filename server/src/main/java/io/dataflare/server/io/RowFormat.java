package io.dataflare.server.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import io.dataflare.json.Decimals;
import io.dataflare.json.RecordJson;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The formats records arrive in, through {@code POST .../records} bodies and attached files: a JSON array of
 * objects, JSON lines, or CSV with a header line (values stay strings unless the push source's {@code schema}
 * types them). Rows are read in chunks, so a large attached file never sits in memory whole. JSON values are
 * read in {@link RecordJson}'s form, except that a top-level number with a fraction is kept exact (a
 * {@link BigDecimal}) and one beyond the long range is a {@link BigInteger}, so that the schema can make it a
 * decimal without loss; {@link #settle} turns the fractions no schema typed into doubles.
 */
public enum RowFormat {
    JSON,
    JSONL,
    CSV;

    private static final JsonFactory FACTORY = RecordJson.newFactory();

    /** A row does not parse; the message says where. */
    public static final class BadRowException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadRowException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Reads rows from a stream, a chunk at a time. */
    public interface RowReader extends Closeable {
        /** Up to {@code max} rows; an empty list at the end. */
        List<Map<String, Object>> next(int max) throws IOException;
    }

    /** The format of a request's {@code Content-Type}, or null when it is none of them. */
    public static RowFormat ofContentType(String contentType) {
        if (contentType == null) return null;
        String ct = contentType.toLowerCase(Locale.ROOT);
        if (ct.startsWith("application/json")) return JSON;
        if (ct.startsWith("application/x-ndjson")
                || ct.startsWith("application/jsonl")
                || ct.startsWith("application/x-jsonlines")) {
            return JSONL;
        }
        if (ct.startsWith("text/csv")) return CSV;
        return null;
    }

    /** The format of a file name's extension ({@code .json}, {@code .jsonl}/{@code .ndjson}, {@code .csv}), or null. */
    public static RowFormat ofFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) return CSV;
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) return JSONL;
        if (n.endsWith(".json")) return JSON;
        return null;
    }

    /** The format named {@code json}, {@code jsonl} or {@code csv}. */
    public static RowFormat named(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format must be json, jsonl or csv, got '" + name + "'", e);
        }
    }

    /** The content type to send rows of this format with. */
    public String contentType() {
        return switch (this) {
            case JSON -> "application/json";
            case JSONL -> "application/x-ndjson";
            case CSV -> "text/csv";
        };
    }

    /** Every row of {@code body}. */
    public List<Map<String, Object>> readAll(InputStream body, String source) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (RowReader r = reader(body, source)) {
            for (List<Map<String, Object>> chunk; !(chunk = r.next(1024)).isEmpty(); ) out.addAll(chunk);
        }
        return out;
    }

    /**
     * A reader of the rows in {@code in}; {@code source} names it in messages.
     *
     * @throws BadRowException (from {@code next}) naming the row that does not parse
     */
    public RowReader reader(InputStream in, String source) throws IOException {
        Reader text = new InputStreamReader(in, StandardCharsets.UTF_8);
        return switch (this) {
            case JSON -> jsonArray(text, source);
            case JSONL -> jsonLines(new BufferedReader(text), source);
            case CSV -> csv(text, source);
        };
    }

    /**
     * A top-level value as read here, as a record value: a fraction kept exact becomes a double, a big integer a
     * decimal (other values are returned as they are).
     */
    public static Object settle(Object v) {
        if (v instanceof BigDecimal d) return d.doubleValue();
        if (v instanceof BigInteger b) return new BigDecimal(b);
        return v;
    }

    /** The object at the parser's START_OBJECT: top-level fractions exact, nested values in the codec's form. */
    private static Map<String, Object> readObject(JsonParser p) throws IOException {
        Map<String, Object> row = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            Object v;
            if (t == JsonToken.VALUE_NUMBER_FLOAT) v = p.getDecimalValue();
            else if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.BIG_INTEGER)
                v = p.getBigIntegerValue();
            else v = RecordJson.readValue(p, Decimals.DOUBLE);
            row.put(name, v);
        }
        return row;
    }

    private static RowReader jsonArray(Reader text, String source) throws IOException {
        JsonParser p = FACTORY.createParser(text);
        try {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new BadRowException(source + ": expected a JSON array of objects", null);
            }
        } catch (JsonProcessingException e) {
            throw new BadRowException(source + ": not JSON: " + e.getOriginalMessage(), e);
        }
        return new RowReader() {
            private int index;
            private boolean done;

            @Override
            public List<Map<String, Object>> next(int max) throws IOException {
                List<Map<String, Object>> out = new ArrayList<>();
                try {
                    while (!done && out.size() < max) {
                        JsonToken t = p.nextToken();
                        if (t == JsonToken.END_ARRAY || t == null) {
                            done = true;
                            if (t == JsonToken.END_ARRAY && p.nextToken() != null) {
                                throw new BadRowException(source + ": unexpected content after the array", null);
                            }
                        } else if (t == JsonToken.START_OBJECT) {
                            out.add(readObject(p));
                            index++;
                        } else {
                            throw new BadRowException(source + ": element " + index + " is not a JSON object", null);
                        }
                    }
                } catch (JsonProcessingException e) {
                    throw new BadRowException(
                            source + ": element " + index + ": not JSON: " + e.getOriginalMessage(), e);
                }
                return out;
            }

            @Override
            public void close() throws IOException {
                p.close();
            }
        };
    }

    private static RowReader jsonLines(BufferedReader lines, String source) {
        return new RowReader() {
            private int line;

            @Override
            public List<Map<String, Object>> next(int max) throws IOException {
                List<Map<String, Object>> out = new ArrayList<>();
                for (String l; out.size() < max && (l = lines.readLine()) != null; ) {
                    line++;
                    if (l.isBlank()) continue;
                    try (JsonParser p = FACTORY.createParser(l)) {
                        if (p.nextToken() != JsonToken.START_OBJECT) {
                            throw new BadRowException(source + ":" + line + ": not a JSON object", null);
                        }
                        Map<String, Object> row = readObject(p);
                        if (p.nextToken() != null)
                            throw new BadRowException(
                                    source + ":" + line + ": not JSON: content after the object", null);
                        out.add(row);
                    } catch (JsonProcessingException e) {
                        throw new BadRowException(source + ":" + line + ": not JSON: " + e.getOriginalMessage(), e);
                    }
                }
                return out;
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    private static RowReader csv(Reader text, String source) {
        CsvReader<NamedCsvRecord> csv = CsvReader.builder().skipEmptyLines(true).ofNamedCsvRecord(text);
        Iterator<NamedCsvRecord> rows = csv.iterator();
        return new RowReader() {
            @Override
            public List<Map<String, Object>> next(int max) {
                List<Map<String, Object>> out = new ArrayList<>();
                try {
                    while (out.size() < max && rows.hasNext()) {
                        NamedCsvRecord r = rows.next();
                        if (r.getFieldCount() != r.getHeader().size()) {
                            throw new BadRowException(
                                    source + ":" + r.getStartingLineNumber() + ": " + r.getFieldCount()
                                            + " fields, but the header names "
                                            + r.getHeader().size(),
                                    null);
                        }
                        out.add(new LinkedHashMap<>(r.getFieldsAsMap()));
                    }
                } catch (BadRowException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // fastcsv reports a broken row or an I/O error with an unchecked exception
                    throw new BadRowException(source + ": " + e.getMessage(), e);
                }
                return out;
            }

            @Override
            public void close() throws IOException {
                csv.close();
            }
        };
    }
}
