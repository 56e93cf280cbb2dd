package io.dataflare.plugins.columnar;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import org.pf4j.Extension;

/** The {@code avro-file} sink: Avro part files, finished at each checkpoint (exactly-once across crashes). */
@Extension
public final class AvroFileSinkFactory implements SinkFactory {
    @Override
    public String name() {
        return ColumnarFormat.AVRO.plugin();
    }

    @Override
    public String description() {
        return "Writes Avro files; columns from 'schema' or inferred from the first records";
    }

    @Override
    public ConfigSpec configSpec() {
        return ColumnarOptions.sinkSpec(ColumnarFormat.AVRO);
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
        return ColumnarOptions.openSink(ctx, ColumnarFormat.AVRO);
    }
}
