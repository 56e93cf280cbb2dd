package io.dataflare.plugins.files.input;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import java.io.IOException;

/** The {@code path} option of file sources and how they open: a glob's files, decoded in name order. */
public final class FileSources {
    /** The option naming the file or glob. */
    public static final String PATH = "path";

    private FileSources() {
    }

    /** Declares {@code path}. */
    public static ConfigSpec.Builder declare(ConfigSpec.Builder spec) {
        return ByteInput.declareMaxRecord(spec.required(PATH, ConfigType.STRING,
                "File or glob (data/*.csv), relative to the pipeline file; files are read in name order"));
    }

    /**
     * A source over the files {@code path} matches.
     *
     * @throws io.dataflare.api.config.ConfigException when nothing matches
     */
    public static DecodingSource open(PluginContext ctx, RowReaderFactory readers) throws IOException {
        return new DecodingSource(Input.files(FileGlob.expand(ctx, PATH, ctx.config().getString(PATH))), readers, false);
    }
}
