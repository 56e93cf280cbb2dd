package io.dataflare.plugins.testing;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import org.pf4j.Extension;

/**
 * The {@code flaky} processor: its first {@code failures} calls (per instance) throw a
 * {@link PluginException} of class {@code error_class}; later calls pass records through. For testing
 * retry policies.
 */
@Extension
public final class FlakyFactory implements ProcessorFactory {
    @Override
    public String name() {
        return "flaky";
    }

    @Override
    public String description() {
        return "Fails its first calls, then passes records through (for testing retries)";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("failures", ConfigType.LONG, 1L, "How many calls fail first")
                .optional("error_class", ConfigType.STRING, ErrorClass.IO, "The error class of the failures")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        if (config.getLong("failures", 1) < 0) throw new ConfigException("failures", "must not be negative");
    }

    @Override
    public Processor create(PluginContext ctx) {
        return new FlakyProcessor(
                ctx.config().getLong("failures", 1), ctx.config().getString("error_class", ErrorClass.IO));
    }

    private static final class FlakyProcessor implements Processor {
        private final long failures;
        private final String errorClass;
        private long calls;

        FlakyProcessor(long failures, String errorClass) {
            this.failures = failures;
            this.errorClass = errorClass;
        }

        @Override
        public RecordBatch process(RecordBatch batch) {
            if (calls < failures) {
                calls++;
                throw new PluginException(errorClass, "flaky: failure " + calls + " of " + failures);
            }
            return batch.withoutRejections();
        }
    }
}
