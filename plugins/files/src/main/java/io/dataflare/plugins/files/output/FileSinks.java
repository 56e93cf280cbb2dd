package io.dataflare.plugins.files.output;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.support.template.PathTemplate;
import java.nio.file.Files;
import java.nio.file.Path;

/** The options file sinks share ({@code path}, {@code append}, {@code max_open_files}) and how they open. */
public final class FileSinks {
    /** The option naming the output file, with optional {field} placeholders. */
    public static final String PATH = "path";

    static final String APPEND = "append";
    static final String MAX_OPEN_FILES = "max_open_files";

    private FileSinks() {}

    /** Declares the shared options. */
    public static ConfigSpec.Builder declare(ConfigSpec.Builder spec) {
        return spec.required(
                        PATH,
                        ConfigType.STRING,
                        "Output file, relative to the pipeline file; {field} placeholders "
                                + "split records by value and must stay inside the directory before the first one")
                .optional(APPEND, ConfigType.BOOLEAN, false, "Append to existing files instead of truncating them")
                .optional(
                        MAX_OPEN_FILES, ConfigType.LONG, 256L, "Files kept open at once when the path has placeholders")
                .tuning(MAX_OPEN_FILES);
    }

    /** Checks the path template and the limits. */
    public static void validate(PluginConfig config) {
        try {
            PathTemplate.parse(null, config.getString(PATH));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PATH, e.getMessage());
        }
        long max = config.getLong(MAX_OPEN_FILES, 256);
        if (max < 1 || max > 100_000) throw new ConfigException(MAX_OPEN_FILES, "must be from 1 to 100000, got " + max);
    }

    /**
     * Checks, before the run, that the sink's directory (the file's, or the one before the first
     * placeholder) exists or can be created, and is writable; nothing is created.
     *
     * @throws ConfigException on {@code path} when a file is in the way or the directory is not writable
     */
    public static void preflight(PluginContext ctx) {
        String text = ctx.config().getString(PATH);
        PathTemplate template = PathTemplate.parse(ctx, text);
        Path dir;
        if (template.isConstant()) {
            Path file = ctx.resolvePath(text);
            if (Files.isDirectory(file))
                throw new ConfigException(PATH, text + " is a directory, not a file (resolved to " + file + ")");
            dir = file.getParent();
        } else {
            dir = template.directory();
        }
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                if (!Files.isWritable(p)) {
                    throw new ConfigException(
                            PATH,
                            p.equals(dir)
                                    ? "the directory " + dir + " is not writable"
                                    : "the directory " + dir + " cannot be created: " + p + " is not writable");
                }
                return;
            }
            if (Files.exists(p)) {
                throw new ConfigException(PATH, "the directory " + dir + " cannot be created: " + p + " is a file");
            }
        }
    }

    /** A sink writing in {@code format}. */
    public static FileSink create(PluginContext ctx, SinkFormat format) {
        PluginConfig c = ctx.config();
        return new FileSink(
                PathTemplate.parse(ctx, c.getString(PATH)),
                format,
                c.getBoolean(APPEND, false),
                c.getInt(MAX_OPEN_FILES, 256));
    }
}
