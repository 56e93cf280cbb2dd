package io.dataflare.engine.host;

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
 *
 * <p>Running pipelines hold a lease on the plugins they use ({@link #acquire()} / {@link #release()}).
 * When the registry drops a plugin (its file was removed or replaced) it {@link #retire() retires} it:
 * the plugin is closed as soon as the last lease is released, so pipelines still using it keep it
 * until they stop or switch to another version.
 */
public final class LoadedPlugin implements AutoCloseable {
    private final PluginManifest manifest;
    private final Path file;
    private volatile List<PluginFactory<?>> components;
    private volatile AutoCloseable release;
    private final AtomicBoolean closed = new AtomicBoolean();
    private int leases;
    private boolean retired;

    /**
     * A loaded plugin.
     *
     * @param file       the plugin file, or null for one registered in process
     * @param components its factories
     * @param release    what {@link #close()} runs
     */
    public LoadedPlugin(
            PluginManifest manifest, Path file, List<? extends PluginFactory<?>> components, AutoCloseable release) {
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

    /** Its factories (none once closed: a closed plugin must not pin its class loader). */
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

    /** Takes a lease: the plugin stays open until it is released. False when the plugin is already closed. */
    public synchronized boolean acquire() {
        if (closed.get()) return false;
        leases++;
        return true;
    }

    /** Releases a lease; the last release of a retired plugin closes it. */
    public void release() {
        boolean close;
        synchronized (this) {
            if (leases > 0) leases--;
            close = retired && leases == 0;
        }
        if (close) closeQuietly();
    }

    /** The registry no longer offers this plugin: close it now, or when its last lease is released. */
    public void retire() {
        boolean close;
        synchronized (this) {
            retired = true;
            close = leases == 0;
        }
        if (close) closeQuietly();
    }

    /** Whether the registry dropped it (it may still serve the pipelines holding a lease). */
    public synchronized boolean isRetired() {
        return retired;
    }

    /** How many leases are held (running pipelines using it). */
    public synchronized int leases() {
        return leases;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            System.getLogger(LoadedPlugin.class.getName())
                    .log(System.Logger.Level.WARNING, "closing " + label() + " failed", e);
        }
    }

    @Override
    public void close() throws Exception {
        if (!closed.compareAndSet(false, true)) return;
        AutoCloseable r = release;
        components = List.of();
        release = null;
        if (r != null) r.close();
    }

    @Override
    public String toString() {
        return label() + (file == null ? "" : " (" + file + ")");
    }
}
