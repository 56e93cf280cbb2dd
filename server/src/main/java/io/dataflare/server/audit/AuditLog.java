package io.dataflare.server.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only audit log: JSON lines ({@link AuditLines}) chained by hash ({@link AuditChain}).
 *
 * <p>Durability: each line is written to the file with one {@code write} before {@link #append} returns (a
 * killed process loses nothing appended); the file is forced to disk (fsync) within {@link #FSYNC_INTERVAL_MS}
 * ms of a write, at every rotation and at close, so a power loss may lose at most the last second. Appends are
 * serialised: concurrent requests' lines never interleave and the chain stays linear.
 *
 * <p>Rotation: when the file would grow beyond its size limit, {@code audit.log} is renamed
 * {@code audit.log.N} (N one more than the highest present: {@code .1} is the oldest) and a new
 * {@code audit.log} starts with an {@code audit.rotated} line naming that file and carrying the hash of its
 * last line: the chain runs on across files.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    /** At most this long between a write and its fsync. */
    public static final long FSYNC_INTERVAL_MS = 1000;
    /** The default size limit of one file: 64 MiB. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

    private final Path file;
    private final long maxBytes;
    private final ScheduledExecutorService syncer;
    private FileChannel channel;
    private String lastHash;
    private boolean dirty;
    private boolean closed;

    private AuditLog(Path file, long maxBytes) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        Files.createDirectories(this.file.getParent());
        this.lastHash = recover();
        this.channel = FileChannel.open(
                this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "df-audit-fsync");
            t.setDaemon(true);
            return t;
        });
        syncer.scheduleWithFixedDelay(this::sync, FSYNC_INTERVAL_MS, FSYNC_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Opens (or creates) the log {@code file}, rotating beyond {@code maxBytes}; the chain continues where it ended. */
    public static AuditLog open(Path file, long maxBytes) throws IOException {
        return new AuditLog(file, maxBytes);
    }

    /** The current file. */
    public Path file() {
        return file;
    }

    /**
     * Appends {@code e}. A write that fails is logged with the event (the caller's request has been answered
     * already: it is not undone).
     */
    public synchronized void append(AuditEvent e) {
        if (closed) {
            LOG.warn("audit log closed; not recorded: {}", e);
            return;
        }
        try {
            String line = AuditLines.line(e, lastHash);
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            if (channel.size() > 0 && channel.size() + bytes.length > maxBytes) {
                rotate();
                line = AuditLines.line(e, lastHash);
                bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            }
            write(bytes);
            lastHash = AuditChain.hash(line);
        } catch (IOException | RuntimeException ex) {
            LOG.error("could not append to the audit log {}: {}; not recorded: {}", file, ex.toString(), e);
        }
    }

    /** The files of the log, oldest first: {@code audit.log.1, audit.log.2, ..., audit.log}. */
    public synchronized List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        for (int n : rotatedNumbers()) out.add(rotated(n));
        if (Files.exists(file)) out.add(file);
        return out;
    }

    /**
     * The most recent {@code limit} events matching {@code filter}, oldest first. Reads every file (under the
     * log's lock, so that no rotation moves a file while it is read).
     */
    public synchronized List<AuditEvent> query(Predicate<AuditEvent> filter, int limit) throws IOException {
        java.util.ArrayDeque<AuditEvent> last = new java.util.ArrayDeque<>();
        for (Path f : files()) {
            try (Stream<String> lines = Files.lines(f, StandardCharsets.UTF_8)) {
                for (String l : (Iterable<String>) lines::iterator) {
                    AuditEvent e;
                    try {
                        e = AuditLines.event(AuditLines.JSON.readTree(l));
                    } catch (IOException ex) {
                        e = null;
                    }
                    if (e == null || !filter.test(e)) continue;
                    last.addLast(e);
                    if (last.size() > limit) last.removeFirst();
                }
            }
        }
        return new ArrayList<>(last);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        syncer.shutdownNow();
        synchronized (this) {
            try {
                channel.force(false);
                channel.close();
            } catch (IOException e) {
                LOG.warn("closing the audit log {}: {}", file, e.toString());
            }
        }
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) channel.write(b);
        dirty = true;
    }

    private synchronized void sync() {
        if (!dirty || closed) return;
        try {
            channel.force(false);
            dirty = false;
        } catch (IOException e) {
            LOG.warn("fsync of the audit log {} failed: {}", file, e.toString());
        }
    }

    private void rotate() throws IOException {
        channel.force(false);
        channel.close();
        List<Integer> numbers = rotatedNumbers();
        int next = numbers.isEmpty() ? 1 : numbers.get(numbers.size() - 1) + 1;
        Path to = rotated(next);
        Files.move(file, to, StandardCopyOption.ATOMIC_MOVE);
        channel = FileChannel.open(
                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        String line = AuditLines.line(
                new AuditEvent(
                        Instant.now(),
                        AuditEvent.SYSTEM,
                        "audit.rotated",
                        to.getFileName().toString(),
                        "ok",
                        null,
                        null,
                        "continues " + to.getFileName()),
                lastHash);
        write((line + "\n").getBytes(StandardCharsets.UTF_8));
        lastHash = AuditChain.hash(line);
        LOG.info("audit log rotated: {} -> {}", file.getFileName(), to.getFileName());
    }

    private Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private List<Integer> rotatedNumbers() throws IOException {
        Pattern p = Pattern.compile(Pattern.quote(file.getFileName().toString()) + "\\.(\\d+)");
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(file.getParent())) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Matcher m = p.matcher(f.getFileName().toString());
                if (m.matches()) out.add(Integer.parseInt(m.group(1)));
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * The hash of the last complete line: of the current file, else of the newest rotated one, else
     * {@link AuditChain#GENESIS}. A partial last line (the process died in the middle of a write) is cut off
     * and reported.
     */
    private String recover() throws IOException {
        if (Files.exists(file) && Files.size(file) > 0) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                String last = lastLine(raf);
                if (last != null) return AuditChain.hash(last);
            }
        }
        List<Integer> numbers = rotatedNumbers();
        for (int i = numbers.size() - 1; i >= 0; i--) {
            try (RandomAccessFile raf =
                    new RandomAccessFile(rotated(numbers.get(i)).toFile(), "r")) {
                String last = lastLine(raf);
                if (last != null) return AuditChain.hash(last);
            }
        }
        return AuditChain.GENESIS;
    }

    /** The last complete line of the file, cutting off a partial one after it (only when the file is writable). */
    private String lastLine(RandomAccessFile raf) throws IOException {
        long len = raf.length();
        long end = len; // the end of the complete lines
        if (len > 0) {
            raf.seek(len - 1);
            if (raf.read() != '\n') {
                long nl = previousNewline(raf, len - 1);
                end = nl + 1;
                LOG.warn(
                        "audit log {}: its last line is incomplete ({} bytes, a write cut short): removed",
                        file,
                        len - end);
                raf.setLength(end);
            }
        }
        if (end == 0) return null;
        long start = previousNewline(raf, end - 1) + 1;
        byte[] b = new byte[(int) (end - 1 - start)];
        raf.seek(start);
        raf.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The position of the last newline before {@code before}, or -1. */
    private static long previousNewline(RandomAccessFile raf, long before) throws IOException {
        long pos = before;
        byte[] buf = new byte[8192];
        while (pos > 0) {
            int n = (int) Math.min(buf.length, pos);
            raf.seek(pos - n);
            raf.readFully(buf, 0, n);
            for (int i = n - 1; i >= 0; i--) {
                if (buf[i] == '\n') return pos - n + i;
            }
            pos -= n;
        }
        return -1;
    }
}
