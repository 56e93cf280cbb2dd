package io.dataflare.plugins.columnar;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A source's {@code path}: a file, or a glob such as {@code data/*.parquet} relative to the pipeline file,
 * expanded into the regular files it matches, sorted by absolute path so that they are read (and resumed)
 * in a stable order.
 */
final class InputFiles {
    private InputFiles() {}

    /**
     * The files {@code pattern} matches.
     *
     * @throws ConfigException on {@code path} when nothing matches
     */
    static List<Path> expand(PluginContext ctx, String pattern) throws IOException {
        int firstGlob = firstGlobChar(pattern);
        if (firstGlob < 0) {
            Path p = ctx.resolvePath(pattern).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p)) {
                throw new ConfigException(
                        ColumnarOptions.PATH, "no such file: " + pattern + " (resolved to " + p + ")");
            }
            return List.of(p);
        }
        int slash = pattern.lastIndexOf('/', firstGlob);
        Path base = ctx.resolvePath(slash < 0 ? "." : slash == 0 ? "/" : pattern.substring(0, slash));
        String glob = pattern.substring(slash + 1);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        int depth = glob.contains("**") ? Integer.MAX_VALUE : glob.split("/", -1).length;
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(base)) {
            try (Stream<Path> walk = Files.walk(base, depth)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> matcher.matches(base.relativize(p)))
                        .forEach(p -> files.add(p.toAbsolutePath().normalize()));
            }
        }
        if (files.isEmpty()) {
            throw new ConfigException(ColumnarOptions.PATH, "no file matches " + pattern + " (looked in " + base + ")");
        }
        files.sort(Comparator.comparing(Path::toString));
        return files;
    }

    private static int firstGlobChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') return i;
        }
        return -1;
    }
}
