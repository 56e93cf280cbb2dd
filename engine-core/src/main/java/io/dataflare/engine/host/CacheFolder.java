package io.dataflare.engine.host;

import java.nio.file.Path;

/**
 * The user's DataFlare cache folder (remembered plugin digests, the CLI daemon's sockets): {@code
 * -Ddataflare.cache.dir}, else {@code $DATAFLARE_CACHE_DIR}, else {@code $XDG_CACHE_HOME/dataflare}, else {@code
 * ~/.cache/dataflare}; {@code off} turns caching off.
 */
public final class CacheFolder {
    private CacheFolder() {}

    /** The folder, or null when turned off or no home folder is known. */
    public static Path standard() {
        String dir = System.getProperty("dataflare.cache.dir");
        if (dir == null) dir = System.getenv("DATAFLARE_CACHE_DIR");
        if (dir == null) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            String home = System.getProperty("user.home");
            if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "dataflare");
            if (home != null && !home.isBlank()) return Path.of(home, ".cache", "dataflare");
            return null;
        }
        return dir.isBlank() || dir.equals("off") ? null : Path.of(dir);
    }
}
