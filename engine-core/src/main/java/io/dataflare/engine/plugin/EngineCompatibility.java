package io.dataflare.engine.plugin;

import com.github.zafarkhaja.semver.Version;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.version.VersionRange;

/** Whether this engine can use a plugin: its version must be semver and its {@code requires:} range must include the engine. */
final class EngineCompatibility {
    private final String engineVersion;

    EngineCompatibility(String engineVersion) {
        this.engineVersion = engineVersion;
    }

    String engineVersion() {
        return engineVersion;
    }

    /** Why this engine cannot use {@code m}, or null when it can. */
    String problem(PluginManifest m) {
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

    /** The plugin's version for ordering (0.0.0 when it is not semver: such a plugin is never usable anyway). */
    static Version version(PluginManifest m) {
        return Version.tryParse(m.getVersion()).orElse(Version.of(0));
    }
}
