package io.dataflare.plugins.files.std;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.plugins.files.csv.CsvOptions;
import io.dataflare.plugins.files.output.StreamSink;
import org.pf4j.Extension;

/** The {@code stdout} sink: records to standard output as JSON lines or CSV. */
@Extension
public final class StdoutSinkFactory implements SinkFactory {
    @Override
    public String name() {
        return "stdout";
    }

    @Override
    public String description() {
        return "Writes records to standard output (jsonl or csv)";
    }

    @Override
    public ConfigSpec configSpec() {
        return CsvOptions.declareCommon(StdStreams.declareFormat(ConfigSpec.builder()))
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        StdStreams.format(config).validate(config);
    }

    @Override
    public Sink create(PluginContext ctx) throws Exception {
        // Read System.out when the instance is created, so that a redirected stream is honoured.
        return new StreamSink(StdStreams.format(ctx.config()).sinkFormat(ctx).open(System.out, "stdout", true));
    }
}
