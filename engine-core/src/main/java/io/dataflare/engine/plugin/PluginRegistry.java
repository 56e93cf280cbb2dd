package io.dataflare.engine.plugin;

import com.github.zafarkhaja.semver.Version;
import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;
import io.dataflare.engine.EngineVersion;
import io.dataflare.engine.config.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every plugin the engine can use, of every language: scans plugin folders (in order: later folders
 * win for the same id and version), loads each file with the {@link PluginHost} that handles it,
 * remembers why a file did not load, and resolves a pipeline's {@code use:} to the highest version
 * that satisfies the range and the engine version.
 */
public final class PluginRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final List<PluginHost> hosts;
    private final List<Path> dirs;
    private final String engineVersion;
    private final Map<Path, PluginEntry> scanned = new LinkedHashMap<>();
    private final List<LoadedPlugin> inProcess = new ArrayList<>();
    private final Map<Path, LoadedPlugin> byPath = new HashMap<>();

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

    /** Loads every plugin file in the folders (missing folders are skipped). Returns the entries. */
    public synchronized List<PluginEntry> scan() {
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) continue;
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
            } catch (IOException e) {
                LOG.warn("cannot list plugin folder {}: {}", dir, e.getMessage());
                continue;
            }
            for (Path f : files) {
                PluginHost host = hostFor(f);
                if (host != null) add(loadEntry(host, f.toAbsolutePath().normalize()));
            }
        }
        return entries();
    }

    private PluginEntry loadEntry(PluginHost host, Path file) {
        PluginEntry old = scanned.get(file);
        if (old != null) return old;
        try {
            LoadedPlugin p = host.load(file, new HostContext(engineVersion));
            String why = incompatibility(p.manifest());
            if (why != null) {
                LOG.warn("plugin {} ({}) is not used: {}", p.label(), file, why);
                return new PluginEntry(file, host.language(), PluginEntry.State.INCOMPATIBLE, p, why);
            }
            return new PluginEntry(file, host.language(), PluginEntry.State.LOADED, p, null);
        } catch (PluginLoadException e) {
            LOG.warn("plugin file {} is not loaded: {}", file, e.getMessage());
            return new PluginEntry(file, host.language(), PluginEntry.State.FAILED, null, e.getMessage());
        }
    }

    private void add(PluginEntry entry) {
        if (entry.state() == PluginEntry.State.LOADED) {
            String label = entry.plugin().label();
            for (Map.Entry<Path, PluginEntry> e : scanned.entrySet()) {
                PluginEntry prior = e.getValue();
                if (prior.state() == PluginEntry.State.LOADED && prior.plugin().label().equals(label)) {
                    e.setValue(new PluginEntry(prior.file(), prior.language(), PluginEntry.State.SHADOWED, prior.plugin(),
                            "shadowed by " + entry.file()));
                }
            }
        }
        scanned.put(entry.file(), entry);
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

    /** Registers a plugin built in process (embedding, tests); it resolves like a scanned one. */
    public synchronized void register(LoadedPlugin plugin) {
        String why = incompatibility(plugin.manifest());
        if (why != null) throw new IllegalArgumentException(plugin.label() + ": " + why);
        inProcess.add(plugin);
    }

    /** Every scanned file and in-process plugin, with its state. */
    public synchronized List<PluginEntry> entries() {
        List<PluginEntry> out = new ArrayList<>(scanned.values());
        for (LoadedPlugin p : inProcess) out.add(new PluginEntry(null, p.manifest().language(), PluginEntry.State.LOADED, p, null));
        return out;
    }

    /** The usable plugins. */
    public synchronized List<LoadedPlugin> plugins() {
        List<LoadedPlugin> out = new ArrayList<>();
        for (PluginEntry e : entries()) {
            if (e.state() == PluginEntry.State.LOADED) out.add(e.plugin());
        }
        return out;
    }

    /**
     * Resolves a reference to a component of {@code kind}: the highest usable version satisfying the
     * range, or, for a path, the plugin in that file (relative to {@code baseDir}).
     *
     * @throws ResolutionException naming what was looked for and what exists
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
        if (named.isEmpty()) {
            if (!otherKind.isEmpty()) {
                throw new ResolutionException("'" + ref.name() + "' is a " + otherKind.get(0).factory().kind().label()
                        + ", not a " + kind.label());
            }
            throw new ResolutionException("no " + kind.label() + " named '" + ref.name() + "' is installed" + suggestion(kind, ref.name()));
        }
        named.sort(Comparator.comparing((ResolvedComponent c) -> Version.parse(c.plugin().manifest().getVersion())).reversed());
        for (ResolvedComponent c : named) {
            if (ref.range().includes(c.plugin().manifest().getVersion())) return c;
        }
        String installed = named.stream().map(c -> c.plugin().manifest().getVersion()).distinct().collect(Collectors.joining(", "));
        String incompatible = incompatibleVersions(ref);
        throw new ResolutionException("no version of '" + ref.name() + "' satisfies " + ref.range() + " (installed: " + installed
                + incompatible + ")");
    }

    private String incompatibleVersions(PluginReference ref) {
        List<String> out = new ArrayList<>();
        for (PluginEntry e : entries()) {
            if (e.state() != PluginEntry.State.INCOMPATIBLE) continue;
            for (PluginFactory<?> f : e.plugin().components()) {
                if (f.name().equals(ref.name())) out.add(e.plugin().manifest().getVersion() + " needs engine " + e.plugin().manifest().getRequires());
            }
        }
        return out.isEmpty() ? "" : "; not usable: " + String.join(", ", out);
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

    private PluginHost hostFor(Path file) {
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

    /** Unloads every plugin and closes the hosts. */
    @Override
    public synchronized void close() {
        for (PluginEntry e : scanned.values()) {
            if (e.plugin() != null) closeQuietly(e.plugin());
        }
        for (LoadedPlugin p : byPath.values()) closeQuietly(p);
        for (LoadedPlugin p : inProcess) closeQuietly(p);
        for (PluginHost h : hosts) closeQuietly(h);
        scanned.clear();
        byPath.clear();
        inProcess.clear();
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
