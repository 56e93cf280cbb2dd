package io.dataflare.engine.plugin;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;
import io.dataflare.engine.config.Suggestions;
import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginHost;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.plugin.sign.PluginTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Picks the component a pipeline's {@code use:} names among the registry's entries: by name, the highest
 * usable version in the range (when none is, the error says why the best candidate is not usable: its
 * dependency chain or engine range); by path, the plugin in that file, loaded on first use and kept until
 * the registry closes.
 *
 * <p>Not thread-safe: the registry calls it under its lock.
 */
final class ComponentResolver implements AutoCloseable {
    private final PluginScanner scanner;
    private final EngineCompatibility compatibility;
    private final Map<Path, LoadedPlugin> byPath = new HashMap<>();

    ComponentResolver(PluginScanner scanner, EngineCompatibility compatibility) {
        this.scanner = scanner;
        this.compatibility = compatibility;
    }

    /**
     * Resolves {@code ref} to a component of {@code kind} among {@code entries}; a path is relative to
     * {@code baseDir}.
     *
     * @throws ResolutionException naming what was looked for and what exists
     */
    ResolvedComponent resolve(ComponentKind kind, PluginReference ref, Path baseDir, List<PluginEntry> entries)
            throws ResolutionException {
        return ref.path() ? resolvePath(kind, ref, baseDir) : resolveName(kind, ref, entries);
    }

    private ResolvedComponent resolveName(ComponentKind kind, PluginReference ref, List<PluginEntry> entries)
            throws ResolutionException {
        List<LoadedPlugin> usable = usable(entries);
        List<ResolvedComponent> named = new ArrayList<>();
        List<ResolvedComponent> otherKind = new ArrayList<>();
        for (LoadedPlugin p : usable) {
            for (PluginFactory<?> f : p.components()) {
                if (!f.name().equals(ref.name())) continue;
                if (f.kind() == kind) named.add(new ResolvedComponent(p, f));
                else otherKind.add(new ResolvedComponent(p, f));
            }
        }
        named.sort(Comparator.comparing((ResolvedComponent c) ->
                        EngineCompatibility.version(c.plugin().manifest()))
                .reversed());
        for (ResolvedComponent c : named) {
            if (ref.range().includes(c.plugin().manifest().getVersion())) return c;
        }
        String blocked = blocked(ref, entries);
        if (blocked != null) throw new ResolutionException(blocked);
        if (named.isEmpty()) {
            if (!otherKind.isEmpty()) {
                throw new ResolutionException("'" + ref.name() + "' is a "
                        + otherKind.get(0).factory().kind().label() + ", not a " + kind.label());
            }
            throw new ResolutionException("no " + kind.label() + " named '" + ref.name() + "' is installed"
                    + suggestion(kind, ref.name(), usable) + refused(entries));
        }
        String installed = named.stream()
                .map(c -> c.plugin().manifest().getVersion())
                .distinct()
                .collect(Collectors.joining(", "));
        throw new ResolutionException(
                "no version of '" + ref.name() + "' satisfies " + ref.range() + " (installed: " + installed + ")");
    }

    /** The plugins pipelines can resolve. */
    static List<LoadedPlugin> usable(List<PluginEntry> entries) {
        List<LoadedPlugin> out = new ArrayList<>();
        for (PluginEntry e : entries) {
            if (e.usable()) out.add(e.plugin());
        }
        return out;
    }

    /**
     * Why the best not-usable version in range cannot be used (a dependency chain or the engine range), or
     * null. Files that did not load are matched by plugin id: their component names are not known.
     */
    private static String blocked(PluginReference ref, List<PluginEntry> entries) {
        PluginEntry best = null;
        for (PluginEntry e : entries) {
            if (e.state() != PluginEntry.State.UNRESOLVED && e.state() != PluginEntry.State.INCOMPATIBLE) continue;
            PluginManifest m = e.manifest();
            if (!m.getPluginId().equals(ref.name()) || !ref.range().includes(m.getVersion())) continue;
            if (best == null
                    || EngineCompatibility.version(m).compareTo(EngineCompatibility.version(best.manifest())) > 0)
                best = e;
        }
        if (best == null) return null;
        return best.state() == PluginEntry.State.INCOMPATIBLE
                ? best.manifest().label() + " " + best.reason()
                : best.reason();
    }

    /**
     * The plugin files refused for their signature: what they provide is not known (their manifest is not read
     * before the signature is checked), so a missing component may be in one of them.
     */
    private static String refused(List<PluginEntry> entries) {
        List<String> refused = entries.stream()
                .filter(e -> e.state() == PluginEntry.State.FAILED
                        && e.reason() != null
                        && e.reason().startsWith(PluginTrust.REFUSED))
                .map(e -> e.file() + ": " + e.reason())
                .toList();
        return refused.isEmpty() ? "" : "; plugin files not loaded: " + String.join("; ", refused);
    }

    private static String suggestion(ComponentKind kind, String name, List<LoadedPlugin> usable) {
        TreeSet<String> names = new TreeSet<>();
        for (LoadedPlugin p : usable) {
            for (PluginFactory<?> f : p.components()) {
                if (f.kind() == kind) names.add(f.name());
            }
        }
        if (names.isEmpty()) return " (no " + kind.label() + " is installed: check the plugin folders)";
        return Suggestions.didYouMean(name, names) + " (installed: " + String.join(", ", names) + ")";
    }

    private ResolvedComponent resolvePath(ComponentKind kind, PluginReference ref, Path baseDir)
            throws ResolutionException {
        Path file = (baseDir == null ? Path.of(ref.name()) : baseDir.resolve(ref.name()))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(file)) throw new ResolutionException("plugin file " + file + " does not exist");
        LoadedPlugin p = byPath.get(file);
        if (p == null) {
            PluginHost host = scanner.hostFor(file);
            if (host == null) {
                throw new ResolutionException("no plugin host handles " + file.getFileName() + " (hosts: "
                        + scanner.hosts().stream().map(PluginHost::language).collect(Collectors.joining(", ")) + ")");
            }
            try {
                scanner.admit(file);
                p = host.load(file, new HostContext(compatibility.engineVersion()));
            } catch (PluginLoadException e) {
                throw new ResolutionException("cannot load " + file + ": " + e.getMessage());
            }
            String why = compatibility.problem(p.manifest());
            if (why != null) {
                PluginRegistry.closeQuietly(p);
                throw new ResolutionException(p.label() + " (" + file + "): " + why);
            }
            byPath.put(file, p);
        }
        List<PluginFactory<?>> matching = p.components(kind);
        if (matching.isEmpty()) throw new ResolutionException(file.getFileName() + " provides no " + kind.label());
        if (matching.size() > 1) {
            throw new ResolutionException(file.getFileName() + " provides several " + kind.label() + "s ("
                    + matching.stream().map(PluginFactory::name).collect(Collectors.joining(", "))
                    + "): install it and use one by name");
        }
        return new ResolvedComponent(p, matching.get(0));
    }

    /** Unloads the plugins loaded by path. */
    @Override
    public void close() {
        for (LoadedPlugin p : byPath.values()) PluginRegistry.closeQuietly(p);
        byPath.clear();
    }
}
