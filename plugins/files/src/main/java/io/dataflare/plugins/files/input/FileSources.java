package io.dataflare.plugins.files.input;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.source.Source;
import io.dataflare.support.files.FileGlob;
import java.io.IOException;

/** The {@code path} option of file sources and how they open: a glob's files, decoded in name order. */
public final class FileSources {
    /** The option naming the file or glob. */
    public static final String PATH = "path";
    /** The option that keeps the source reading new files as they arrive. */
    public static final String WATCH = "watch";
    /** How often a watching source lists its folder. */
    public static final String WATCH_INTERVAL_MS = "watch_interval_ms";

    private FileSources() {}

    /** Declares {@code path}. */
    public static ConfigSpec.Builder declare(ConfigSpec.Builder spec) {
        return ByteInput.declareMaxRecord(spec.required(
                        PATH,
                        ConfigType.STRING,
                        "File or glob (data/*.csv), relative to the pipeline file; files are read in name order")
                .optional(
                        WATCH,
                        ConfigType.BOOLEAN,
                        false,
                        "Keep reading new files as they arrive in the folder or glob of 'path'; the source never ends")
                .optional(
                        WATCH_INTERVAL_MS,
                        ConfigType.LONG,
                        1000L,
                        "With watch: how often the folder is listed; a file is read once its size and time "
                                + "stayed unchanged for one interval"));
    }

    /** Checks the watch options' values. */
    public static void validate(PluginConfig config) {
        if (config.has(WATCH_INTERVAL_MS)) interval(config);
    }

    private static boolean watching(PluginContext ctx) {
        return ctx.config().getBoolean(WATCH, false);
    }

    private static long interval(PluginConfig config) {
        long ms = config.getLong(WATCH_INTERVAL_MS, 1000L);
        if (ms < 10 || ms > 3_600_000) {
            throw new ConfigException(WATCH_INTERVAL_MS, "must be from 10 to 3600000 (one hour), got " + ms);
        }
        return ms;
    }

    /**
     * Checks, before the run, that {@code path} names a file or matches some (only the file system's
     * metadata is read).
     *
     * @throws ConfigException on {@code path} when nothing matches or the files cannot be listed
     */
    public static void preflight(PluginContext ctx) {
        String pattern = ctx.config().getString(PATH);
        if (watching(ctx)) {
            WatchedFolder.of(ctx, pattern);
            return;
        }
        try {
            FileGlob.expand(ctx, PATH, pattern);
        } catch (IOException e) {
            throw new ConfigException(PATH, "cannot list the files of " + pattern + ": " + e.getMessage());
        }
    }

    /**
     * A source over the files {@code path} matches.
     *
     * @throws io.dataflare.api.config.ConfigException when nothing matches
     */
    public static Source open(PluginContext ctx, RowReaderFactory readers) throws IOException {
        if (watching(ctx)) {
            String pattern = ctx.config().getString(PATH);
            return new WatchingSource(WatchedFolder.of(ctx, pattern), readers, interval(ctx.config()));
        }
        return new DecodingSource(
                Input.files(FileGlob.expand(ctx, PATH, ctx.config().getString(PATH))), readers, false);
    }
}
