package io.dataflare.engine.plugin;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One version of one plugin, loaded by a {@link PluginHost}: its manifest and the component factories
 * it provides. {@link #close()} releases what the host holds for it (class loader, compiled module,
 * script engine).
 */
public final class LoadedPlugin implements AutoCloseable {
    private final PluginManifest manifest;
    private final Path file;
    private final List<PluginFactory<?>> components;
    private final AutoCloseable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A loaded plugin.
     *
     * @param file       the plugin file, or null for one registered in process
     * @param components its factories
     * @param release    what {@link #close()} runs
     */
    public LoadedPlugin(PluginManifest manifest, Path file, List<? extends PluginFactory<?>> components, AutoCloseable release) {
        this.manifest = manifest;
        this.file = file;
        this.components = List.copyOf(components);
        this.release = release;
    }

    public PluginManifest manifest() {
        return manifest;
    }

    /** The plugin file, or null when registered in process. */
    public Path file() {
        return file;
    }

    public List<PluginFactory<?>> components() {
        return components;
    }

    /** The components of one kind. */
    public List<PluginFactory<?>> components(ComponentKind kind) {
        List<PluginFactory<?>> out = new ArrayList<>();
        for (PluginFactory<?> f : components) {
            if (f.kind() == kind) out.add(f);
        }
        return out;
    }

    /** {@code id@version}. */
    public String label() {
        return manifest.label();
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() throws Exception {
        if (closed.compareAndSet(false, true) && release != null) release.close();
    }

    @Override
    public String toString() {
        return label() + (file == null ? "" : " (" + file + ")");
    }
}
