package io.dataflare.engine.plugin;

import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.plugin.resolve.DependencySolver;
import io.dataflare.engine.plugin.resolve.UnresolvedDependencyException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the loaded plugins in line with the plugin files the {@link PluginScanner} finds. For each file:
 * the winner among copies of one id and version (the later folder), the engine range, the dependencies
 * ({@link DependencySolver}), then a load through its host when the file or what it was linked with changed.
 * A plugin that goes away (file removed, replaced, or no longer resolvable) is retired: closed once the
 * running pipelines using it let go; a file whose new content fails keeps its old plugin serving (STALE).
 * Every change is reported as a {@link PluginEvent}.
 *
 * <p>Not thread-safe: the registry calls it under its lock.
 */
final class ChangeReconciler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeReconciler.class);

    private final PluginScanner scanner;
    private final EngineCompatibility compatibility;
    private final Map<Path, PluginFile> files = new LinkedHashMap<>();
    private final List<PluginFile> retired = new ArrayList<>();

    ChangeReconciler(PluginScanner scanner, EngineCompatibility compatibility) {
        this.scanner = scanner;
        this.compatibility = compatibility;
    }

    /** Rescans the folders and loads, replaces and retires plugins to match; what changed goes to {@code events}. */
    void reconcile(List<PluginEvent> events) {
        retired.removeIf(r -> r.loaded.isClosed());
        List<PluginFile> present = scanner.scan(files);
        // files that disappeared: their plugin stays alive for the pipelines still using it
        for (PluginFile gone : new ArrayList<>(files.values())) {
            if (present.stream().noneMatch(p -> p.file.equals(gone.file))) {
                files.remove(gone.file);
                if (gone.loaded != null) {
                    events.add(PluginEvent.file(
                            PluginEvent.Kind.REMOVED,
                            gone.loaded.label(),
                            gone.file,
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
        for (PluginFile pf : winners.values())
            index.computeIfAbsent(pf.declared.getPluginId(), k -> new ArrayList<>())
                    .add(pf.declared);
        for (List<PluginManifest> l : index.values())
            l.sort(Comparator.comparing(EngineCompatibility::version).reversed());
        Map<String, PluginFile> byLabel = new HashMap<>(winners);

        for (PluginFile pf : current) {
            PluginEntry before = pf.entry;
            pf.entry = update(pf, winners, index, byLabel, events);
            if (before == null
                    || before.state() != pf.entry.state()
                    || !Objects.equals(before.reason(), pf.entry.reason())) {
                noteChange(pf, events);
            }
        }
    }

    /** Every scanned file's entry, then the retired plugins still used by running pipelines. */
    List<PluginEntry> entries() {
        List<PluginEntry> out = new ArrayList<>();
        for (PluginFile pf : files.values()) {
            if (pf.entry != null) out.add(pf.entry);
        }
        retired.removeIf(r -> r.loaded.isClosed());
        for (PluginFile r : retired) {
            out.add(new PluginEntry(
                    r.file,
                    r.loaded.manifest().language(),
                    PluginEntry.State.RETIRED,
                    r.loaded,
                    "removed or replaced; still used by " + r.loaded.leases() + " running pipeline stage(s)"));
        }
        return out;
    }

    private PluginEntry update(
            PluginFile pf,
            Map<String, PluginFile> winners,
            Map<String, List<PluginManifest>> index,
            Map<String, PluginFile> byLabel,
            List<PluginEvent> events) {
        if (pf.failure != null) return keepOrFail(pf, PluginEntry.State.FAILED, pf.failure);
        PluginFile winner = winners.get(pf.declared.label());
        if (winner != pf) {
            dropLoaded(pf);
            return new PluginEntry(
                    pf.file,
                    pf.host.language(),
                    PluginEntry.State.SHADOWED,
                    null,
                    "shadowed by " + winner.file,
                    pf.declared,
                    List.of());
        }
        String why = compatibility.problem(pf.declared);
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
                    return compatibility.problem(m);
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
        List<String> depLabels =
                solution.dependencies().stream().map(PluginManifest::label).toList();
        if (pf.loaded != null && binding.toString().equals(pf.loadedBinding)) return loadedEntry(pf);
        LoadedPlugin p;
        try {
            p = pf.host.load(pf.file, new HostContext(compatibility.engineVersion(), deps));
        } catch (PluginLoadException e) {
            return keepOrFail(pf, PluginEntry.State.FAILED, e.getMessage());
        }
        LoadedPlugin old = pf.loaded;
        pf.loaded = p;
        pf.loadedFingerprint = pf.fingerprint;
        pf.loadedBinding = binding.toString();
        pf.loadedDependencies = depLabels;
        if (old != null) {
            events.add(PluginEvent.file(
                    PluginEvent.Kind.REPLACED,
                    p.label(),
                    pf.file,
                    "was " + old.label()
                            + (depLabels.isEmpty() ? "" : "; dependencies " + String.join(", ", depLabels))));
            LOG.info("plugin {} reloaded from {} (was {})", p.label(), pf.file, old.label());
            retire(old, pf.file);
        }
        return loadedEntry(pf);
    }

    private PluginEntry loadedEntry(PluginFile pf) {
        return new PluginEntry(
                pf.file,
                pf.host.language(),
                PluginEntry.State.LOADED,
                pf.loaded,
                pf.loaded.components().isEmpty() ? PluginRegistry.NO_COMPONENTS : null,
                pf.declared,
                pf.loadedDependencies);
    }

    /**
     * The file cannot be used as it is now. If its own content changed since its plugin was loaded, the old
     * plugin keeps serving (STALE); otherwise (its dependencies went away, say) the old plugin is retired.
     */
    private PluginEntry keepOrFail(PluginFile pf, PluginEntry.State state, String reason) {
        if (pf.contentChanged()) {
            return new PluginEntry(
                    pf.file,
                    pf.host.language(),
                    PluginEntry.State.STALE,
                    pf.loaded,
                    "the new content is " + state.name().toLowerCase(Locale.ROOT) + ": " + reason + "; still serving "
                            + pf.loaded.label(),
                    pf.declared,
                    pf.loadedDependencies);
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
                    events.add(PluginEvent.file(
                            PluginEvent.Kind.LOADED,
                            label,
                            pf.file,
                            e.dependencies().isEmpty() ? null : "dependencies " + String.join(", ", e.dependencies())));
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
            default -> {}
        }
    }

    /** Unloads every plugin loaded from a file, retired ones included. */
    @Override
    public void close() {
        for (PluginFile pf : files.values()) {
            if (pf.loaded != null) PluginRegistry.closeQuietly(pf.loaded);
        }
        for (PluginFile r : retired) PluginRegistry.closeQuietly(r.loaded);
        files.clear();
        retired.clear();
    }
}
