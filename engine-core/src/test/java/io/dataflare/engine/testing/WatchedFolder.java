package io.dataflare.engine.testing;

import static org.awaitility.Awaitility.await;

import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.PluginEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An engine watching a plugins folder (short poll), the registry's events it published, and at most one
 * {@link EndlessRun}: the fixture of the hot reload tests of every plugin kind.
 */
public final class WatchedFolder implements AutoCloseable {
    private final Path dir;
    private final InProcessPlugins inProcess = new InProcessPlugins();
    private final List<PluginEvent> events = new CopyOnWriteArrayList<>();
    private final Engine engine;
    private EndlessRun run;

    public WatchedFolder(Path dir) {
        this(dir, b -> {});
    }

    /** As {@link #WatchedFolder(Path)}, with the engine builder configured further (a plugin trust policy...). */
    public WatchedFolder(Path dir, java.util.function.Consumer<Engine.Builder> configure) {
        this.dir = dir;
        this.engine = TestEngines.withFolder(dir, inProcess, true, configure);
        engine.plugins().addListener(events::add);
    }

    public Engine engine() {
        return engine;
    }

    /** Every event the registry published so far. */
    public List<PluginEvent> events() {
        return events;
    }

    /** Waits until the registry has published an event of {@code kind}. */
    public void awaitEvent(PluginEvent.Kind kind) {
        await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(e -> e.kind() == kind));
    }

    /** Scans the folder (files written since the engine started) and starts an {@link EndlessRun} through {@code use}. */
    public EndlessRun start(String use, String processorWith) {
        engine.plugins().scan();
        run = EndlessRun.start(engine, inProcess, use, processorWith);
        return run;
    }

    /** Writes {@code name} in one step (a temporary file moved over it), as an editor or a deployment would. */
    public void write(String name, byte[] content) throws IOException {
        Path tmp = dir.resolve(".tmp");
        Files.write(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public void write(String name, String text) throws IOException {
        write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        if (run != null) run.close();
        engine.close();
    }
}
