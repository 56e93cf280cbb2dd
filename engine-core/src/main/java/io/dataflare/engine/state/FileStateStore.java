package io.dataflare.engine.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * State in a directory. Keys: one file per key ({@code <dir>/<namespace>/<key>.v}); a put writes the new value
 * to a temporary file, forces it to disk, atomically renames it over the old one and forces the directory:
 * after a crash at any point a key holds its old or its new value, and a leftover temporary file is ignored.
 * The file holds the key's version in a header that starts with
 * the byte 0xFF, which no UTF-8 text does, so a file of an older store (the bare value) still reads, as version
 * 1. Logs: a directory of segment files per log ({@code <dir>/<namespace>/<log>.log/}, see {@link SegmentLog}).
 *
 * <p>Transactions: a transaction of several writes is first written, resolved (new versions, sequence
 * numbers), to a redo file ({@code <dir>/.txn/redo}, see {@link RedoFile}) that is forced and renamed into
 * place: that rename is the commit point. Then each write is applied as above and the redo file deleted. A
 * crash before the rename leaves the store as it was; after it, the next writer (or the next open) finds the
 * redo file and applies it again, which is idempotent. A transaction of one write needs no redo file: the
 * rename of its value file, or the checksum of its one log frame, makes it atomic by itself.
 *
 * <p>Writers (puts, deletes, transactions, truncations) take turns through a {@link StoreMutex}: one at a time
 * per directory, across the stores of this JVM and across processes; readers of this JVM wait for a running
 * transaction to finish, so they never see half of one.
 */
public final class FileStateStore implements StateStore {
    private static final String SUFFIX = ".v";
    private static final String LOG_SUFFIX = ".log";
    private static final String LONG_NAME_PART = "+";
    /** Leaves room in a 255-byte file name for a suffix and a temporary file's {@code .tmp-<uuid>}. */
    private static final int MAX_NAME_PART = 180;

    private static final byte HEADER_MARK = (byte) 0xFF;
    private static final byte HEADER_FORMAT = 'V';
    private static final int HEADER = 10;

    private final Path dir;
    private final Path redo;
    private final StoreMutex mutex;
    private final Map<StateRef, SegmentLog> logs = recentLogs();

