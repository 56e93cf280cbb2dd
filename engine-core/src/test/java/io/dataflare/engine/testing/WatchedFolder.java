package io.dataflare.engine.testing;

import static org.awaitility.Awaitility.await;

import io.dataflare.engine.Engine;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.runtime.PipelineRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An engine watching a plugins folder (short poll), the registry's events it published, and the run a test started
 * on it (at most one {@link EndlessRun}, or a pipeline of its own): the fixture of the hot reload and barrier swap
 * tests of every plugin kind.
 */
public final class WatchedFolder implements AutoCloseable {
    private final Path dir;
    private final InProcessPlugins inProcess;
    private final List<PluginEvent> events = new CopyOnWriteArrayList<>();
    private final Engine engine;
    private EndlessRun run;
    private PipelineRun started;

    public WatchedFolder(Path dir) {
        this(dir, new InProcessPlugins(), b -> {});
    }

    /** As {@link #WatchedFolder(Path)}, with the engine builder configured further (a plugin trust policy...). */
    public WatchedFolder(Path dir, Consumer<Engine.Builder> configure) {
        this(dir, new InProcessPlugins(), configure);
    }

    /** As {@link #WatchedFolder(Path)}, with the test's own in-process plugins (its factories next to the stock ones). */
    public WatchedFolder(Path dir, InProcessPlugins inProcess) {
        this(dir, inProcess, b -> {});
    }

    private WatchedFolder(Path dir, InProcessPlugins inProcess, Consumer<Engine.Builder> configure) {
        this.dir = dir;
        this.inProcess = inProcess;
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

    /**
     * Scans the folder (files written since the engine started), then starts the pipeline {@code plan} makes (after
     * the scan, so it can use the plugins there); the run is closed with this.
     */
    public PipelineRun start(Function<Engine, PipelinePlan> plan) {
        engine.plugins().scan();
        started = engine.start(plan.apply(engine));
        return started;
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
        if (started != null) started.close();
        engine.close();
    }
}
