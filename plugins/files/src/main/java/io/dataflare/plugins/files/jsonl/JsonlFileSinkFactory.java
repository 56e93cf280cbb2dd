package io.dataflare.plugins.files.jsonl;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.plugins.files.LineFormat;
import io.dataflare.plugins.files.output.FileSinks;
import org.pf4j.Extension;

/** The {@code jsonl-file} sink: one JSON object per line, to one file or to one per {@code {field}} value. */
@Extension
public final class JsonlFileSinkFactory implements SinkFactory {
    @Override
    public String name() {
        return "jsonl-file";
    }

    @Override
    public String description() {
        return "Writes JSON-lines files; {field} placeholders in the path split records by value";
    }

    @Override
    public ConfigSpec configSpec() {
        return FileSinks.declare(ConfigSpec.builder()).build();
    }

    @Override
    public void validate(PluginConfig config) {
        FileSinks.validate(config);
    }

    @Override
    public void preflight(PluginContext ctx) {
        FileSinks.preflight(ctx);
    }

    @Override
    public Sink create(PluginContext ctx) {
        return FileSinks.create(ctx, LineFormat.JSONL.sinkFormat(ctx));
    }
}
