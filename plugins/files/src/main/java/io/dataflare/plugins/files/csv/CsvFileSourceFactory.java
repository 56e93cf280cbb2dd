package io.dataflare.plugins.files.csv;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.plugins.files.LineFormat;
import io.dataflare.plugins.files.input.FileSources;
import org.pf4j.Extension;

/**
 * The {@code csv-file} source: reads a CSV file, or every file a glob matches in name order. Rows that
 * cannot be decoded are rejected with the file and line; batches carry {@code {file, line}} positions.
 */
@Extension
public final class CsvFileSourceFactory implements SourceFactory {
    @Override
    public String name() {
        return "csv-file";
    }

    @Override
    public String description() {
        return "Reads CSV files (a file or a glob), one record per row";
    }

    @Override
    public ConfigSpec configSpec() {
        return CsvOptions.declareRead(FileSources.declare(ConfigSpec.builder())).build();
    }

    @Override
    public void validate(PluginConfig config) {
        LineFormat.CSV.validate(config);
    }

    @Override
    public void preflight(PluginContext ctx) {
        FileSources.preflight(ctx);
    }

    @Override
    public Source create(PluginContext ctx) throws Exception {
        return FileSources.open(ctx, LineFormat.CSV.readers(ctx));
    }
}
