package io.dataflare.plugins.kafka;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.json.JsonObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** How a message's value becomes a record's fields. */
enum ValueFormat {
    /** A JSON object; its members are the fields. */
    JSON,
    /** UTF-8 text in the field {@code value}. */
    STRING,
    /** The raw bytes in the field {@code value}. */
    BYTES,
    /** One CSV row (no header) whose fields are named by the {@code columns} option; values as strings. */
    CSV;

    private static final CsvReader.CsvReaderBuilder CSV_READER =
            CsvReader.builder().allowExtraFields(true).allowMissingFields(true);

    static ValueFormat parse(String text) {
        for (ValueFormat f : values())
            if (f.name().toLowerCase(java.util.Locale.ROOT).equals(text)) return f;
        return null;
    }

    /**
     * The fields of one message value, or throws {@link BadValue} with a reason a person can act on when
     * the value does not fit the format.
     */
    Record.Builder read(byte[] value, Fields columns, JsonObjectReader json) throws BadValue {
        if (value == null) {
            if (this == JSON) throw new BadValue("no value (a tombstone), expected a JSON object");
            if (this == CSV) throw new BadValue("no value (a tombstone), expected a CSV row");
            return Record.builder().set("value", null);
        }
        if (this == CSV) return csv(new String(value, StandardCharsets.UTF_8), columns);
        Record.Builder b = Record.builder();
        switch (this) {
            case STRING -> b.set("value", new String(value, StandardCharsets.UTF_8));
            case BYTES -> b.set("value", value);
            case JSON -> {
                try {
                    return json.read(value);
                } catch (JsonObjectReader.NotAnObjectException e) {
                    throw new BadValue(e.getMessage());
                } catch (IOException e) {
                    throw new BadValue("not JSON: " + firstLine(e.getMessage()));
                }
            }
        }
        return b;
    }

    private static Record.Builder csv(String text, Fields columns) throws BadValue {
        CsvRecord row;
        try {
            row = CSV_READER.ofSingleCsvRecord(text);
        } catch (CsvParseException | IllegalStateException e) {
            throw new BadValue("not a CSV row: " + firstLine(e.getMessage()));
        }
        if (row.getFieldCount() != columns.size()) {
            throw new BadValue("expected " + columns.size() + " CSV fields (columns), found " + row.getFieldCount());
        }
        Record.Builder b = Record.builder(columns);
        for (int i = 0; i < row.getFieldCount(); i++) b.set(i, row.getField(i));
        return b;
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** A message value that does not fit the format. */
    static final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String reason) {
            super(reason);
        }
    }
}
