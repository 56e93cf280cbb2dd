package io.dataflare.engine.runtime.buffer;

import io.dataflare.api.data.Record;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A durable spool of record batches in a directory: one file per batch, written to a temporary file, forced
 * to disk and renamed into place, so a batch is either wholly there or absent after a crash (SIGKILL, power
 * loss once the rename is forced). The file name carries what the index needs (sequence number, priority,
 * record count, time spooled), so opening a spool lists the directory and reads no record. Batches are taken
 * out by priority, highest first, then in the order they were spooled. One process at a time: an OS lock on
 * {@code .lock} in the directory.
 */
public final class SinkSpool implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("(\\d{19})_p(-?\\d+)_n(\\d+)_t(\\d+)\\.batch");

    /**
     * One spooled batch.
     *
     * @param sequence its place in spool order (grows with every batch spooled, across restarts)
     * @param priority its records' priority
     * @param records  how many records it holds
     * @param bytes    its size on disk
     * @param atMillis when it was spooled
     */
    public record Entry(long sequence, long priority, int records, long bytes, long atMillis, Path file) {}

    private static final Comparator<Entry> DRAIN_ORDER =
            Comparator.comparingLong((Entry e) -> -e.priority()).thenComparingLong(Entry::sequence);

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final TreeMap<Long, Entry> bySequence = new TreeMap<>();
    private final TreeSet<Entry> byPriority = new TreeSet<>(DRAIN_ORDER);
    private long nextSequence = 1;
    private long records;
    private long bytes;

    /**
     * Opens (creating it if needed) the spool in {@code dir}.
     *
     * @throws IOException when the directory cannot be created or read, or another process holds it
     */
    public SinkSpool(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("the spool " + dir + " is in use by another run (its .lock is held)");
        }
        lock = l;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(f); // a batch whose write a crash cut short: never acknowledged
                    continue;
                }
                Matcher m = NAME.matcher(name);
                if (!m.matches()) continue;
                add(new Entry(
                        Long.parseLong(m.group(1)),
                        Long.parseLong(m.group(2)),
                        Integer.parseInt(m.group(3)),
                        Files.size(f),
                        Long.parseLong(m.group(4)),
                        f));
            }
        }
        if (!bySequence.isEmpty()) nextSequence = bySequence.lastKey() + 1;
    }

    private void add(Entry e) {
        bySequence.put(e.sequence(), e);
        byPriority.add(e);
        records += e.records();
        bytes += e.bytes();
    }

    /** Spools a batch durably: when this returns the batch survives a crash. */
    public synchronized Entry append(long priority, List<Record> batch, long nowMillis) throws IOException {
        return append(priority, encode(batch), batch.size(), nowMillis);
    }

    /** The spool form of records: what {@link #append(long, byte[], int, long)} takes. */
    public static byte[] encode(List<Record> batch) throws IOException {
        return SpoolCodec.encode(batch);
    }

    /** Spools {@code count} records already {@link #encode encoded}. */
    public synchronized Entry append(long priority, byte[] data, int count, long nowMillis) throws IOException {
        long seq = nextSequence++;
        String name = String.format("%019d_p%d_n%d_t%d.batch", seq, priority, count, nowMillis);
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            var buf = java.nio.ByteBuffer.wrap(data);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
        Path target = dir.resolve(name);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
        forceDirectory();
        Entry entry = new Entry(seq, priority, count, data.length, nowMillis, target);
        add(entry);
        return entry;
    }

    /** The batch to deliver next (highest priority, then oldest), or null when the spool is empty. */
    public synchronized Entry head() {
        return byPriority.isEmpty() ? null : byPriority.first();
    }

    /**
     * The batches to deliver next, in drain order: the {@link #head()} and those after it while together they
     * hold at most {@code maxRecords} records and {@code maxBytes} bytes (the head alone may hold more); empty
     * when the spool is.
     */
    public synchronized List<Entry> heads(int maxRecords, long maxBytes) {
        List<Entry> out = new ArrayList<>();
        long n = 0;
        long b = 0;
        for (Entry e : byPriority) {
            if (!out.isEmpty() && (n + e.records() > maxRecords || b + e.bytes() > maxBytes)) break;
            out.add(e);
            n += e.records();
            b += e.bytes();
        }
        return out;
    }

    /** The records of a spooled batch. */
    public List<Record> read(Entry e) throws IOException {
        return SpoolCodec.decode(Files.readAllBytes(e.file()), e.file().toString());
    }

    /** Takes a delivered batch out of the spool. */
    public synchronized void remove(Entry e) throws IOException {
        if (bySequence.remove(e.sequence()) == null) return;
        byPriority.remove(e);
        records -= e.records();
        bytes -= e.bytes();
        Files.deleteIfExists(e.file());
    }

    /**
     * Drops the batches spooled after {@code sequence}: a run resuming from a checkpoint taken when the spool
     * ended there reads their records again from its sources. Later batches are numbered after it.
     */
    public synchronized List<Entry> cutAfter(long sequence) throws IOException {
        List<Entry> cut = new ArrayList<>(bySequence.tailMap(sequence, false).values());
        for (Entry e : cut) remove(e);
        if (!cut.isEmpty()) forceDirectory();
        nextSequence = Math.max(nextSequence, sequence + 1);
        return cut;
    }

    /** The sequence number of the last batch spooled (0: none yet). */
    public synchronized long lastSequence() {
        return nextSequence - 1;
    }

    public synchronized long records() {
        return records;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int batches() {
        return bySequence.size();
    }

    /** When the oldest batch still spooled was spooled, or -1 when the spool is empty. */
    public synchronized long oldestMillis() {
        return bySequence.isEmpty() ? -1 : bySequence.firstEntry().getValue().atMillis();
    }

    public Path directory() {
        return dir;
    }

    private void forceDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UncheckedIOException e) {
            // some file systems cannot open a directory to force it; the rename is still atomic there
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
