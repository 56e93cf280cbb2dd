package io.dataflare.server.task;

import io.dataflare.api.data.Record;
import io.dataflare.server.io.PushInput;
import io.dataflare.server.io.PushSpool;
import io.dataflare.server.io.RowFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * A file fed into a task's push source ({@code POST .../attach}): read in chunks on a virtual thread and
 * queued like pushed records, waiting for room (backpressure) as long as it takes. It counts the records it
 * queued, so that after a restart it goes on after them instead of queuing them again.
 */
public final class Attachment {
    private static final int CHUNK = 500;
    private static final long OFFER_WAIT_MS = 200;

    private final int id;
    private final Path path;
    private final RowFormat format;
    private final String source;
    private final AtomicLong read;
    private volatile String state;
    private volatile String error;
    private volatile boolean cancelled;
    private Thread thread;

    Attachment(int id, Path path, RowFormat format, String source, long read, String state, String error) {
        this.id = id;
        this.path = path;
        this.format = format;
        this.source = source;
        this.read = new AtomicLong(read);
        this.state = state;
        this.error = error;
    }

    /** A stored attachment; {@code spooled}: how far its file went into the spool (ahead of the stored count after a crash). */
    static Attachment of(StoredTask.AttachmentRecord r, long spooled) {
        return new Attachment(
                r.id(),
                Path.of(r.path()),
                RowFormat.named(r.format()),
                r.source(),
                Math.max(r.read(), spooled),
                r.state(),
                r.error());
    }

    public int id() {
        return id;
    }

    public Path path() {
        return path;
    }

    public RowFormat format() {
        return format;
    }

    /** The push source it feeds. */
    public String source() {
        return source;
    }

    /** Records queued from the file so far. */
    public long read() {
        return read.get();
    }

    /** {@code running}, {@code done} or {@code failed}. */
    public String state() {
        return state;
    }

    /** Why it failed, or null. */
    public String error() {
        return error;
    }

    boolean running() {
        return state.equals("running");
    }

    /** Starts (or goes on) feeding {@code input}; {@code finished} hears when it is done or failed. */
    synchronized void start(
            PushInput input, LongFunction<PushSpool.Alongside> progress, Consumer<Attachment> finished) {
        if (thread != null && thread.isAlive()) return;
        cancelled = false;
        thread = Thread.ofVirtual().name("df-attach-" + id).start(() -> {
            if (feed(input, progress)) finished.accept(this);
        });
    }

    /** Stops feeding (the server stops or the task is deleted); it stays {@code running}, to go on later. */
    void cancel() throws InterruptedException {
        Thread t;
        synchronized (this) {
            cancelled = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            t.join(5_000);
        }
    }

    /** Returns whether it ended (done or failed) rather than being cancelled. */
    private boolean feed(PushInput input, LongFunction<PushSpool.Alongside> progress) {
        try (InputStream in = Files.newInputStream(path);
                RowFormat.RowReader rows = format.reader(in, path.toString())) {
            for (long skip = read.get(); skip > 0; ) {
                List<Map<String, Object>> chunk = rows.next((int) Math.min(skip, CHUNK));
                if (chunk.isEmpty()) break;
                skip -= chunk.size();
            }
            int chunkSize = Math.min(CHUNK, input.queue().capacity());
            for (List<Map<String, Object>> chunk; !(chunk = rows.next(chunkSize)).isEmpty(); ) {
                List<Record> records;
                try {
                    records = input.records(chunk);
                } catch (IllegalArgumentException e) {
                    throw new RowFormat.BadRowException(
                            path + ": after " + read.get() + " records: " + e.getMessage(), e);
                }
                // the count after this chunk is kept with it: a crash cannot leave one without the other
                while (!input.queue().offer(records, OFFER_WAIT_MS, progress.apply(read.get() + records.size()))) {
                    if (cancelled || input.queue().isClosed()) return false;
                }
                read.addAndGet(records.size());
            }
            state = "done";
        } catch (InterruptedException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            if (cancelled) return false;
            state = "failed";
            error = e.getMessage();
        }
        return true;
    }

    StoredTask.AttachmentRecord record() {
        return new StoredTask.AttachmentRecord(
                id,
                path.toString(),
                format.name().toLowerCase(java.util.Locale.ROOT),
                source,
                read.get(),
                state,
                error);
    }
}
