package io.dataflare.support.files;

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
 * Expands a source's {@code path} option, a file or a glob such as {@code data/*.csv} or
 * {@code logs/**}{@code /*.jsonl}, relative to the pipeline file, into the regular files it matches,
 * sorted by path so that they are read (and resumed) in a stable order.
 */
public final class FileGlob {
    private FileGlob() {}

    /**
     * The files {@code pattern} matches.
     *
     * @throws ConfigException on option {@code option} when nothing matches
     */
    public static List<Path> expand(PluginContext ctx, String option, String pattern) throws IOException {
        int firstGlob = firstGlobChar(pattern);
        if (firstGlob < 0) {
            Path p = ctx.resolvePath(pattern);
            if (Files.isDirectory(p)) {
                throw new ConfigException(
                        option,
                        pattern + " is a directory, not a file (resolved to " + p
                                + "); for the files in it write a glob such as " + pattern.replaceAll("/+$", "")
                                + "/*");
            }
            if (!Files.isRegularFile(p)) {
                throw new ConfigException(option, "no such file: " + pattern + " (resolved to " + p + ")");
            }
            if (!Files.isReadable(p))
                throw new ConfigException(option, pattern + " cannot be read (resolved to " + p + ")");
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
                        .forEach(files::add);
            }
        }
        if (files.isEmpty()) {
            throw new ConfigException(option, "no file matches " + pattern + " (looked in " + base + ")");
        }
        files.sort(Comparator.comparing(Path::toString));
        return files;
    }

    /** Where the first glob character ({@code * ? [ {}) of {@code s} is, or -1 when it has none. */
    public static int firstGlobChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') return i;
        }
        return -1;
    }
}
