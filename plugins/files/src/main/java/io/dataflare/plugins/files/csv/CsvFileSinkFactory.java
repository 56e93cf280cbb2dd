package io.dataflare.plugins.files.csv;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.plugins.files.LineFormat;
import io.dataflare.plugins.files.output.FileSinks;
import org.pf4j.Extension;

/** The {@code csv-file} sink: writes CSV rows, to one file or to one per {@code {field}} value. */
@Extension
public final class CsvFileSinkFactory implements SinkFactory {
    @Override
    public String name() {
        return "csv-file";
    }

    @Override
    public String description() {
        return "Writes CSV files; {field} placeholders in the path split records by value";
    }

    @Override
    public ConfigSpec configSpec() {
        return CsvOptions.declareCommon(FileSinks.declare(ConfigSpec.builder())).build();
    }

    @Override
    public void validate(PluginConfig config) {
        FileSinks.validate(config);
        LineFormat.CSV.validate(config);
    }

    @Override
    public void preflight(PluginContext ctx) {
        FileSinks.preflight(ctx);
    }

    @Override
    public Sink create(PluginContext ctx) {
        return FileSinks.create(ctx, LineFormat.CSV.sinkFormat(ctx));
    }
}
