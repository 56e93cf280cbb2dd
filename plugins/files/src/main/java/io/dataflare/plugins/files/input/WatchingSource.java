package io.dataflare.plugins.files.input;

import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A file source that never ends ({@code watch: true}): it lists its folder every interval and reads each
 * new matching file once the file is complete, that is once its size and modification time have not
 * changed between two listings. Stable files are read in arrival order (modification time, then path).
 * A file is read once: when it has been read to its end it is done, and growing later does not make it
 * be read again.
 *
 * <p>Batches carry the position {@code {file, line, done}}: the file being read and the lines of it consumed,
 * and the files finished before it; {@link #seek} skips the done files and re-reads the half-read one up to
 * its line. A done file that is deleted is forgotten, so the list does not grow beyond the folder's content.
 */
public final class WatchingSource implements Source {
    /** Position key: the files read to their end. */
    public static final String DONE = "done";

    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final WatchedFolder folder;
    private final RowReaderFactory readers;
    private final long intervalNanos;
    private final Set<String> done = new LinkedHashSet<>();
    private final Map<Path, Sighting> seen = new HashMap<>();
    private final Deque<Path> ready = new ArrayDeque<>();
    private long nextScan = System.nanoTime();
    private RowReader reader;
    private Origin current;
    private String resumeFile;
    private long resumeLine;

    /** The size and modification time a file had at the last listing. */
    private record Sighting(long size, long modified) {}

    /**
     * @param folder     what to list
     * @param readers    opens a decoder per file
     * @param intervalMs how often to list the folder, and how long a file must stay unchanged to be read
     */
    public WatchingSource(WatchedFolder folder, RowReaderFactory readers, long intervalMs) {
        this.folder = folder;
        this.readers = readers;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
    }

    @Override
    public void seek(Map<String, Object> position) throws IOException {
        if (!(position.get(DecodingSource.FILE) instanceof String file)
                || !(position.get(DecodingSource.LINE) instanceof Number line)
                || !(position.get(DONE) instanceof List<?> finished)) {
            throw new IllegalArgumentException("a watching position needs 'file', 'line' and 'done', got " + position);
        }
        closeReader();
        ready.clear();
        done.clear();
        for (Object f : finished) done.add(String.valueOf(f));
        resumeFile = done.contains(file) ? null : file;
        resumeLine = line.longValue();
    }

    @Override
    public RecordBatch poll(int maxRecords) throws IOException {
        RecordBatch.Builder out = RecordBatch.builder(Math.min(Math.max(maxRecords, 1), 4096));
        int rows = 0;
        Origin lastOrigin = null;
        long lastLine = 0;
        while (rows < maxRecords) {
            if (reader == null && !openNext()) break;
            ReadResult r = reader.read(out, true);
            if (r == ReadResult.ROW) {
                rows++;
                lastOrigin = current;
                lastLine = reader.linesConsumed();
            } else {
                done.add(current.id());
                closeReader();
            }
        }
        if (lastOrigin != null) {
            out.position(Map.of(
                    DecodingSource.FILE, lastOrigin.id(), DecodingSource.LINE, lastLine, DONE, List.copyOf(done)));
        } else if (reader == null) {
            waitForNextScan();
        }
        return out.build();
    }

    /** Opens the next stable file, listing the folder when it is time to; false when none is ready. */
    private boolean openNext() throws IOException {
        if (ready.isEmpty() && System.nanoTime() - nextScan >= 0) scan();
        while (!ready.isEmpty()) {
            Path p = ready.poll();
            Input input = Input.file(p);
            try {
                current = input.origin();
                reader = readers.open(input.open(), current);
            } catch (NoSuchFileException gone) {
                continue; // removed between the listing and now: nothing to read
            }
            if (current.id().equals(resumeFile)) {
                reader.skipTo(resumeLine);
                resumeFile = null;
            }
            return true;
        }
        return false;
    }

    private void scan() throws IOException {
        nextScan = System.nanoTime() + intervalNanos;
        List<Path> present = folder.list();
        Set<String> ids = new HashSet<>();
        List<Candidate> stable = new ArrayList<>();
        for (Path p : present) {
            String id = p.toString();
            ids.add(id);
            if (done.contains(id) || ready.contains(p)) continue;
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (NoSuchFileException gone) {
                continue;
            }
            Sighting now = new Sighting(a.size(), a.lastModifiedTime().toMillis());
            if (now.equals(seen.put(p, now))) stable.add(new Candidate(p, now.modified()));
        }
        // Forget files that went away: a done file re-created under the same name is a new file.
        done.retainAll(ids);
        if (resumeFile != null && !ids.contains(resumeFile)) resumeFile = null;
        seen.keySet().removeIf(p -> !ids.contains(p.toString()));
        stable.sort(Comparator.comparingLong(Candidate::modified)
                .thenComparing(c -> c.path().toString()));
        // The file a resumed run was half-way through comes first, as it did before the stop.
        for (Candidate c : stable) {
            if (c.path().toString().equals(resumeFile)) ready.addFirst(c.path());
            else ready.addLast(c.path());
        }
        for (Candidate c : stable) seen.remove(c.path());
    }

    private record Candidate(Path path, long modified) {}

    private void waitForNextScan() {
        long wait = Math.min(MAX_WAIT_NANOS, nextScan - System.nanoTime());
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeReader() throws IOException {
        RowReader r = reader;
        reader = null;
        if (r != null) r.close();
    }

    @Override
    public void close() throws IOException {
        closeReader();
    }
}
