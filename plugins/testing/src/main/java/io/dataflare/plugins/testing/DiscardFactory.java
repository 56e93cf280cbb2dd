package io.dataflare.plugins.testing;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.sink.SinkFactory;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;

/** The {@code discard} sink: drops records, counting them, optionally slowly (for backpressure tests). */
@Extension
public final class DiscardFactory implements SinkFactory {
    @Override
    public String name() {
        return "discard";
    }

    @Override
    public String description() {
        return "Drops records, counting them (metric 'discarded'); delay_ms makes it a slow sink";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("delay_ms", ConfigType.LONG, 0L, "Sleep per batch, in milliseconds")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        Delays.requireNonNegative(config, "delay_ms");
    }

    @Override
    public DiscardSink create(PluginContext ctx) {
        long delayUs = TimeUnit.MILLISECONDS.toMicros(ctx.config().getLong("delay_ms", 0));
        return new DiscardSink(delayUs, ctx);
    }
}
