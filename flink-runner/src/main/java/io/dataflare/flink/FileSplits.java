package io.dataflare.flink;

import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.StagePlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * File sources read as one split per file: a source stage of the built-in file formats whose {@code path} is a
 * glob becomes one split per matching file, each read by a source instance whose {@code path} is that one file and
 * resumed from its own position, so several readers share the files and a restored job resumes each file where its
 * checkpoint left it. The glob is expanded when the job is built, as the file sources expand it when they start (the
 * same rules: relative to the pipeline's folder, regular files only, in path order); a watched folder
 * ({@code watch: true}) stays one split, since files arrive while it runs.
 */
final class FileSplits {
    static final String PATH = "path";
    /** The file sources by plugin: they read each file of a glob alike, whichever instance reads it. */
    private static final Map<String, Set<String>> FILE_SOURCES = Map.of(
            "dataflare-files", Set.of("csv-file", "jsonl-file"),
            "dataflare-columnar", Set.of("parquet-file", "avro-file"));

    private FileSplits() {}

    /** The files of source stage {@code s}, one split each, in path order; empty when it is read as one split. */
    static List<String> of(StagePlan s, Path baseDir) {
        ComponentPlan c = s.component();
        Set<String> names = FILE_SOURCES.get(c.component().plugin().manifest().getPluginId());
        if (names == null || !names.contains(c.component().name())) return List.of();
        if (c.config().getBoolean("watch", false)) return List.of();
        String pattern = c.config().getString(PATH, null);
        if (pattern == null || firstGlobChar(pattern) < 0) return List.of();
        try {
            return expand(pattern, baseDir).stream().map(Path::toString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("source '" + s.name() + "': could not list the files of " + pattern, e);
        }
    }

    /** The source's component with {@code path} set to one of its files. */
    static ComponentPlan forFile(ComponentPlan c, String file) {
        Map<String, Object> options = new java.util.LinkedHashMap<>(c.config().asMap());
        options.put(PATH, file);
        return new ComponentPlan(c.component(), new io.dataflare.api.config.PluginConfig(options), c.grants());
    }

    static List<Path> expand(String pattern, Path baseDir) throws IOException {
        int firstGlob = firstGlobChar(pattern);
        int slash = pattern.lastIndexOf('/', firstGlob);
        String dir = slash < 0 ? "." : slash == 0 ? "/" : pattern.substring(0, slash);
        Path base = (baseDir == null ? Path.of("") : baseDir)
                .resolve(dir)
                .toAbsolutePath()
                .normalize();
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
