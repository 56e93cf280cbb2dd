package io.dataflare.plugins.columnar;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * One output file of a sink, written as a sequence of parts. A Parquet or Avro file is readable only once its
 * footer (Parquet) or last block (Avro) is written and cannot be cut back to an earlier length, so records go to
 * a hidden {@code .NAME.inprogress} file which {@link #finish()} closes, forces to disk and renames to the part's
 * final name: part 0 is the target itself, part n is {@code STEM_0000n.EXT}.
 */
final class PartFile {
    private final Path target;
    private final ColumnarFormat format;
    private final String compression;
    private final Pattern partName;
    private ColumnarFormat.RecordFileWriter writer;
    private int parts;

    PartFile(Path target, ColumnarFormat format, String compression) {
        this.target = target;
        this.format = format;
        this.compression = compression;
        String[] stemExt = stemAndExtension(target.getFileName().toString());
        this.partName = Pattern.compile(Pattern.quote(stemExt[0]) + "_(\\d{5,})" + Pattern.quote(stemExt[1]));
    }

    /** The parts finished so far. */
    int parts() {
        return parts;
    }

    boolean isOpen() {
        return writer != null;
    }

    Path target() {
        return target;
    }

    /** For a run that does not resume: deletes the previous run's parts and unfinished part. */
    void replacePrevious() throws IOException {
        Files.deleteIfExists(target);
        Files.deleteIfExists(inProgress());
        deletePartsFrom(1);
    }

    /** Goes back to {@code finished} parts: deletes the unfinished part and every part finished after them. */
    void restore(int finished) throws IOException {
        parts = finished;
        Files.deleteIfExists(inProgress());
        if (finished == 0) Files.deleteIfExists(target);
        deletePartsFrom(Math.max(1, finished));
    }

    /** Appends a row to the unfinished part, starting one if needed. */
    void write(GenericRecord row, Schema schema) throws IOException {
        if (writer == null) {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(inProgress());
            writer = format.write(inProgress(), schema, compression);
        }
        writer.write(row);
    }

    /** Finishes the unfinished part, if any: closed, forced to disk, renamed to its final name. */
    void finish() throws IOException {
        if (writer == null) return;
        ColumnarFormat.RecordFileWriter w = writer;
        writer = null;
        w.close();
        Path done = part(parts);
        sync(inProgress());
        Files.move(inProgress(), done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync(done.getParent());
        parts++;
    }

    /** Closes the unfinished part without finishing it: it stays hidden, a resumed run deletes it. */
    void abandon() throws IOException {
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
