package io.dataflare.engine.plugin;

import com.github.zafarkhaja.semver.Version;
import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;
import io.dataflare.engine.config.Suggestions;
import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginHost;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.plugin.resolve.DependencySolver;
import io.dataflare.engine.plugin.resolve.UnresolvedDependencyException;
import io.dataflare.engine.version.EngineVersion;
import io.dataflare.engine.version.VersionRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every plugin the engine can use, of every language. {@link #scan()} reads the plugin folders (in
 * order: later folders win for the same id and version) and brings the registry in line with them:
 * each file is described by the {@link PluginHost} that handles it, its {@code .sha256} sidecar checked,
 * its dependencies resolved ({@link DependencySolver}) and, when all that holds, it is loaded with them.
 * Files that changed are loaded again beside the old plugin, which is retired (closed once the running
 * pipelines using it let go); a file whose new content fails keeps its old plugin serving. {@link #resolve}
 * picks, for a pipeline's {@code use:}, the highest version that satisfies the range, the engine version
 * and its dependencies. Changes are published as {@link PluginEvent}s; {@link #startWatching} rescans
 * when the folders change.
 */
public final class PluginRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    /** The note on a plugin without components: fine for a library, a mistake otherwise. */
    public static final String NO_COMPONENTS = "provides no components: a library for other plugins; if it should provide"
            + " components, annotate the factory classes (implementing SourceFactory, ProcessorFactory...) with @Extension"
            + " and compile with -proc:full";

    private final List<PluginHost> hosts;
    private final List<Path> dirs;
    private final String engineVersion;
    private final Map<Path, PluginFile> files = new LinkedHashMap<>();
    private final List<PluginFile> retired = new ArrayList<>();
    private final List<LoadedPlugin> inProcess = new ArrayList<>();
    private final Map<Path, LoadedPlugin> byPath = new HashMap<>();
    private final List<Consumer<PluginEvent>> listeners = new CopyOnWriteArrayList<>();
    private PluginWatcher watcher;

    private PluginRegistry(Builder b) {
        this.hosts = List.copyOf(b.hosts);
        this.dirs = List.copyOf(b.dirs);
        this.engineVersion = b.engineVersion;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The engine version plugins are checked against. */
    public String engineVersion() {
        return engineVersion;
    }

    /** The plugin folders, in scan order. */
    public List<Path> directories() {
        return dirs;
    }

    /** The hosts, one per language. */
    public List<PluginHost> hosts() {
        return hosts;
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
            reconcile(events);
            entries = entries();
        }
        for (PluginEvent e : events) publish(e);
        return entries;
    }

    /** Watches the folders and rescans when they change (see {@link PluginWatcher}); stopped by {@link #close()}. */
    public synchronized void startWatching(Duration pollInterval, Duration quietPeriod) {
        if (watcher != null) return;
        watcher = PluginWatcher.start(dirs, pollInterval, quietPeriod, this::scan);
    }

    /** Whether {@link #startWatching} is on. */
    public synchronized boolean isWatching() {
        return watcher != null;
    }

    // ---- reconciliation -------------------------------------------------------------------------------

    private void reconcile(List<PluginEvent> events) {
        retired.removeIf(r -> r.loaded.isClosed());
        List<PluginFile> present = listFiles();
        // files that disappeared: their plugin stays alive for the pipelines still using it
        for (PluginFile gone : new ArrayList<>(files.values())) {
            if (present.stream().noneMatch(p -> p.file.equals(gone.file))) {
                files.remove(gone.file);
                if (gone.loaded != null) {
                    events.add(PluginEvent.file(PluginEvent.Kind.REMOVED, gone.loaded.label(), gone.file,
                            "pipelines still using it keep it until they stop"));
                    LOG.info("plugin {} ({}) removed", gone.loaded.label(), gone.file);
                    retire(gone.loaded, gone.file);
                }
            }
        }
        for (PluginFile pf : present) files.putIfAbsent(pf.file, pf);

        List<PluginFile> current = present.stream().map(p -> files.get(p.file)).toList();
        Map<String, PluginFile> winners = new HashMap<>();
        for (PluginFile pf : current) {
            if (pf.declared != null && pf.failure == null) winners.put(pf.declared.label(), pf);
        }
        Map<String, List<PluginManifest>> index = new HashMap<>();
        for (PluginFile pf : winners.values()) index.computeIfAbsent(pf.declared.getPluginId(), k -> new ArrayList<>()).add(pf.declared);
        for (List<PluginManifest> l : index.values()) l.sort(Comparator.comparing((PluginManifest m) -> version(m)).reversed());
        Map<String, PluginFile> byLabel = new HashMap<>(winners);

        for (PluginFile pf : current) {
            PluginEntry before = pf.entry;
            pf.entry = update(pf, winners, index, byLabel, events);
            if (before == null || before.state() != pf.entry.state() || !java.util.Objects.equals(before.reason(), pf.entry.reason())) {
                noteChange(pf, events);
            }
        }
    }

    private PluginEntry update(PluginFile pf, Map<String, PluginFile> winners, Map<String, List<PluginManifest>> index,
                               Map<String, PluginFile> byLabel, List<PluginEvent> events) {
        if (pf.failure != null) return keepOrFail(pf, PluginEntry.State.FAILED, pf.failure);
        PluginFile winner = winners.get(pf.declared.label());
        if (winner != pf) {
            dropLoaded(pf);
            return new PluginEntry(pf.file, pf.host.language(), PluginEntry.State.SHADOWED, null, "shadowed by " + winner.file,
                    pf.declared, List.of());
        }
        String why = incompatibility(pf.declared);
        if (why != null) return keepOrFail(pf, PluginEntry.State.INCOMPATIBLE, why);
        DependencySolver.Solution solution;
        try {
            solution = DependencySolver.solve(pf.declared, new DependencySolver.Candidates() {
                @Override
                public List<PluginManifest> versions(String id) {
                    return index.getOrDefault(id, List.of());
                }

                @Override
                public String unusable(PluginManifest m) {
                    return incompatibility(m);
                }
            });
        } catch (UnresolvedDependencyException e) {
            return keepOrFail(pf, PluginEntry.State.UNRESOLVED, e.getMessage());
        }
        List<HostContext.Dependency> deps = new ArrayList<>();
        StringBuilder binding = new StringBuilder(pf.fingerprint);
        for (PluginManifest d : solution.dependencies()) {
            PluginFile df = byLabel.get(d.label());
            deps.add(new HostContext.Dependency(d, df.file));
            binding.append(" + ").append(df.file).append('=').append(df.fingerprint);
        }
        List<String> depLabels = solution.dependencies().stream().map(PluginManifest::label).toList();
        if (pf.loaded != null && binding.toString().equals(pf.loadedBinding)) return loadedEntry(pf);
        LoadedPlugin p;
        try {
            p = pf.host.load(pf.file, new HostContext(engineVersion, deps));
        } catch (PluginLoadException e) {
            return keepOrFail(pf, PluginEntry.State.FAILED, e.getMessage());
        }
        LoadedPlugin old = pf.loaded;
        pf.loaded = p;
        pf.loadedFingerprint = pf.fingerprint;
        pf.loadedBinding = binding.toString();
        pf.loadedDependencies = depLabels;
        if (old != null) {
            events.add(PluginEvent.file(PluginEvent.Kind.REPLACED, p.label(), pf.file, "was " + old.label()
                    + (depLabels.isEmpty() ? "" : "; dependencies " + String.join(", ", depLabels))));
            LOG.info("plugin {} reloaded from {} (was {})", p.label(), pf.file, old.label());
            retire(old, pf.file);
        }
        return loadedEntry(pf);
    }

    private PluginEntry loadedEntry(PluginFile pf) {
        return new PluginEntry(pf.file, pf.host.language(), PluginEntry.State.LOADED, pf.loaded,
                pf.loaded.components().isEmpty() ? NO_COMPONENTS : null, pf.declared, pf.loadedDependencies);
    }

    /**
     * The file cannot be used as it is now. If its own content changed since its plugin was loaded, the old
     * plugin keeps serving (STALE); otherwise (its dependencies went away, say) the old plugin is retired.
     */
    private PluginEntry keepOrFail(PluginFile pf, PluginEntry.State state, String reason) {
        if (pf.contentChanged()) {
            return new PluginEntry(pf.file, pf.host.language(), PluginEntry.State.STALE, pf.loaded,
                    "the new content is " + state.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason
                            + "; still serving " + pf.loaded.label(), pf.declared, pf.loadedDependencies);
        }
        dropLoaded(pf);
        return new PluginEntry(pf.file, pf.host.language(), state, null, reason, pf.declared, List.of());
    }

    private void dropLoaded(PluginFile pf) {
        if (pf.loaded == null) return;
        retire(pf.loaded, pf.file);
        pf.loaded = null;
        pf.loadedBinding = null;
        pf.loadedFingerprint = null;
        pf.loadedDependencies = List.of();
    }

    private void retire(LoadedPlugin p, Path file) {
        PluginFile r = new PluginFile(file, null);
        r.loaded = p;
        retired.add(r);
        p.retire();
    }

    private void noteChange(PluginFile pf, List<PluginEvent> events) {
        PluginEntry e = pf.entry;
        String label = e.manifest() == null ? null : e.manifest().label();
        switch (e.state()) {
            case LOADED -> {
                if (events.stream().noneMatch(x -> x.kind() == PluginEvent.Kind.REPLACED && pf.file.equals(x.file()))) {
                    events.add(PluginEvent.file(PluginEvent.Kind.LOADED, label, pf.file, e.dependencies().isEmpty() ? null
                            : "dependencies " + String.join(", ", e.dependencies())));
                }
            }
            case FAILED, STALE -> {
                LOG.warn("plugin file {} is not loaded: {}", pf.file, e.reason());
                events.add(PluginEvent.file(PluginEvent.Kind.FAILED, label, pf.file, e.reason()));
            }
            case UNRESOLVED -> {
                LOG.warn("plugin {} ({}) is not usable: {}", label, pf.file, e.reason());
                events.add(PluginEvent.file(PluginEvent.Kind.UNRESOLVED, label, pf.file, e.reason()));
            }
            case INCOMPATIBLE -> {
                LOG.warn("plugin {} ({}) is not used: {}", label, pf.file, e.reason());
                events.add(PluginEvent.file(PluginEvent.Kind.INCOMPATIBLE, label, pf.file, e.reason()));
            }
            default -> {
            }
        }
    }

    /** The plugin files in the folders, in scan order, each described again if it changed. */
    private List<PluginFile> listFiles() {
        List<PluginFile> out = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) continue;
            List<Path> all;
            try (Stream<Path> s = Files.list(dir)) {
                all = s.filter(Files::isRegularFile).map(p -> p.toAbsolutePath().normalize()).sorted().collect(Collectors.toList());
            } catch (IOException e) {
                LOG.warn("cannot list plugin folder {}: {}", dir, e.getMessage());
                continue;
            }
            for (Path f : all) {
                PluginHost host = hostFor(f);
                if (host == null) continue;
                String prefix = f.getFileName() + ".";
                List<Path> sidecars = all.stream().filter(s -> s.getFileName().toString().startsWith(prefix)).toList();
                String fp = PluginFile.fingerprint(f, sidecars);
                PluginFile pf = files.getOrDefault(f, new PluginFile(f, host));
                if (!fp.equals(pf.fingerprint)) {
                    pf.fingerprint = fp;
                    describe(pf);
                }
                out.add(pf);
            }
        }
        return out;
    }

    private void describe(PluginFile pf) {
        pf.declared = null;
        pf.failure = null;
        try {
            ChecksumSidecar.verify(pf.file);
            pf.declared = pf.host.describe(pf.file, new HostContext(engineVersion));
        } catch (PluginLoadException e) {
            pf.failure = e.getMessage();
        } catch (RuntimeException e) {
            pf.failure = "could not be read: " + e;
        }
    }

    /** Why this engine cannot use a plugin (its {@code requires:} range), or null when it can. */
    String incompatibility(PluginManifest m) {
        if (Version.tryParse(m.getVersion()).isEmpty()) {
            return "version '" + m.getVersion() + "' is not semver (e.g. 1.2.0)";
        }
        VersionRange requires;
        try {
            requires = VersionRange.parse(m.getRequires());
        } catch (IllegalArgumentException e) {
            return "requires: " + e.getMessage();
        }
        if (!requires.includes(engineVersion)) {
            return "requires engine " + m.getRequires() + ", this engine is " + engineVersion;
        }
        return null;
    }

    private static Version version(PluginManifest m) {
        return Version.tryParse(m.getVersion()).orElse(Version.of(0));
    }

    // ---- queries --------------------------------------------------------------------------------------

    /** Registers a plugin built in process (embedding, tests); it resolves like a scanned one. */
    public synchronized void register(LoadedPlugin plugin) {
        String why = incompatibility(plugin.manifest());
        if (why != null) throw new IllegalArgumentException(plugin.label() + ": " + why);
        inProcess.add(plugin);
    }

    /**
     * Every scanned file with its state, then the retired plugins still used by running pipelines, then
     * the in-process plugins.
     */
    public synchronized List<PluginEntry> entries() {
        List<PluginEntry> out = new ArrayList<>();
        for (PluginFile pf : files.values()) {
            if (pf.entry != null) out.add(pf.entry);
        }
        retired.removeIf(r -> r.loaded.isClosed());
        for (PluginFile r : retired) {
            out.add(new PluginEntry(r.file, r.loaded.manifest().language(), PluginEntry.State.RETIRED, r.loaded,
                    "removed or replaced; still used by " + r.loaded.leases() + " running pipeline stage(s)"));
        }
        for (LoadedPlugin p : inProcess) out.add(new PluginEntry(null, p.manifest().language(), PluginEntry.State.LOADED, p, null));
        return out;
    }

    /** The usable plugins. */
    public synchronized List<LoadedPlugin> plugins() {
        List<LoadedPlugin> out = new ArrayList<>();
        for (PluginEntry e : entries()) {
            if (e.usable()) out.add(e.plugin());
        }
        return out;
    }

    /**
     * Resolves a reference to a component of {@code kind}: the highest usable version satisfying the
     * range (usable: its engine range and its dependencies are satisfied), or, for a path, the plugin in
     * that file (relative to {@code baseDir}).
     *
     * @throws ResolutionException naming what was looked for and what exists, or the dependency chain
     *                             that keeps the best candidate from loading
     */
    public synchronized ResolvedComponent resolve(ComponentKind kind, PluginReference ref, Path baseDir) throws ResolutionException {
        return ref.path() ? resolvePath(kind, ref, baseDir) : resolveName(kind, ref);
    }

    private ResolvedComponent resolveName(ComponentKind kind, PluginReference ref) throws ResolutionException {
        List<ResolvedComponent> named = new ArrayList<>();
        List<ResolvedComponent> otherKind = new ArrayList<>();
        for (LoadedPlugin p : plugins()) {
            for (PluginFactory<?> f : p.components()) {
                if (!f.name().equals(ref.name())) continue;
                if (f.kind() == kind) named.add(new ResolvedComponent(p, f));
                else otherKind.add(new ResolvedComponent(p, f));
            }
        }
        named.sort(Comparator.comparing((ResolvedComponent c) -> version(c.plugin().manifest())).reversed());
        for (ResolvedComponent c : named) {
            if (ref.range().includes(c.plugin().manifest().getVersion())) return c;
        }
        String blocked = blocked(ref);
        if (blocked != null) throw new ResolutionException(blocked);
        if (named.isEmpty()) {
            if (!otherKind.isEmpty()) {
                throw new ResolutionException("'" + ref.name() + "' is a " + otherKind.get(0).factory().kind().label()
                        + ", not a " + kind.label());
            }
            throw new ResolutionException("no " + kind.label() + " named '" + ref.name() + "' is installed" + suggestion(kind, ref.name()));
        }
        String installed = named.stream().map(c -> c.plugin().manifest().getVersion()).distinct().collect(Collectors.joining(", "));
        throw new ResolutionException("no version of '" + ref.name() + "' satisfies " + ref.range() + " (installed: " + installed + ")");
    }

    /**
     * Why the best not-usable version in range cannot be used (a dependency chain or the engine range), or
     * null. Files that did not load are matched by plugin id: their component names are not known.
     */
    private String blocked(PluginReference ref) {
        PluginEntry best = null;
        for (PluginFile pf : files.values()) {
            PluginEntry e = pf.entry;
            if (e == null || (e.state() != PluginEntry.State.UNRESOLVED && e.state() != PluginEntry.State.INCOMPATIBLE)) continue;
            PluginManifest m = e.manifest();
            if (!m.getPluginId().equals(ref.name()) || !ref.range().includes(m.getVersion())) continue;
            if (best == null || version(m).compareTo(version(best.manifest())) > 0) best = e;
        }
        if (best == null) return null;
        return best.state() == PluginEntry.State.INCOMPATIBLE ? best.manifest().label() + " " + best.reason() : best.reason();
    }

    private String suggestion(ComponentKind kind, String name) {
        TreeSet<String> names = new TreeSet<>();
        for (LoadedPlugin p : plugins()) {
            for (PluginFactory<?> f : p.components()) {
                if (f.kind() == kind) names.add(f.name());
            }
        }
        if (names.isEmpty()) return " (no " + kind.label() + " is installed: check the plugin folders)";
        return Suggestions.didYouMean(name, names) + " (installed: " + String.join(", ", names) + ")";
    }

    private ResolvedComponent resolvePath(ComponentKind kind, PluginReference ref, Path baseDir) throws ResolutionException {
        Path file = (baseDir == null ? Path.of(ref.name()) : baseDir.resolve(ref.name())).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) throw new ResolutionException("plugin file " + file + " does not exist");
        LoadedPlugin p = byPath.get(file);
        if (p == null) {
            PluginHost host = hostFor(file);
            if (host == null) {
                throw new ResolutionException("no plugin host handles " + file.getFileName() + " (hosts: "
                        + hosts.stream().map(PluginHost::language).collect(Collectors.joining(", ")) + ")");
            }
            try {
                ChecksumSidecar.verify(file);
                p = host.load(file, new HostContext(engineVersion));
            } catch (PluginLoadException e) {
                throw new ResolutionException("cannot load " + file + ": " + e.getMessage());
            }
            String why = incompatibility(p.manifest());
            if (why != null) {
                closeQuietly(p);
                throw new ResolutionException(p.label() + " (" + file + "): " + why);
            }
            byPath.put(file, p);
        }
        List<PluginFactory<?>> matching = p.components(kind);
        if (matching.isEmpty()) throw new ResolutionException(file.getFileName() + " provides no " + kind.label());
        if (matching.size() > 1) {
            throw new ResolutionException(file.getFileName() + " provides several " + kind.label() + "s ("
                    + matching.stream().map(PluginFactory::name).collect(Collectors.joining(", ")) + "): install it and use one by name");
        }
        return new ResolvedComponent(p, matching.get(0));
    }

    /** The host that handles {@code file}, or null. */
    public PluginHost hostFor(Path file) {
        for (PluginHost h : hosts) {
            if (h.handles(file)) return h;
        }
        return null;
    }

    private static void closeQuietly(AutoCloseable c) {
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
            for (PluginFile pf : files.values()) {
                if (pf.loaded != null) closeQuietly(pf.loaded);
            }
            for (PluginFile r : retired) closeQuietly(r.loaded);
            for (LoadedPlugin p : byPath.values()) closeQuietly(p);
            for (LoadedPlugin p : inProcess) closeQuietly(p);
            for (PluginHost h : hosts) closeQuietly(h);
            files.clear();
            retired.clear();
            byPath.clear();
            inProcess.clear();
        }
    }

    /** Builds a {@link PluginRegistry}. */
    public static final class Builder {
        private final List<PluginHost> hosts = new ArrayList<>();
        private final List<Path> dirs = new ArrayList<>();
        private String engineVersion = EngineVersion.current();

        private Builder() {
        }

        /** Adds the hosts found on the class path with {@link ServiceLoader}. */
        public Builder discoverHosts() {
            for (PluginHost h : ServiceLoader.load(PluginHost.class, PluginRegistry.class.getClassLoader())) addHost(h);
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
