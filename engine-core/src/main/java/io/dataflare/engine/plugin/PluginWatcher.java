package io.dataflare.engine.plugin;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches plugin folders and calls back when their content changed and then stayed still for a quiet
 * period, so a JAR being copied in is not read half-written. The folders' listing (name, size,
 * modification time) is the source of truth: a {@link WatchService} only wakes the watcher early; where
 * it is unavailable, or for folders that do not exist yet, the listing is polled every
 * {@code pollInterval}.
 */
final class PluginWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginWatcher.class);

    private final List<Path> dirs;
    private final long pollNanos;
    private final long quietNanos;
    private final Runnable onChange;
    private final WatchService watch;
    private final Thread thread;
    private volatile boolean running = true;

    private PluginWatcher(List<Path> dirs, Duration pollInterval, Duration quietPeriod, Runnable onChange) {
        this.dirs = List.copyOf(dirs);
        this.pollNanos = pollInterval.toNanos();
        this.quietNanos = quietPeriod.toNanos();
        this.onChange = onChange;
        this.watch = watchService(this.dirs);
        this.thread = Thread.ofPlatform().name("df-plugin-watcher").daemon(true).unstarted(this::loop);
    }

    /**
     * Starts watching {@code dirs}: {@code onChange} runs on the watcher's thread after a change once the
     * folders have been still for {@code quietPeriod}.
     */
    static PluginWatcher start(List<Path> dirs, Duration pollInterval, Duration quietPeriod, Runnable onChange) {
        PluginWatcher w = new PluginWatcher(dirs, pollInterval, quietPeriod, onChange);
        w.thread.start();
        return w;
    }

    private static WatchService watchService(List<Path> dirs) {
        try {
            WatchService ws = FileSystems.getDefault().newWatchService();
            for (Path d : dirs) {
                if (Files.isDirectory(d)) {
                    d.register(
                            ws,
                            StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY,
                            StandardWatchEventKinds.ENTRY_DELETE);
                }
            }
            return ws;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("no file watch service ({}); polling the plugin folders", e.toString());
            return null;
        }
    }

    private void loop() {
        // Start from "never applied" (not from an empty listing, which a folder whose last file was deleted
        // before this thread's first look would equal, so the deletion went unnoticed): one extra rescan once the
        // folders are still picks up whatever changed since the registry's first scan (cheap: nothing unchanged
        // is read again).
        Map<String, String> applied = null;
        Map<String, String> pending = listing();
        long pendingSince = System.nanoTime();
        while (running) {
            try {
                waitForEvent(pending.equals(applied) ? pollNanos : Math.min(pollNanos, quietNanos / 2 + 1));
                Map<String, String> now = listing();
                if (now.equals(applied)) {
                    pending = applied;
                    continue;
                }
                if (!now.equals(pending)) {
                    pending = now;
                    pendingSince = System.nanoTime();
                    continue;
                }
                if (System.nanoTime() - pendingSince >= quietNanos) {
                    applied = now;
                    onChange.run();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("plugin folder rescan failed", e);
            }
        }
    }

    private void waitForEvent(long nanos) throws InterruptedException {
        if (watch == null) {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return;
        }
        WatchKey key = watch.poll(nanos, TimeUnit.NANOSECONDS);
        while (key != null) {
            key.pollEvents();
            key.reset();
            key = watch.poll();
        }
    }

    /** Every file in the folders with its size and modification time. */
    private Map<String, String> listing() {
        Map<String, String> out = new TreeMap<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                s.forEach(p -> {
                    try {
                        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                        out.put(
                                p.toString(),
                                a.size() + "@" + a.lastModifiedTime().toInstant());
                    } catch (IOException e) {
                        out.put(p.toString(), "?");
                    }
                });
            } catch (IOException e) {
                out.put(d.toString(), "unlistable");
            }
        }
        return out;
    }

    /** Stops the watcher and waits for its thread. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            if (watch != null) watch.close();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (IOException e) {
            LOG.debug("closing the watch service failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
