package io.dataflare.plugins.files.input;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import java.io.IOException;

/** The {@code path} option of file sources and how they open: a glob's files, decoded in name order. */
public final class FileSources {
    /** The option naming the file or glob. */
    public static final String PATH = "path";

    private FileSources() {}

    /** Declares {@code path}. */
    public static ConfigSpec.Builder declare(ConfigSpec.Builder spec) {
        return ByteInput.declareMaxRecord(spec.required(
                PATH,
                ConfigType.STRING,
                "File or glob (data/*.csv), relative to the pipeline file; files are read in name order"));
    }

    /**
     * Checks, before the run, that {@code path} names a file or matches some (only the file system's
     * metadata is read).
     *
     * @throws ConfigException on {@code path} when nothing matches or the files cannot be listed
     */
    public static void preflight(PluginContext ctx) {
        String pattern = ctx.config().getString(PATH);
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
    public static DecodingSource open(PluginContext ctx, RowReaderFactory readers) throws IOException {
        return new DecodingSource(
                Input.files(FileGlob.expand(ctx, PATH, ctx.config().getString(PATH))), readers, false);
    }
}
