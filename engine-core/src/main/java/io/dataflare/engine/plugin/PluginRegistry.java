package io.dataflare.engine.plugin;

import io.dataflare.api.ComponentKind;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginHost;
import io.dataflare.engine.plugin.sign.PluginTrust;
import io.dataflare.engine.version.EngineVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every plugin the engine can use, of every language: one manager composed of small parts, as PF4J's
 * plugin manager is. The {@link PluginScanner} lists the plugin folders (in order: later folders win for
 * the same id and version) and reads what each file declares through the {@link PluginHost} that handles
 * it; the {@link ChangeReconciler} brings the loaded plugins in line with that on every {@link #scan()}
 * (dependencies resolved by the {@link io.dataflare.engine.plugin.resolve.DependencySolver}; changed files
 * loaded again beside the old plugin, which is retired once the running pipelines using it let go; a file
 * whose new content fails keeps its old plugin serving); the {@link ComponentResolver} picks, for a
 * pipeline's {@code use:}, the highest version that satisfies the range, the engine version and its
 * dependencies. Changes are published as {@link PluginEvent}s; {@link #startWatching} rescans when the
 * folders change ({@link PluginWatcher}).
 */
public final class PluginRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    /** The note on a plugin without components: fine for a library, a mistake otherwise. */
    public static final String NO_COMPONENTS =
            "provides no components: a library for other plugins; if it should provide"
                    + " components, annotate the factory classes (implementing SourceFactory, ProcessorFactory...) with @Extension"
                    + " and compile with -proc:full";

    private final EngineCompatibility compatibility;
    private final PluginScanner scanner;
    private final ChangeReconciler reconciler;
    private final ComponentResolver resolver;
    private final List<LoadedPlugin> inProcess = new ArrayList<>();
    private final List<Consumer<PluginEvent>> listeners = new CopyOnWriteArrayList<>();
    private PluginWatcher watcher;

    private PluginRegistry(Builder b) {
        this.compatibility = new EngineCompatibility(b.engineVersion);
        this.scanner = new PluginScanner(b.dirs, b.hosts, b.engineVersion, b.trust);
        this.reconciler = new ChangeReconciler(scanner, compatibility);
        this.resolver = new ComponentResolver(scanner, compatibility);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The engine version plugins are checked against. */
    public String engineVersion() {
        return compatibility.engineVersion();
    }

    /** The plugin folders, in scan order. */
    public List<Path> directories() {
        return scanner.directories();
    }

    /** The hosts, one per language. */
    public List<PluginHost> hosts() {
        return scanner.hosts();
    }

    /** Subscribes to registry changes (called on the scanning thread; keep it short). */
    public void addListener(Consumer<PluginEvent> listener) {
        listeners.add(listener);
    }

    /** Unsubscribes. */
    public void removeListener(Consumer<PluginEvent> listener) {
        listeners.remove(listener);
    }

    /** Publishes an event to the listeners (also used by the hot-reload coordinator). */
    public void publish(PluginEvent event) {
        for (Consumer<PluginEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("plugin event listener failed on {}", event, e);
            }
        }
    }

    /**
     * Brings the registry in line with the plugin folders (missing folders are skipped), then publishes
     * what changed. Returns the entries.
     */
    public List<PluginEntry> scan() {
        List<PluginEvent> events = new ArrayList<>();
        List<PluginEntry> entries;
        synchronized (this) {
            reconciler.reconcile(events);
            entries = entries();
        }
        for (PluginEvent e : events) publish(e);
        return entries;
    }

    /** Watches the folders and rescans when they change (see {@link PluginWatcher}); stopped by {@link #close()}. */
    public synchronized void startWatching(Duration pollInterval, Duration quietPeriod) {
        if (watcher != null) return;
        watcher = PluginWatcher.start(scanner.directories(), pollInterval, quietPeriod, this::scan);
    }

    /** Whether {@link #startWatching} is on. */
    public synchronized boolean isWatching() {
        return watcher != null;
    }

    /** Registers a plugin built in process (embedding, tests); it resolves like a scanned one. */
    public synchronized void register(LoadedPlugin plugin) {
        String why = compatibility.problem(plugin.manifest());
        if (why != null) throw new IllegalArgumentException(plugin.label() + ": " + why);
        inProcess.add(plugin);
    }

    /**
     * Every scanned file with its state, then the retired plugins still used by running pipelines, then
     * the in-process plugins.
     */
    public synchronized List<PluginEntry> entries() {
        List<PluginEntry> out = reconciler.entries();
        for (LoadedPlugin p : inProcess)
            out.add(new PluginEntry(null, p.manifest().language(), PluginEntry.State.LOADED, p, null));
        return out;
    }

    /** The usable plugins. */
    public synchronized List<LoadedPlugin> plugins() {
        return ComponentResolver.usable(entries());
    }

    /**
     * Resolves a reference to a component of {@code kind}: the highest usable version satisfying the
     * range (usable: its engine range and its dependencies are satisfied), or, for a path, the plugin in
     * that file (relative to {@code baseDir}).
     *
     * @throws ResolutionException naming what was looked for and what exists, or the dependency chain
     *                             that keeps the best candidate from loading
     */
    public synchronized ResolvedComponent resolve(ComponentKind kind, PluginReference ref, Path baseDir)
            throws ResolutionException {
        return resolver.resolve(kind, ref, baseDir, entries());
    }

    /** Whether plugin files must be signed, and the trust store. */
    public PluginTrust trust() {
        return scanner.trust();
    }

    /** The host that handles {@code file}, or null. */
    public PluginHost hostFor(Path file) {
        return scanner.hostFor(file);
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }

    /** Stops watching, unloads every plugin and closes the hosts. */
    @Override
    public void close() {
        PluginWatcher w;
        synchronized (this) {
            w = watcher;
            watcher = null;
        }
        if (w != null) w.close();
        synchronized (this) {
            reconciler.close();
            resolver.close();
            for (LoadedPlugin p : inProcess) closeQuietly(p);
            for (PluginHost h : scanner.hosts()) closeQuietly(h);
            inProcess.clear();
        }
    }

    /** Builds a {@link PluginRegistry}. */
    public static final class Builder {
        private final List<PluginHost> hosts = new ArrayList<>();
        private final List<Path> dirs = new ArrayList<>();
        private String engineVersion = EngineVersion.current();
        private PluginTrust trust = PluginTrust.none();

        private Builder() {}

        /**
         * Whether plugin files must be signed by a key of the trust store: then a file that is not (unsigned,
         * signed by an unknown key, or not matching its signature) is refused before its host reads it, at
         * start, on hot reload (the version already loaded keeps serving) and when a pipeline names it by path.
         */
        public Builder trust(PluginTrust trust) {
            this.trust = trust;
            return this;
        }

        /**
         * Adds the hosts on the class path: those registered for {@link java.util.ServiceLoader}, or, when the
         * system property {@code dataflare.plugin.hosts} names host classes (comma-separated), those of them
         * present, without ServiceLoader's search of every JAR (the CLI names the hosts it ships).
         */
        public Builder discoverHosts() {
            for (PluginHost h : HostDiscovery.hosts(PluginRegistry.class.getClassLoader())) addHost(h);
            return this;
        }

        /** Adds a host (ignored if one of the same language is there). */
        public Builder addHost(PluginHost host) {
            for (PluginHost h : hosts) {
                if (h.language().equals(host.language())) return this;
            }
            hosts.add(host);
            return this;
        }

        /** Adds a plugin folder; later folders win for the same plugin id and version. */
        public Builder addDirectory(Path dir) {
            Path d = dir.toAbsolutePath().normalize();
            if (!dirs.contains(d)) dirs.add(d);
            return this;
        }

        /** Overrides the engine version (tests). */
        public Builder engineVersion(String version) {
            this.engineVersion = version;
            return this;
        }

        public PluginRegistry build() {
            return new PluginRegistry(this);
        }
    }
}
