package io.dataflare.plugins.files.csv;

import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.plugins.files.input.ByteInput;
import io.dataflare.plugins.files.input.FieldsCache;
import io.dataflare.plugins.files.input.Origin;
import io.dataflare.plugins.files.input.ReadResult;
import io.dataflare.plugins.files.input.RowReader;
import io.dataflare.plugins.files.input.RowReaderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes one CSV input into records: the header (or {@code columns}) gives the field names, shared by
 * every record through one {@link Fields}; {@code schema} converts values. A row with the wrong number
 * of fields, a value that does not convert, invalid UTF-8 or a broken quote becomes a rejection naming
 * the input and line, and decoding carries on with the next row.
 */
public final class CsvRowReader implements RowReader {
    private final InputStream stream;
    private final CsvScanner scanner;
    private final CsvOptions options;
    private final FieldsCache fieldsCache;
    private final Origin origin;
    private final System.Logger logger;
    private Fields fields;
    private FieldType[] types;

    /** A reader of {@code in}; {@code fieldsCache} is shared by the readers of one source. */
    public CsvRowReader(
            InputStream in,
            Origin origin,
            CsvOptions options,
            FieldsCache fieldsCache,
            System.Logger logger,
            int maxRow) {
        this.stream = in;
        this.scanner = new CsvScanner(new ByteInput(in, maxRow), options.delimiter(), options.skipEmptyLines());
        this.options = options;
        this.fieldsCache = fieldsCache;
        this.origin = origin;
        this.logger = logger;
    }

    /** Opens readers for one source instance: its inputs share one {@link FieldsCache}. */
    public static RowReaderFactory factory(CsvOptions options, System.Logger logger, int maxRow) {
        FieldsCache cache = new FieldsCache();
        return (in, origin) -> new CsvRowReader(in, origin, options, cache, logger, maxRow);
    }

    @Override
    public ReadResult read(RecordBatch.Builder out, boolean mayBlock) throws IOException {
        while (true) {
            switch (scanner.next(mayBlock)) {
                case END:
                    return ReadResult.END;
                case PENDING:
                    return ReadResult.PENDING;
                case BROKEN:
                    origin.reject(out, scanner.raw(), scanner.rowLine(), scanner.problem());
                    return ReadResult.ROW;
                default:
                    if (fields == null && takeShape()) continue;
                    decodeRow(out);
                    return ReadResult.ROW;
            }
        }
    }

    /** Fixes the field names from the first row; true when that row was a header and is used up. */
    private boolean takeShape() {
        String[] names;
        int n = scanner.fieldCount();
        if (options.columns() != null) {
            names = options.columns().toArray(new String[0]);
        } else if (options.header()) {
            names = headerNames(n);
        } else {
            names = new String[n];
            for (int i = 0; i < n; i++) names[i] = "c" + (i + 1);
        }
        fields = fieldsCache.lookup(names, names.length);
        types = typesOf(fields);
        return options.header();
    }

    private String[] headerNames(int n) {
        String[] names = new String[n];
        Set<String> seen = new HashSet<>();
        List<String> repaired = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = scanner.field(i);
            String base = name == null || name.isEmpty() ? "c" + (i + 1) : name;
            // Fields need distinct names; a sloppy header should not cost the whole file.
            String fixed = base;
            for (int k = i + 1; !seen.add(fixed); k++) fixed = base + "_" + k;
            if (!fixed.equals(name)) repaired.add("column " + (i + 1) + " -> " + fixed);
            names[i] = fixed;
        }
        if (!repaired.isEmpty()) {
            logger.log(
                    System.Logger.Level.WARNING,
                    "{0}: empty, repeated or undecodable header names renamed: {1}",
                    origin.label(),
                    String.join(", ", repaired));
        }
        return names;
    }

    private FieldType[] typesOf(Fields f) {
        Map<String, FieldType> schema = options.schema();
        if (schema.isEmpty()) return null;
        FieldType[] t = new FieldType[f.size()];
        for (Map.Entry<String, FieldType> e : schema.entrySet()) {
            int i = f.indexOf(e.getKey());
            if (i < 0) {
                logger.log(
                        System.Logger.Level.WARNING,
                        "{0}: schema field ''{1}'' is not a column (columns: {2})",
                        origin.label(),
                        e.getKey(),
                        f.names());
            } else if (e.getValue() != FieldType.STRING) {
                t[i] = e.getValue();
            }
        }
        return t;
    }

    private void decodeRow(RecordBatch.Builder out) {
        int n = scanner.fieldCount();
        if (n != fields.size()) {
            reject(out, "expected " + fields.size() + " fields, found " + n);
            return;
        }
        Record.Builder b = Record.builder(fields);
        for (int i = 0; i < n; i++) {
            FieldType t = types == null ? null : types[i];
            if (t == FieldType.LONG || t == FieldType.DOUBLE) {
                // the usual cell of a number column, read from its bytes without a string in between
                Object v = scanner.plainNumber(i, t == FieldType.LONG);
                if (v != null) {
                    b.set(i, v);
                    continue;
                }
            }
            String s = scanner.field(i);
            if (s == null) {
                reject(out, "field '" + fields.name(i) + "' is not valid UTF-8");
                return;
            }
            if (t == null) {
                b.set(i, s);
            } else if (s.isEmpty()) {
                // An empty cell of a typed column is a missing value, not a bad one.
                b.set(i, null);
            } else {
                try {
                    b.set(i, t.convert(s));
                } catch (IllegalArgumentException e) {
                    reject(out, "field '" + fields.name(i) + "': " + e.getMessage());
                    return;
                }
            }
        }
        out.add(b.build());
    }

    private void reject(RecordBatch.Builder out, String problem) {
        origin.reject(out, scanner.raw(), scanner.rowLine(), problem);
    }

    @Override
    public long linesConsumed() {
        return scanner.linesConsumed();
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
