package io.dataflare.engine.plugin.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.version.NpmVersionManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pf4j.PluginDependency;

class DependencySolverTest {
    private final Map<String, List<PluginManifest>> installed = new HashMap<>();
    private final Map<String, String> unusable = new HashMap<>();

    private PluginManifest add(String label, String... deps) {
        String[] p = label.split("@");
        PluginManifest m = PluginManifest.builder(p[0], p[1], "java")
                .dependencies(Arrays.stream(deps).map(PluginDependency::new).toList())
                .build();
        List<PluginManifest> l = installed.computeIfAbsent(p[0], k -> new ArrayList<>());
        l.add(m);
        l.sort(Comparator.comparing((PluginManifest x) -> com.github.zafarkhaja.semver.Version.parse(x.getVersion()))
                .reversed());
        return m;
    }

    private List<String> solve(PluginManifest root) throws UnresolvedDependencyException {
        return DependencySolver.solve(root, new DependencySolver.Candidates() {
                    @Override
                    public List<PluginManifest> versions(String id) {
                        return installed.getOrDefault(id, List.of());
                    }

                    @Override
                    public String unusable(PluginManifest m) {
                        return unusable.get(m.label());
                    }
                })
                .dependencies()
                .stream()
                .map(PluginManifest::label)
                .toList();
    }

    @Test
    void picksTheHighestSatisfyingVersionsTransitivelyDependenciesFirst() throws Exception {
        add("b@1.4.0");
        add("b@1.9.0", "c@^2");
        add("b@2.0.0");
        add("c@2.1.0");
        add("c@3.0.0");
        assertThat(solve(add("a@1.2.0", "b@^1"))).containsExactly("c@2.1.0", "b@1.9.0");
    }

    @Test
    void backtracksToALowerVersionWhenTheHigherOneCannotBeSatisfied() throws Exception {
        add("b@1.4.0");
        add("b@1.9.0", "missing@^1");
        assertThat(solve(add("a@1.0.0", "b@^1"))).containsExactly("b@1.4.0");
    }

    @Test
    void aMissingDependencyNamesTheChain() {
        add("b@1.4.0");
        assertThatThrownBy(() -> solve(add("a@1.2.0", "b@^2")))
                .isInstanceOf(UnresolvedDependencyException.class)
                .hasMessage("a@1.2.0 -> b@^2 : only b@1.4.0 installed");
        assertThatThrownBy(() -> solve(add("x@1.0.0", "nothing@>=1 <2")))
                .hasMessage("x@1.0.0 -> nothing@>=1 <2 : nothing is not installed");
    }

    @Test
    void aTransitiveGapNamesEveryLink() {
        add("b@1.4.0", "c@~3.1");
        add("c@3.0.0");
        assertThatThrownBy(() -> solve(add("a@1.0.0", "b@1.x")))
                .hasMessage("a@1.0.0 -> b@1.4.0 -> c@~3.1 : only c@3.0.0 installed");
    }

    @Test
    void aVersionConflictNamesBothChains() {
        add("b@1.4.0");
        add("b@2.1.0");
        add("c@1.0.0", "b@^2");
        assertThatThrownBy(() -> solve(add("a@1.0.0", "b@^1", "c@^1")))
                .hasMessage("a@1.0.0 -> c@1.0.0 -> b@^2 : conflicts with a@1.0.0 -> b@^1 (b@1.4.0)");
    }

    @Test
    void aCycleIsReported() {
        add("b@1.0.0", "a@^1");
        assertThatThrownBy(() -> solve(add("a@1.0.0", "b@^1")))
                .hasMessage("a@1.0.0 -> b@1.0.0 -> a@^1 : dependency cycle");
    }

    @Test
    void aDependencyThisEngineCannotUseIsNamedWithTheReason() {
        add("b@1.4.0");
        unusable.put("b@1.4.0", "requires engine ^2.0.0, this engine is 1.0.0");
        assertThatThrownBy(() -> solve(add("a@1.0.0", "b@^1")))
                .hasMessage("a@1.0.0 -> b@^1 : b@1.4.0 requires engine ^2.0.0, this engine is 1.0.0");
    }

    @Test
    void optionalDependenciesAreUsedWhenTheyFitAndLeftOutOtherwise() throws Exception {
        add("cache@1.0.0");
        assertThat(solve(add("a@1.0.0", "cache?@^1"))).containsExactly("cache@1.0.0");
        assertThat(solve(add("a@1.1.0", "cache?@^2", "geo?"))).isEmpty();
    }

    @Test
    void pf4jsVersionManagerReadsNpmRanges() {
        NpmVersionManager vm = new NpmVersionManager();
        assertThat(vm.checkVersionConstraint("1.4.0", ">=1 <2")).isTrue();
        assertThat(vm.checkVersionConstraint("2.0.0", "^1.2 || ~3.1")).isFalse();
        assertThat(vm.compareVersions("1.10.0", "1.9.0")).isPositive();
    }
}
