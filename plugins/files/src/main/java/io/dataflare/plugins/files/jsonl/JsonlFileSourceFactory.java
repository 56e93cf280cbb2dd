package io.dataflare.plugins.files.jsonl;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.plugins.files.LineFormat;
import io.dataflare.plugins.files.input.FileSources;
import org.pf4j.Extension;

/**
 * The {@code jsonl-file} source: one JSON object per line, from a file or a glob's files in name order.
 * Broken or non-object lines are rejected with the file, line and parser message. {@code decimals: exact}
 * reads numbers with a fraction as exact decimals.
 */
@Extension
public final class JsonlFileSourceFactory implements SourceFactory {
    @Override
    public String name() {
        return "jsonl-file";
    }

    @Override
    public String description() {
        return "Reads JSON-lines files (a file or a glob), one record per line";
    }

    @Override
    public ConfigSpec configSpec() {
        return JsonlOptions.declareRead(FileSources.declare(ConfigSpec.builder()))
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        LineFormat.JSONL.validate(config);
    }

    @Override
    public void preflight(PluginContext ctx) {
        FileSources.preflight(ctx);
    }

    @Override
    public Source create(PluginContext ctx) throws Exception {
        return FileSources.open(ctx, LineFormat.JSONL.readers(ctx));
    }
}
