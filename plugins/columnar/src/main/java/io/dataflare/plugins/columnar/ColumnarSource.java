package io.dataflare.plugins.columnar;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads Parquet or Avro files in path order, one record per row, with the file's own schema: field names and
 * types come from the file. Each batch carries the position {@code {file, record}} (the records of that file
 * read so far); {@link #seek} resumes there by skipping that many records of the file.
 */
final class ColumnarSource implements Source {
    static final String FILE = "file";
    static final String RECORD = "record";

    private static final Fields VALUE = Fields.of("value");

    private final List<Path> files;
    private final ColumnarFormat format;
    private int nextFile;
    private ColumnarFormat.RecordFileReader reader;
    private Path current;
    private long readInFile;
    private long skip;
    private Schema schema;
    private Fields fields;

    ColumnarSource(List<Path> files, ColumnarFormat format) {
        this.files = files;
        this.format = format;
    }

    @Override
    public void seek(Map<String, Object> position) throws IOException {
        if (!(position.get(FILE) instanceof String file) || !(position.get(RECORD) instanceof Number record)) {
            throw new IllegalArgumentException("a position needs 'file' and 'record', got " + position);
        }
        closeReader();
        int i = 0;
        while (i < files.size() && files.get(i).toString().compareTo(file) < 0) i++;
        nextFile = i;
        // a file that vanished since the checkpoint: carry on with the ones after it, from their start
        skip = i < files.size() && files.get(i).toString().equals(file) ? record.longValue() : 0;
    }

    @Override
    public RecordBatch poll(int maxRecords) throws IOException {
        RecordBatch.Builder out = RecordBatch.builder(Math.min(Math.max(maxRecords, 1), 4096));
        int rows = 0;
        while (rows < maxRecords) {
            if (reader == null && !openNext()) break;
            Object r = reader.next();
            if (r == null) {
                closeReader();
                continue;
            }
            readInFile++;
            out.add(toRecord(r));
            rows++;
        }
        if (rows == 0) return null;
        out.position(Map.of(FILE, current.toString(), RECORD, readInFile));
        return out.build();
    }

    private Record toRecord(Object datum) {
        if (!(datum instanceof GenericRecord r)) {
            // an Avro file of plain values (a long, a string...): one field, as other sources name a bare value
            return Record.of(VALUE, AvroValues.fromAvro(datum, reader.schema()));
        }
        Schema s = r.getSchema();
        if (s != schema) {
            schema = s;
            fields = Fields.of(s.getFields().stream().map(Schema.Field::name).toList());
        }
        Record.Builder b = Record.builder(fields);
        for (Schema.Field f : s.getFields()) b.set(f.pos(), AvroValues.fromAvro(r.get(f.pos()), f.schema()));
        return b.build();
    }

    private boolean openNext() throws IOException {
        if (nextFile >= files.size()) return false;
        current = files.get(nextFile++);
        format.checkMagic(current);
        reader = format.read(current);
        readInFile = 0;
        for (; skip > 0; skip--) {
            if (reader.next() == null) break;
            readInFile++;
        }
        skip = 0;
        return true;
    }

    private void closeReader() throws IOException {
        ColumnarFormat.RecordFileReader r = reader;
        reader = null;
        if (r != null) r.close();
    }

    @Override
    public void close() throws IOException {
        closeReader();
    }
}
