package io.dataflare.plugins.columnar;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.support.template.PathTemplate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Writes records to Parquet or Avro {@link PartFile}s, one per file its {@link PathTemplate} names. At each checkpoint
 * (and at the end of the run) every unfinished part is finished; the checkpoint state is the number of finished
 * parts per file (and the columns). A resumed run deletes each file's unfinished part and the parts finished after
 * the checkpoint, whose records the sources replay: every record ends up in exactly one finished part. Beyond
 * {@code maxOpenFiles} files with an unfinished part, the least recently written one is finished early (a part
 * finished between two checkpoints is deleted on resume like any part after the checkpoint).
 */
final class ColumnarSink implements Sink {
    static final String FILES = "files";
    static final String SCHEMA = "schema";

    private final PathTemplate path;
    private final ColumnarFormat format;
    private final String compression;
    private final int maxOpenFiles;
    /** Files by expanded path, least recently written first. */
    private final LinkedHashMap<String, PartFile> files = new LinkedHashMap<>(16, 0.75f, true);

    private Schema schema;
    private boolean restored;
    private boolean claimed;
    private int open;

    /** @param declared the columns the {@code schema} option declares, or null to infer them from the first batch */
    ColumnarSink(PathTemplate path, ColumnarFormat format, Schema declared, String compression, int maxOpenFiles) {
        this.path = path;
        this.format = format;
        this.schema = declared;
        this.compression = compression;
        this.maxOpenFiles = Math.max(1, maxOpenFiles);
    }

    @Override
    public void write(RecordBatch batch, Rejections rejections) throws IOException {
        claimOutput();
        if (batch.isEmpty()) return;
        if (schema == null) {
            try {
                schema = Schemas.inferred(batch.records());
            } catch (IllegalArgumentException e) {
                throw new IOException(format.plugin() + " " + path + ": " + e.getMessage(), e);
            }
        }
        for (Record r : batch) {
            PartFile file;
            GenericData.Record row;
            try {
                file = file(path.expand(r));
                row = toRow(r);
            } catch (IllegalArgumentException e) {
                rejections.reject(r, format.plugin() + " " + path + ": " + e.getMessage());
                continue;
            }
            if (!file.isOpen()) {
                if (open >= maxOpenFiles) finishEldestOpen();
                open++;
            }
            file.write(row, schema);
        }
    }

    /** The file for an expanded path; a file this run has not seen yet replaces the previous run's (fresh). */
    private PartFile file(String target) throws IOException {
        PartFile f = files.get(target);
        if (f == null) {
            f = new PartFile(path.resolve(target), format, compression);
            f.replacePrevious();
            files.put(target, f);
        }
        return f;
    }

    private void finishEldestOpen() throws IOException {
        Iterator<PartFile> it = files.values().iterator();
        while (it.hasNext()) {
            PartFile f = it.next();
            if (f.isOpen()) {
                f.finish();
                open--;
                return;
            }
        }
    }

    private GenericData.Record toRow(Record r) {
        GenericData.Record row = new GenericData.Record(schema);
        for (int i = 0; i < r.size(); i++) {
            String name = r.fieldName(i);
            Schema.Field f = schema.getField(name);
            if (f == null) {
                throw new IllegalArgumentException("field '" + name + "' is not a column of the file (columns: "
                        + schema.getFields().stream().map(Schema.Field::name).toList() + ")");
            }
            Object value = r.value(i);
            try {
                row.put(f.pos(), AvroValues.toAvro(value, f.schema()));
            } catch (IllegalArgumentException | ClassCastException | ArithmeticException e) {
                throw new IllegalArgumentException("field '" + name + "' value '" + shown(value)
                        + "' does not fit column type " + typeName(f.schema()) + ": " + e.getMessage());
            }
        }
        return row;
    }

    private static String shown(Object value) {
        String s = value instanceof byte[] b ? b.length + " bytes" : String.valueOf(value);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static String typeName(Schema s) {
        for (Schema branch : s.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch.getLogicalType() != null
                        ? branch.getLogicalType().getName()
                        : branch.getType().getName();
            }
        }
        return s.getType().getName();
    }

    /**
     * A run that does not resume owns its output: a constant path's previous parts are deleted on the first
     * write or checkpoint even when no record reaches it (files of a path with placeholders are replaced as
     * they are first written; files for values this run does not see are left alone).
     */
    private void claimOutput() throws IOException {
        if (claimed) return;
        claimed = true;
        if (restored || !path.isConstant()) return;
        file(path.expand(null));
    }

    /** Finishes every unfinished part and returns the finished parts per file. */
    @Override
    public Map<String, Object> checkpoint() throws IOException {
        claimOutput();
        Map<String, Object> parts = new TreeMap<>();
        for (Map.Entry<String, PartFile> e : files.entrySet()) {
            e.getValue().finish();
            parts.put(e.getKey(), e.getValue().parts());
        }
        open = 0;
        Map<String, Object> state = new LinkedHashMap<>();
        state.put(FILES, parts);
        if (schema != null) state.put(SCHEMA, schema.toString());
        return state;
    }

    @Override
    public void flush() throws IOException {
        // a Parquet or Avro part is unreadable until finished: only a checkpoint makes records durable
        claimOutput();
    }

    /** Deletes each file's unfinished part and the parts finished after the checkpoint. */
    @Override
    public void restore(Map<String, Object> state) throws IOException {
        restored = true;
        if (!(state.get(FILES) instanceof Map<?, ?> m)) {
            throw new IOException(format.plugin() + ": a checkpoint state needs '" + FILES + "', got " + state);
        }
        if (state.get(SCHEMA) instanceof String s) schema = new Schema.Parser().parse(s);
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String target = String.valueOf(e.getKey());
            PartFile f;
            try {
                f = new PartFile(path.resolve(target), format, compression);
            } catch (IllegalArgumentException outside) {
                throw new IOException("checkpointed file " + target + " is outside the sink's directory", outside);
            }
            f.restore(((Number) e.getValue()).intValue());
            files.put(target, f);
        }
    }

    /** Closes unfinished parts without finishing them: their records are not checkpointed, a resumed run redoes them. */
    @Override
    public void close() throws IOException {
        List<PartFile> all = new ArrayList<>(files.values());
        IOException first = null;
        for (PartFile f : all) {
            try {
                f.abandon();
            } catch (IOException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        open = 0;
        if (first != null) throw first;
    }
}
