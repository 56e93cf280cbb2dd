package io.dataflare.plugins.files.input;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.support.files.FileGlob;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder and pattern a watching file source lists again and again: {@code path} names a folder (all
 * regular files directly in it) or a glob ({@code in/*.csv}); a single plain file cannot be watched.
 */
public final class WatchedFolder {
    private final Path base;
    private final PathMatcher matcher;
    private final int depth;

    private WatchedFolder(Path base, String glob) {
        this.base = base;
        this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        this.depth = glob.contains("**") ? Integer.MAX_VALUE : glob.split("/", -1).length;
    }

    /**
     * The folder {@code pattern} watches.
     *
     * @throws ConfigException on {@code path} when the folder does not exist, on {@code watch} when
     *                         {@code pattern} names one plain file
     */
    public static WatchedFolder of(PluginContext ctx, String pattern) {
        int firstGlob = FileGlob.firstGlobChar(pattern);
        if (firstGlob < 0) {
            Path p = ctx.resolvePath(pattern);
            if (Files.isDirectory(p)) return new WatchedFolder(p, "*");
            throw new ConfigException(
                    FileSources.WATCH,
                    "watch needs a folder or a glob in 'path' (in/ or in/*.csv), got " + pattern
                            + (Files.isRegularFile(p) ? ", a single file" : " (resolved to " + p + ")"));
        }
        int slash = pattern.lastIndexOf('/', firstGlob);
        Path base = ctx.resolvePath(slash < 0 ? "." : slash == 0 ? "/" : pattern.substring(0, slash));
        if (!Files.isDirectory(base)) {
            throw new ConfigException(FileSources.PATH, "no such folder to watch: " + base + " (from " + pattern + ")");
        }
        return new WatchedFolder(base, pattern.substring(slash + 1));
    }

    /** The regular files matching now, in no particular order. */
    public List<Path> list() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(base, depth)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> matcher.matches(base.relativize(p)))
                    .forEach(p -> files.add(p.toAbsolutePath().normalize()));
        }
        return files;
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
