package io.dataflare.plugins.files.std;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.plugins.files.csv.CsvOptions;
import io.dataflare.plugins.files.input.ByteInput;
import io.dataflare.plugins.files.input.DecodingSource;
import io.dataflare.plugins.files.input.Input;
import io.dataflare.plugins.files.jsonl.JsonlOptions;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code stdin} source: records from standard input as JSON lines or CSV, until end of input. A
 * batch is handed over as soon as no further row has arrived, so piped input flows without waiting
 * for a full batch. It cannot resume from a checkpoint.
 */
@Extension
public final class StdinSourceFactory implements SourceFactory {
    @Override
    public String name() {
        return "stdin";
    }

    @Override
    public String description() {
        return "Reads records from standard input (jsonl or csv) until end of input";
    }

    @Override
    public ConfigSpec configSpec() {
        return ByteInput.declareMaxRecord(JsonlOptions.declareRead(
                        CsvOptions.declareRead(StdStreams.declareFormat(ConfigSpec.builder()))))
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        StdStreams.format(config).validate(config);
    }

    @Override
    public Source create(PluginContext ctx) {
        return new DecodingSource(
                List.of(Input.stdin()), StdStreams.format(ctx.config()).readers(ctx), true);
    }
}
