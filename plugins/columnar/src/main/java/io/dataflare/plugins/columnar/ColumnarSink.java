package io.dataflare.plugins.columnar;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Writes records to Parquet or Avro part files. Such a file is readable only once its footer (Parquet) or
 * last block (Avro) is written and cannot be cut back to an earlier length, so the sink writes into a hidden
 * {@code .NAME.inprogress} file and, at each checkpoint (and at the end of the run), closes it and renames it
 * to its final name: the first part is {@code path} itself, the next ones {@code STEM_00001.EXT},
 * {@code STEM_00002.EXT}... The checkpoint state is the number of finished parts (and the schema); a resumed
 * run deletes the unfinished part and any part finished after the checkpoint it resumes from, whose records
 * the sources replay: every record ends up in exactly one finished part.
 */
final class ColumnarSink implements Sink {
    static final String PARTS = "parts";
    static final String SCHEMA = "schema";

    private final Path target;
    private final ColumnarFormat format;
    private final String compression;
    private final Pattern partName;
    private Schema schema;
    private ColumnarFormat.RecordFileWriter writer;
    private int parts;
    private boolean restored;
    private boolean claimed;

    /**
     * @param target   the first part's file; later parts get a number before its extension
     * @param declared the schema the {@code schema} option declares, or null to infer it from the first batch
     */
    ColumnarSink(Path target, ColumnarFormat format, Schema declared, String compression) {
        this.target = target.toAbsolutePath().normalize();
        this.format = format;
        this.schema = declared;
        this.compression = compression;
        String[] stemExt = stemAndExtension(this.target.getFileName().toString());
        this.partName = Pattern.compile(Pattern.quote(stemExt[0]) + "_(\\d{5,})" + Pattern.quote(stemExt[1]));
    }

    @Override
    public void write(RecordBatch batch, Rejections rejections) throws IOException {
        claimOutput();
        if (batch.isEmpty()) return;
        if (schema == null) {
            try {
                schema = Schemas.inferred(batch.records());
            } catch (IllegalArgumentException e) {
                throw new IOException(format.plugin() + " " + target.getFileName() + ": " + e.getMessage(), e);
            }
        }
        for (Record r : batch) {
            GenericData.Record row;
            try {
                row = toRow(r);
            } catch (IllegalArgumentException e) {
                rejections.reject(r, format.plugin() + " " + target.getFileName() + ": " + e.getMessage());
                continue;
            }
            if (writer == null) {
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(inProgress());
                writer = format.write(inProgress(), schema, compression);
            }
            writer.write(row);
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
     * A run that does not resume owns its output: the previous run's parts and any unfinished part are
     * deleted on the first write or checkpoint, so a clean run never leaves old records behind.
     */
    private void claimOutput() throws IOException {
        if (claimed) return;
        claimed = true;
        if (restored) return;
        Files.deleteIfExists(target);
        Files.deleteIfExists(inProgress());
        deletePartsFrom(1);
    }

    /** Finishes the current part (closed, synced, renamed to its final name) and returns the parts so far. */
    @Override
    public Map<String, Object> checkpoint() throws IOException {
        claimOutput();
        if (writer != null) {
            ColumnarFormat.RecordFileWriter w = writer;
            writer = null;
            w.close();
            Path done = part(parts);
            sync(inProgress());
            Files.move(inProgress(), done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            sync(done.getParent());
            parts++;
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put(PARTS, parts);
        if (schema != null) state.put(SCHEMA, schema.toString());
        return state;
    }

    @Override
    public void flush() throws IOException {
        // A Parquet or Avro file is not readable before it is finished: only a checkpoint makes records durable.
        claimOutput();
    }

    /** Deletes the unfinished part and the parts finished after the checkpoint; continues with the next part. */
    @Override
    public void restore(Map<String, Object> state) throws IOException {
        restored = true;
        if (!(state.get(PARTS) instanceof Number n)) {
            throw new IOException(format.plugin() + ": a checkpoint state needs '" + PARTS + "', got " + state);
        }
        parts = n.intValue();
        if (state.get(SCHEMA) instanceof String s) schema = new Schema.Parser().parse(s);
        Files.deleteIfExists(inProgress());
        if (parts == 0) Files.deleteIfExists(target);
        deletePartsFrom(Math.max(1, parts));
    }

    /** Closes an unfinished part without finishing it: its records are not checkpointed, a resumed run redoes them. */
    @Override
    public void close() throws IOException {
        ColumnarFormat.RecordFileWriter w = writer;
        writer = null;
        if (w != null) w.close();
    }

    /**
     * Part {@code n}: the target itself for 0, else STEM_0000n.EXT. An underscore sorts after the extension's
     * dot, so a glob's name order reads the parts in the order they were written.
     */
    Path part(int n) {
        if (n == 0) return target;
        String[] stemExt = stemAndExtension(target.getFileName().toString());
        return target.resolveSibling(String.format("%s_%05d%s", stemExt[0], n, stemExt[1]));
    }

    private Path inProgress() {
        return target.resolveSibling("." + target.getFileName() + ".inprogress");
    }

    private void deletePartsFrom(int first) throws IOException {
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Matcher m = partName.matcher(p.getFileName().toString());
                if (m.matches() && Integer.parseInt(m.group(1)) >= first) Files.deleteIfExists(p);
            }
        }
    }

    private static String[] stemAndExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? new String[] {name, ""} : new String[] {name.substring(0, dot), name.substring(dot)};
    }

    private static void sync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
