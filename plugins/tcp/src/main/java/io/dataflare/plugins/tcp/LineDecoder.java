package io.dataflare.plugins.tcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.json.Decimals;
import io.dataflare.json.RecordJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes the lines of one connection into records. JSON lines: one object a line, its keys the fields in
 * order, values in {@link RecordJson}'s form. CSV: the connection's first non-blank line is its header (so
 * every client may send its own columns); each later line is one row of exactly as many fields, values as
 * strings. A line that does not decode is a {@link BadLine}, never the end of the connection.
 */
final class LineDecoder {
    private static final CsvReader.CsvReaderBuilder CSV =
            CsvReader.builder().allowExtraFields(true).allowMissingFields(true);

    private final TcpFormat format;
    private final JsonFactory json;
    private Fields header;

    LineDecoder(TcpFormat format, JsonFactory json) {
        this.format = format;
        this.json = json;
    }

    /** Thrown for a line that is not a record: the message says why. */
    static final class BadLine extends Exception {
        private static final long serialVersionUID = 1L;

        BadLine(String message) {
            super(message, null, false, false);
        }
    }

    /** The record on {@code line}, or null for a blank line or the CSV header. */
    Record decode(String line) throws BadLine {
        if (line.isBlank()) return null;
        return format == TcpFormat.JSONL ? json(line) : csv(line);
    }

    private Record csv(String line) throws BadLine {
        CsvRecord row;
        try {
            row = CSV.ofSingleCsvRecord(line);
        } catch (CsvParseException | IllegalStateException e) {
            throw new BadLine("not a CSV row: " + e.getMessage());
        }
        if (header == null) {
            header = headerOf(row.getFields());
            return null;
        }
        if (row.getFieldCount() != header.size())
            throw new BadLine("expected " + header.size() + " fields, found " + row.getFieldCount());
        Record.Builder b = Record.builder(header);
        for (int i = 0; i < row.getFieldCount(); i++) b.set(i, row.getField(i));
        return b.build();
    }

    /** Field names from a header row; empty or repeated names are made unique, as the files plugin does. */
    private static Fields headerOf(List<String> names) {
        List<String> out = new ArrayList<>(names.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i).isEmpty() ? "c" + (i + 1) : names.get(i);
            String fixed = n;
            for (int k = i + 1; !seen.add(fixed); k++) fixed = n + "_" + k;
            out.add(fixed);
        }
        return Fields.of(out);
    }

    private Record json(String line) throws BadLine {
        try (JsonParser p = json.createParser(line)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) throw new BadLine("expected a JSON object, found " + t);
            Map<String, Object> values = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                values.put(name, RecordJson.readValue(p, Decimals.DOUBLE));
            }
            JsonToken after = p.nextToken();
            if (after != null) throw new BadLine("unexpected " + after + " after the object");
            return Record.fromMap(values);
        } catch (JsonProcessingException e) {
            throw new BadLine("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadLine("not JSON: " + e.getMessage());
        }
    }
}
