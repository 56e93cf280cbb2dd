package io.dataflare.engine.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * One append-only log of a {@link FileStateStore}: a directory of segment files, each named after the sequence
 * number of its first record ({@code 00000000000000000001.seg}) and holding frames {@code [length][CRC32C][sequence]
 * [UTF-8 record]}; a new segment starts once the last one passed {@link #SEGMENT_BYTES}. A file {@code start}
 * holds the first sequence number kept after a truncation (segments wholly before it are deleted, records of
 * a segment partly before it are skipped). A frame whose length or checksum does not hold ends the log: it can
 * only be the torn tail of an append that a crash interrupted, which the store's redo file applies again, and
 * the next append cuts it off.
 *
 * <p>Not thread-safe on its own: the store calls it under its {@link StoreMutex}. The scan of the last segment
 * is cached for as long as its size does not change, so another process's appends are noticed.
 */
final class SegmentLog {
    static final long SEGMENT_BYTES = 1 << 20;
    private static final int HEADER = 16;
    private static final String START = "start";

    private final Path dir;
    private final StateRef ref;
    private Path cachedSegment;
    private long cachedSize = -1;
    private Scan cachedScan;

    /** The end of a segment's valid frames: the last sequence number (0 if none) and the byte offset after it. */
    private record Scan(long last, long validEnd) {}

    SegmentLog(Path dir, StateRef ref) {
        this.dir = dir;
        this.ref = ref;
    }

    synchronized long last() throws IOException {
        List<Path> segments = segments();
        if (segments.isEmpty()) return start() - 1;
        Path tail = segments.getLast();
        Scan scan = scanTail(tail);
        return scan.last() == 0 ? firstOf(tail) - 1 : scan.last();
    }

    /**
     * Appends {@code records} as sequence numbers {@code first}, {@code first + 1}, ..., durably. Records the log
     * already has (a redo applied again) are skipped.
     */
    synchronized void append(long first, List<String> records) throws IOException {
        long last = last();
        int skip = (int) Math.max(0, Math.min(records.size(), last - first + 1));
        if (skip == records.size()) return;
        long seq = first + skip;
        if (seq != last + 1)
            throw new StateStoreException("log " + ref + " in " + dir + " ends at " + last + ", cannot append " + seq);
        DurableFiles.createDirectories(dir);
        List<Path> segments = segments();
        Path target;
        long from = 0;
        if (!segments.isEmpty() && Files.size(segments.getLast()) < SEGMENT_BYTES) {
            target = segments.getLast();
            from = scanTail(target).validEnd();
        } else {
            target = dir.resolve(name(seq));
        }
        ByteBuffer frames = frames(seq, records.subList(skip, records.size()));
        long end = from + frames.remaining();
        boolean created = !Files.exists(target);
        cachedSegment = null;
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(from); // cuts off a torn tail
            ch.position(from);
            while (frames.hasRemaining()) ch.write(frames);
            ch.force(true);
        }
        if (created) DurableFiles.forceDirectory(dir);
        // the tail as this append left it: the next append need not read the segment (up to a megabyte) again to
        // find its end; a size that differs then (another process appended) still makes it read the segment
        cachedSegment = target;
        cachedSize = end;
        cachedScan = new Scan(first + records.size() - 1, end);
    }

    synchronized List<LogRecord> read(long from, int max) throws IOException {
        List<LogRecord> out = new ArrayList<>();
        if (max <= 0) return out;
        long start = Math.max(from, start());
        List<Path> segments = segments();
        for (int i = 0; i < segments.size() && out.size() < max; i++) {
            if (i + 1 < segments.size() && firstOf(segments.get(i + 1)) <= start) continue;
            try {
                parse(Files.readAllBytes(segments.get(i)), start, max, out);
            } catch (NoSuchFileException e) {
                // truncated away by another process meanwhile: its records are not wanted any more
            }
        }
        return out;
    }

    /** Drops the records before {@code sequence} (checked against {@link #last()} by the caller). */
    synchronized void truncateBefore(long sequence, long last) throws IOException {
        if (sequence <= start()) return;
        writeStart(sequence); // from here on the records before it are gone, even if deleting a segment fails
        List<Path> segments = segments();
        for (int i = 0; i < segments.size(); i++) {
            long next = i + 1 < segments.size() ? firstOf(segments.get(i + 1)) : last + 1;
            if (next <= sequence) Files.deleteIfExists(segments.get(i));
        }
        DurableFiles.forceDirectory(dir);
        cachedSegment = null;
    }

    private void writeStart(long sequence) throws IOException {
        DurableFiles.replace(
                dir.resolve(START), Long.toString(sequence).getBytes(StandardCharsets.US_ASCII), (ch, b) -> {});
    }

    private long start() throws IOException {
        try {
            return Long.parseLong(Files.readString(dir.resolve(START), StandardCharsets.US_ASCII)
                    .strip());
        } catch (NoSuchFileException e) {
            return 1;
        } catch (NumberFormatException e) {
            throw new StateStoreException(
                    "the file " + dir.resolve(START) + " of log " + ref + " is damaged: " + e.getMessage());
        }
    }

    private Scan scanTail(Path tail) throws IOException {
        long size = Files.size(tail);
        if (!tail.equals(cachedSegment) || size != cachedSize) {
            cachedScan = parse(Files.readAllBytes(tail), Long.MAX_VALUE, 0, null);
            cachedSegment = tail;
            cachedSize = size;
        }
        return cachedScan;
    }

    private List<Path> segments() throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg"))
                    .sorted()
                    .toList();
        }
    }

    private static Scan parse(byte[] b, long from, int max, List<LogRecord> out) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        int pos = 0;
        long last = 0;
        while (b.length - pos >= HEADER) {
            int len = buf.getInt(pos);
            if (len < 0 || len > b.length - pos - HEADER) break;
            CRC32C crc = new CRC32C();
            crc.update(b, pos + 8, 8 + len);
            if ((int) crc.getValue() != buf.getInt(pos + 4)) break;
            long seq = buf.getLong(pos + 8);
            if (out != null && seq >= from && out.size() < max)
                out.add(new LogRecord(seq, new String(b, pos + HEADER, len, StandardCharsets.UTF_8)));
            last = seq;
            pos += HEADER + len;
        }
        return new Scan(last, pos);
    }

    private static ByteBuffer frames(long first, List<String> records) {
        List<byte[]> data =
                records.stream().map(r -> r.getBytes(StandardCharsets.UTF_8)).toList();
        ByteBuffer buf = ByteBuffer.allocate(
                data.stream().mapToInt(d -> d.length + HEADER).sum());
        long seq = first;
        for (byte[] d : data) {
            int at = buf.position();
            buf.putInt(d.length).putInt(0).putLong(seq++).put(d);
            CRC32C crc = new CRC32C();
            crc.update(buf.array(), at + 8, 8 + d.length);
            buf.putInt(at + 4, (int) crc.getValue());
        }
        return buf.flip();
    }

    private static String name(long first) {
        return String.format("%020d.seg", first);
    }

    private static long firstOf(Path segment) {
        String n = segment.getFileName().toString();
        return Long.parseLong(n.substring(0, n.length() - ".seg".length()));
    }
}
