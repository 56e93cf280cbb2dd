package io.dataflare.engine.version;

import com.github.zafarkhaja.semver.Version;
import org.pf4j.VersionManager;

/**
 * PF4J's {@link VersionManager} reading constraints as npm ranges ({@code ^1.2}, {@code >=1 <2},
 * {@code 1.x || 2.x}) through {@link VersionRange}, so PF4J's own dependency checks and the registry's
 * agree on what a range means. Versions are compared by jSemVer.
 */
public final class NpmVersionManager implements VersionManager {
    @Override
    public boolean checkVersionConstraint(String version, String constraint) {
        return VersionRange.parse(constraint).includes(version);
    }

    @Override
    public int compareVersions(String v1, String v2) {
        return Version.parse(v1.trim()).compareTo(Version.parse(v2.trim()));
    }
}
