package io.dataflare.plugins.testing;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;

/** The {@code delay} processor: sleeps per batch and per record, then passes records on (for backpressure tests). */
@Extension
public final class DelayFactory implements ProcessorFactory {
    @Override
    public String name() {
        return "delay";
    }

    @Override
    public String description() {
        return "Sleeps per batch and per record, passing records through (for backpressure tests)";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("per_batch_ms", ConfigType.LONG, 0L, "Sleep per batch, in milliseconds")
                .optional("per_record_us", ConfigType.LONG, 0L, "Sleep per record, in microseconds")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        Delays.requireNonNegative(config, "per_batch_ms", "per_record_us");
    }

    @Override
    public Processor create(PluginContext ctx) {
        long perBatchUs = TimeUnit.MILLISECONDS.toMicros(ctx.config().getLong("per_batch_ms", 0));
        long perRecordUs = ctx.config().getLong("per_record_us", 0);
        return batch -> {
            Delays.sleepMicros(perBatchUs + perRecordUs * batch.size());
            return batch.withoutRejections();
        };
    }
}
