package io.dataflare.engine.plugin;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginWatcherTest {
    @TempDir
    Path dir;

    /**
     * The registry scanned the folder before the watcher started; a file deleted before the watcher's first look
     * (the folder now empty) must still lead to a rescan, or the registry keeps offering a plugin that is gone.
     */
    @Test
    void aFileDeletedRightAfterTheStartLeadsToARescan() throws Exception {
        Path jar = Files.writeString(dir.resolve("plugin.jar"), "x");
        AtomicInteger rescans = new AtomicInteger();
        try (PluginWatcher w = PluginWatcher.start(
                List.of(dir), Duration.ofMillis(50), Duration.ofMillis(200), rescans::incrementAndGet)) {
            Files.delete(jar);
            await().atMost(Duration.ofSeconds(10)).until(() -> rescans.get() > 0);
        }
    }

    @Test
    void aFileAddedLaterLeadsToARescanOnceTheFolderIsStill() throws Exception {
        AtomicInteger rescans = new AtomicInteger();
        try (PluginWatcher w = PluginWatcher.start(
                List.of(dir), Duration.ofMillis(50), Duration.ofMillis(200), rescans::incrementAndGet)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> rescans.get() == 1); // the one rescan after start
            Files.writeString(dir.resolve("plugin.jar"), "x");
            await().atMost(Duration.ofSeconds(10)).until(() -> rescans.get() == 2);
        }
    }
}
