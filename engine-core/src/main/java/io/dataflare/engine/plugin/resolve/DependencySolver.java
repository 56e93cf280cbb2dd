package io.dataflare.engine.plugin.resolve;

import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.version.NpmVersionManager;
import io.dataflare.engine.version.VersionRange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.pf4j.DependencyResolver;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;

/**
 * Picks one version of every plugin a plugin depends on, transitively: for each dependency the highest
 * installed version whose range accepts it and that this engine can use, backtracking to lower versions
 * when a choice leads to a conflict. One id gets one version in a solution, because the solution is
 * loaded together (one PF4J manager, whose class loaders delegate by id). The chosen set is checked
 * once more by PF4J's {@link DependencyResolver}, which also gives the load order.
 *
 * <p>When nothing works the error names the chain of the first (highest-version) attempt:
 * a missing dependency ({@code a@1.2.0 -> b@^2 : only b@1.4.0 installed}), a conflict
 * ({@code a@1.0.0 -> c@1.0.0 -> b@^2 : conflicts with a@1.0.0 -> b@^1 (b@1.4.0)}), a cycle
 * ({@code a@1.0.0 -> b@1.0.0 -> a@^1 : dependency cycle}) or an unusable version
 * ({@code a@1.0.0 -> b@^1 : b@1.4.0 requires engine ^2, this engine is 1.0.0}).
 */
public final class DependencySolver {
    /** More than enough for real plugin graphs; stops a pathological one from searching forever. */
    private static final int MAX_STEPS = 10_000;

    /** What the solver may choose from. */
    public interface Candidates {
        /** Every installed version of {@code id}, usable or not, highest first. */
        List<PluginManifest> versions(String id);

        /** Why this engine cannot use {@code m} (e.g. its engine range), or null when it can. */
        String unusable(PluginManifest m);
    }

    /**
     * A solution.
     *
     * @param root         the plugin resolved
     * @param dependencies its dependencies, transitively, dependencies before their dependents
     */
    public record Solution(PluginManifest root, List<PluginManifest> dependencies) {
        public Solution {
            dependencies = List.copyOf(dependencies);
        }
    }

    private final Candidates candidates;
    private String firstProblem;
    private int steps;

    private DependencySolver(Candidates candidates) {
        this.candidates = candidates;
    }

    /**
     * Resolves the dependencies of {@code root}.
     *
     * @throws UnresolvedDependencyException naming the chain that cannot be satisfied
     */
    public static Solution solve(PluginManifest root, Candidates candidates) throws UnresolvedDependencyException {
        return new DependencySolver(candidates).run(root);
    }

    private Solution run(PluginManifest root) throws UnresolvedDependencyException {
        Map<String, Chosen> chosen = new LinkedHashMap<>();
        chosen.put(root.getPluginId(), new Chosen(root, null));
        Deque<Need> needs = new ArrayDeque<>();
        List<PluginManifest> path = List.of(root);
        for (PluginDependency d : root.getDependencies()) needs.add(new Need(path, d));
        if (!search(needs, chosen)) {
            throw new UnresolvedDependencyException(
                    firstProblem != null
                            ? firstProblem
                            : root.label() + " : its dependencies could not be resolved within " + MAX_STEPS
                                    + " steps");
        }
        return new Solution(root, loadOrder(root, chosen));
    }

    /** One requirement still to satisfy: {@code dependency}, declared by the last plugin of {@code path}. */
    private record Need(List<PluginManifest> path, PluginDependency dependency) {
        String chain() {
            return path.stream().map(PluginManifest::label).collect(Collectors.joining(" -> ")) + " -> "
                    + dependency.getPluginId() + "@" + dependency.getPluginVersionSupport();
        }
    }

    /** A chosen version and the requirement that chose it (null for the root). */
    private record Chosen(PluginManifest manifest, Need by) {}

    private boolean search(Deque<Need> needs, Map<String, Chosen> chosen) {
        if (++steps > MAX_STEPS) return false;
        Need need = needs.poll();
        if (need == null) return true;
        PluginDependency dep = need.dependency();
        String id = dep.getPluginId();
        VersionRange range = range(need);
        if (range == null) return false;
        for (PluginManifest p : need.path()) {
            if (p.getPluginId().equals(id)) return problem(need.chain() + " : dependency cycle");
        }
        Chosen already = chosen.get(id);
        if (already != null) {
            if (range.includes(already.manifest().getVersion())) return search(needs, chosen);
            String other = already.by() == null
                    ? already.manifest().label() + " itself"
                    : already.by().chain();
            return problem(need.chain() + " : conflicts with " + other + " ("
                    + already.manifest().label() + ")");
        }
        List<PluginManifest> all = candidates.versions(id);
        List<PluginManifest> inRange =
                all.stream().filter(m -> range.includes(m.getVersion())).toList();
        if (inRange.isEmpty()) {
            if (dep.isOptional()) return search(needs, chosen);
            return problem(need.chain() + " : "
                    + (all.isEmpty()
                            ? id + " is not installed"
                            : "only " + all.stream().map(PluginManifest::label).collect(Collectors.joining(", "))
                                    + " installed"));
        }
        for (PluginManifest m : inRange) {
            String why = candidates.unusable(m);
            if (why != null) {
                problem(need.chain() + " : " + m.label() + " " + why);
                continue;
            }
            chosen.put(id, new Chosen(m, need));
            Deque<Need> next = new ArrayDeque<>(needs);
            List<PluginManifest> path = new ArrayList<>(need.path());
            path.add(m);
            for (PluginDependency d : m.getDependencies()) next.add(new Need(List.copyOf(path), d));
            if (search(next, chosen)) return true;
            chosen.remove(id);
        }
        // an optional dependency whose versions all fail is left out rather than failing the plugin
        return dep.isOptional() && search(needs, chosen);
    }

    private VersionRange range(Need need) {
        try {
            return VersionRange.parse(need.dependency().getPluginVersionSupport());
        } catch (IllegalArgumentException e) {
            problem(need.chain() + " : " + e.getMessage());
            return null;
        }
    }

    private boolean problem(String message) {
        if (firstProblem == null) firstProblem = message;
        return false;
    }

    /** Checks the chosen set with PF4J's resolver and returns the dependencies in load order. */
    private static List<PluginManifest> loadOrder(PluginManifest root, Map<String, Chosen> chosen)
            throws UnresolvedDependencyException {
        List<PluginDescriptor> set = new ArrayList<>();
        Map<String, PluginManifest> byId = new HashMap<>();
        for (Chosen c : chosen.values()) {
            set.add(c.manifest());
            byId.put(c.manifest().getPluginId(), c.manifest());
        }
        DependencyResolver.Result r = new DependencyResolver(new NpmVersionManager()).resolve(set);
        if (r.hasCyclicDependency() || !r.getWrongVersionDependencies().isEmpty()) {
            throw new UnresolvedDependencyException(
                    root.label() + " : PF4J rejected the resolved set " + byId.values());
        }
        List<PluginManifest> order = new ArrayList<>();
        for (String id : r.getSortedPlugins()) {
            PluginManifest m = byId.get(id);
            if (m != null && !id.equals(root.getPluginId())) order.add(m);
        }
        return order;
    }
}
