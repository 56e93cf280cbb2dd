package io.dataflare.cli.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The records of a file {@code dataflare task push} sends, by its extension: CSV with a header line
 * ({@code .csv}), JSON lines ({@code .jsonl}, {@code .ndjson}) or a JSON array of objects ({@code .json}). Read a
 * batch at a time, so that a large file never sits in memory whole; values go to the server as read (CSV values
 * as text), where the push source's {@code schema} converts them.
 */
abstract class RecordFile implements Closeable {
    // fractions and big integers are sent as written, so a schema on the server can make them exact decimals
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    /** A record that does not parse; the message names the file and where in it. */
    static final class BadRecordException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadRecordException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Opens {@code file}.
     *
     * @throws IllegalArgumentException when its extension names none of the formats
     */
    static RecordFile open(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String source = file.toString();
        if (name.endsWith(".csv")) return new Csv(Files.newBufferedReader(file, StandardCharsets.UTF_8), source);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson"))
            return new JsonLines(Files.newBufferedReader(file, StandardCharsets.UTF_8), source);
        if (name.endsWith(".json")) return new JsonArray(Files.newBufferedReader(file, StandardCharsets.UTF_8), source);
        throw new IllegalArgumentException(
                "cannot tell the format of " + file + ": use .csv, .jsonl, .ndjson or .json");
    }

    /**
     * Up to {@code max} records; an empty list at the end.
     *
     * @throws BadRecordException naming the record that does not parse
     */
    abstract List<Map<String, Object>> next(int max) throws IOException;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static final class Csv extends RecordFile {
        private final CsvReader<NamedCsvRecord> csv;
        private final Iterator<NamedCsvRecord> rows;
        private final String source;

        Csv(Reader text, String source) {
            this.csv = CsvReader.builder().skipEmptyLines(true).ofNamedCsvRecord(text);
            this.rows = csv.iterator();
            this.source = source;
        }

        @Override
        List<Map<String, Object>> next(int max) {
            List<Map<String, Object>> out = new ArrayList<>();
            try {
                // fastcsv refuses a record whose field count differs from the header's
                while (out.size() < max && rows.hasNext())
                    out.add(new LinkedHashMap<>(rows.next().getFieldsAsMap()));
            } catch (RuntimeException e) {
                // fastcsv reports a broken record or an I/O error with an unchecked exception, the reason in its cause
                String why = e.getCause() == null || e.getCause().getMessage() == null
                        ? ""
                        : ": " + e.getCause().getMessage();
                throw new BadRecordException(source + ": " + e.getMessage() + why, e);
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            csv.close();
        }
    }

    private static final class JsonLines extends RecordFile {
        private final BufferedReader lines;
        private final String source;
        private int line;

        JsonLines(BufferedReader lines, String source) {
            this.lines = lines;
            this.source = source;
        }

        @Override
        List<Map<String, Object>> next(int max) throws IOException {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String l; out.size() < max && (l = lines.readLine()) != null; ) {
                line++;
                if (l.isBlank()) continue;
                Object v;
                try {
                    v = JSON.readValue(l, Object.class);
                } catch (JsonProcessingException e) {
                    throw new BadRecordException(source + ":" + line + ": not JSON: " + e.getOriginalMessage(), e);
                }
                if (!(v instanceof Map<?, ?> m))
                    throw new BadRecordException(source + ":" + line + ": not a JSON object", null);
                out.add(object(m));
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    private static final class JsonArray extends RecordFile {
        private final Reader text;
        private final String source;
        private JsonParser parser;
        private int index;
        private boolean done;

        JsonArray(Reader text, String source) {
            this.text = text;
            this.source = source;
        }

        @Override
        List<Map<String, Object>> next(int max) throws IOException {
            List<Map<String, Object>> out = new ArrayList<>();
            try {
                if (parser == null) {
                    parser = JSON.createParser(text);
                    if (parser.nextToken() != JsonToken.START_ARRAY)
                        throw new BadRecordException(source + ": expected a JSON array of objects", null);
                }
                while (!done && out.size() < max) {
                    JsonToken t = parser.nextToken();
                    if (t == JsonToken.END_ARRAY || t == null) {
                        done = true;
                        if (t == JsonToken.END_ARRAY && parser.nextToken() != null) {
                            throw new BadRecordException(source + ": unexpected content after the array", null);
                        }
                    } else if (t == JsonToken.START_OBJECT) {
                        out.add(object(JSON.readValue(parser, Map.class)));
                        index++;
                    } else {
                        throw new BadRecordException(source + ": element " + index + " is not a JSON object", null);
                    }
                }
            } catch (JsonProcessingException e) {
                throw new BadRecordException(
                        source + ": element " + index + ": not JSON: " + e.getOriginalMessage(), e);
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            if (parser != null) parser.close();
            text.close();
        }
    }
}