    /**
     * A store in {@code dir} (created if missing). A transaction a crashed writer had committed but not fully
     * applied is applied now.
     */
    public FileStateStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        this.redo = this.dir.resolve(".txn").resolve("redo");
        this.mutex = StoreMutex.of(this.dir);
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new StateStoreException("cannot create state directory " + this.dir + ": " + e.getMessage(), e);
        }
        write("open", () -> {
            try (DirectoryStream<Path> tmp = Files.newDirectoryStream(redo.getParent(), "redo.tmp-*")) {
                for (Path t : tmp) Files.deleteIfExists(t); // uncommitted: a writer died before the rename
            }
            return null;
        });
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    @Override
    public Optional<String> get(String namespace, String key) {
        return getVersioned(namespace, key).map(Versioned::value);
    }

    @Override
    public Optional<Versioned> getVersioned(String namespace, String key) {
        StateRef ref = new StateRef(namespace, key);
        return read("read " + file(ref), () -> value(file(ref)));
    }

    @Override
    public void put(String namespace, String key, String value) {
        StateRef ref = new StateRef(namespace, key);
        write("write " + file(ref), () -> {
            writeValue(ref, version(ref) + 1, value);
            return null;
        });
    }

    @Override
    public boolean delete(String namespace, String key) {
        StateRef ref = new StateRef(namespace, key);
        return write("delete " + file(ref), () -> DurableFiles.delete(file(ref)));
    }

    @Override
    public Map<String, String> list(String namespace) {
        Keys.checkNamespace(namespace);
        Path ns = dir.resolve(namespace);
        return read("list " + ns, () -> {
            Map<String, String> out = new TreeMap<>();
            if (!Files.isDirectory(ns)) return out;
            listValues(ns, "", out);
            return out;
        });
    }

    @Override
    public StateTransaction transaction() {
        return new StateTransaction(this::commit);
    }

    private StateCommit commit(StateTransaction.Plan plan) {
        return write("commit a transaction", () -> {
            Map<StateRef, Long> versions = new HashMap<>();
            for (StateRef ref : plan.versions().keySet()) versions.put(ref, version(ref));
            for (StateRef ref : plan.writes().keySet()) versions.put(ref, version(ref));
            Map<StateRef, Long> ends = new HashMap<>();
            for (StateRef ref : plan.logEnds().keySet()) ends.put(ref, log(ref).last());
            for (StateRef ref : plan.appends().keySet()) ends.put(ref, log(ref).last());
            plan.check(describe(), versions::get, ends::get);

            List<RedoFile.Write> writes = new ArrayList<>();
            Map<StateRef, Long> newVersions = new HashMap<>();
            plan.writes().forEach((ref, value) -> {
                long current = versions.get(ref);
                if (value.isPresent()) writes.add(new RedoFile.Put(ref, current + 1, value.get()));
                else if (current > 0) writes.add(new RedoFile.Delete(ref));
                newVersions.put(ref, value.isPresent() ? current + 1 : 0);
            });
            Map<StateRef, Long> newEnds = new HashMap<>();
            plan.appends().forEach((ref, records) -> {
                writes.add(new RedoFile.Append(ref, ends.get(ref) + 1, List.copyOf(records)));
                newEnds.put(ref, ends.get(ref) + records.size());
            });
            int singleWrites = writes.stream()
                    .mapToInt(w -> w instanceof RedoFile.Append a ? a.records().size() : 1)
                    .sum();
            if (singleWrites == 1) {
                apply(writes, false);
            } else if (singleWrites > 1) {
                RedoFile.commit(redo, writes);
                apply(writes, true);
                DurableFiles.delete(redo);
            }
            return new StateCommit(newVersions, newEnds);
        });
    }

    /** Applies resolved writes; each is idempotent, so a redo file applies again after a crash. */
    private void apply(List<RedoFile.Write> writes, boolean faultInjection) throws IOException {
        for (int i = 0; i < writes.size(); i++) {
            switch (writes.get(i)) {
                case RedoFile.Put p -> writeValue(p.ref(), p.version(), p.value());
                case RedoFile.Delete d -> DurableFiles.delete(file(d.ref()));
                case RedoFile.Append a -> log(a.log()).append(a.first(), a.records());
            }
            if (i == 0 && faultInjection) FaultInjection.afterFirstApply();
        }
    }

    /** Before any write: finishes the transaction of a writer that died after committing it. */
    private void applyPending() throws IOException {
        Optional<List<RedoFile.Write>> pending = RedoFile.pending(redo);
        if (pending.isEmpty()) return;
        apply(pending.get(), false);
        DurableFiles.delete(redo);
    }

    @Override
    public List<LogRecord> read(String namespace, String log, long from, int max) {
        StateRef ref = new StateRef(namespace, log);
        return read("read log " + ref, () -> log(ref).read(from, max));
    }

    @Override
    public long lastSequence(String namespace, String log) {
        StateRef ref = new StateRef(namespace, log);
        return read("read log " + ref, () -> log(ref).last());
    }

    @Override
    public void truncateBefore(String namespace, String log, long sequence) {
        StateRef ref = new StateRef(namespace, log);
        write("truncate log " + ref, () -> {
            SegmentLog l = log(ref);
            long last = l.last();
            Truncation.check(ref, sequence, last);
            l.truncateBefore(sequence, last);
            return null;
        });
    }

    @Override
    public SortedSet<String> logs(String namespace) {
        Keys.checkNamespace(namespace);
        Path ns = dir.resolve(namespace);
        return read("list the logs of " + ns, () -> {
            SortedSet<String> out = new TreeSet<>();
            if (!Files.isDirectory(ns)) return out;
            listLogs(ns, "", out);
            return out;
        });
    }

    /** The subdirectories named like namespaces that hold values or logs. */
    @Override
    public SortedSet<String> namespaces() {
        SortedSet<String> candidates = new TreeSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (name.matches("[a-z0-9][a-z0-9_.-]{0,63}")) candidates.add(name);
            }
        } catch (IOException e) {
            throw new StateStoreException("cannot list the namespaces of " + dir + ": " + e.getMessage(), e);
        }
        SortedSet<String> out = new TreeSet<>();
        for (String name : candidates) {
            // a value file or a log directory is enough: the values need not be read
            try (DirectoryStream<Path> held = Files.newDirectoryStream(
                    dir.resolve(name), "*{" + SUFFIX + "," + LOG_SUFFIX + "," + LONG_NAME_PART + "}")) {
                if (held.iterator().hasNext()) out.add(name);
            } catch (IOException e) {
                throw new StateStoreException("cannot list " + dir.resolve(name) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** An OS lock on {@code <dir>/locks/<name>.lock}. */
    @Override
    public StateLock lock(String name, String owner) {
        Keys.check("locks", name);
        return FileLocks.acquire(path(dir.resolve("locks"), name, ".lock"), name, owner, describe());
    }

    @Override
    public String describe() {
        return "file:" + dir;
    }

    private <T> T read(String what, StoreMutex.Work<T> work) {
        try {
            return mutex.shared(work);
        } catch (IOException e) {
            throw new StateStoreException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private <T> T write(String what, StoreMutex.Work<T> work) {
        try {
            return mutex.exclusive(() -> {
                applyPending();
                return work.run();
            });
        } catch (IOException e) {
            throw new StateStoreException("cannot " + what + " in " + describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The logs used last, each with its cached tail scan; bounded, since a workflow engine may keep one log per
     * execution. A log dropped from it is scanned again when it is next used.
     */
    private static Map<StateRef, SegmentLog> recentLogs() {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<StateRef, SegmentLog> eldest) {
                return size() > 1024;
            }
        });
    }

    private SegmentLog log(StateRef ref) {
        return logs.computeIfAbsent(
                ref, r -> new SegmentLog(path(dir.resolve(r.namespace()), r.name(), LOG_SUFFIX), r));
    }

    private long version(StateRef ref) throws IOException {
        return value(file(ref)).map(Versioned::version).orElse(0L);
    }

    private void writeValue(StateRef ref, long version, String value) throws IOException {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(HEADER + text.length);
        bytes.put(HEADER_MARK).put(HEADER_FORMAT).putLong(version).put(text);
        DurableFiles.replace(
                file(ref), bytes.array(), (ch, b) -> FaultInjection.beforeStateWrite(ref.namespace(), ch, b));
    }

    private static Optional<Versioned> value(Path f) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (b.length == 0 || b[0] != HEADER_MARK) // written before keys had versions: the bare value
        return Optional.of(new Versioned(new String(b, StandardCharsets.UTF_8), 1));
        if (b.length < HEADER || b[1] != HEADER_FORMAT)
            throw new StateStoreException(
                    "the state file " + f + " has an unknown format (written by a newer version?)");
        return Optional.of(new Versioned(
                new String(b, HEADER, b.length - HEADER, StandardCharsets.UTF_8),
                ByteBuffer.wrap(b, 2, 8).getLong()));
    }

    private Path file(StateRef ref) {
        return path(dir.resolve(ref.namespace()), ref.name(), SUFFIX);
    }

    /**
     * Where a key's file is: its encoded name in {@code parent}, or, when that is longer than a file name may be
     * (a key of 200 characters may encode to 2,400), its encoding cut into directories named {@code <part>+}
     * with the file named by the last part. '+' never appears in an encoding, so no key's file collides.
     */
    static Path path(Path parent, String key, String suffix) {
        String name = encode(key);
        Path p = parent;
        int at = 0;
        for (; name.length() - at > MAX_NAME_PART; at += MAX_NAME_PART)
            p = p.resolve(name.substring(at, at + MAX_NAME_PART) + LONG_NAME_PART);
        return p.resolve(name.substring(at) + suffix);
    }

    /** The values under {@code d}, whose long-name directories carry the start of their keys' encodings. */
    private void listValues(Path d, String prefix, Map<String, String> out) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(d)) {
            for (Path f : entries) {
                String name = f.getFileName().toString();
                if (name.endsWith(LONG_NAME_PART) && Files.isDirectory(f))
                    listValues(f, prefix + name.substring(0, name.length() - LONG_NAME_PART.length()), out);
                else if (name.endsWith(SUFFIX) && Files.isRegularFile(f)) {
                    String key = decode(prefix + name.substring(0, name.length() - SUFFIX.length()));
                    value(f).ifPresent(v -> out.put(key, v.value()));
                }
            }
        }
    }

    private void listLogs(Path d, String prefix, SortedSet<String> out) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(d, Files::isDirectory)) {
            for (Path f : entries) {
                String name = f.getFileName().toString();
                if (name.endsWith(LONG_NAME_PART))
                    listLogs(f, prefix + name.substring(0, name.length() - LONG_NAME_PART.length()), out);
                else if (name.endsWith(LOG_SUFFIX))
                    out.add(decode(prefix + name.substring(0, name.length() - LOG_SUFFIX.length())));
            }
        }
    }

    /** Keys become safe file names: letters, digits, '-' and '_' as is, anything else as %XX (UTF-8). */
    static String encode(String key) {
        StringBuilder sb = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
                sb.append(c);
            else sb.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return sb.toString();
    }

    static String decode(String name) {
        byte[] out = new byte[name.length()];
        int n = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%' && i + 2 < name.length()) {
                out[n++] = (byte) HexFormat.fromHexDigits(name, i + 1, i + 3);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
