package io.dataflare.plugins.columnar;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;

/** A sink writing part files of one format, finished at each checkpoint (exactly-once across crashes). */
abstract class ColumnarSinkFactory extends ColumnarPlugin implements SinkFactory {
    ColumnarSinkFactory(ColumnarFormat format) {
        super(format);
    }

    @Override
    public String description() {
        return "Writes " + format.label() + " files; columns from 'schema' or inferred from the first records";
    }

    @Override
    public ConfigSpec configSpec() {
        return ColumnarOptions.sinkSpec(format);
    }

    @Override
    public void validate(PluginConfig config) {
        ColumnarOptions.validateSink(config);
    }

    @Override
    public void preflight(PluginContext ctx) {
        ColumnarOptions.preflightSink(ctx);
    }

    @Override
    public Sink create(PluginContext ctx) {
        return ColumnarOptions.openSink(ctx, format);
    }
}
