package io.dataflare.plugins.testing;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code fail} processor: records whose {@code field}, rendered as a string, equals {@code equals}
 * fail; the others pass through. In {@code reject} mode they are rejected (reason "matched fail rule
 * field=value"); in {@code throw} mode the whole call throws, so the engine retries the batch and then
 * isolates the failing records.
 */
@Extension
public final class FailFactory implements ProcessorFactory {
    @Override
    public String name() {
        return "fail";
    }

    @Override
    public String description() {
        return "Fails records whose field equals a value (for testing error policies)";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("field", ConfigType.STRING, "The field to look at")
                .required("equals", ConfigType.STRING, "The value (as a string) that fails a record")
                .oneOf(
                        "mode",
                        "reject",
                        List.of("reject", "throw"),
                        "reject: reject the record; throw: fail the whole call")
                .build();
    }

    @Override
    public Processor create(PluginContext ctx) {
        PluginConfig c = ctx.config();
        return new FailProcessor(c.getString("field"), c.getString("equals"), "throw".equals(c.getString("mode")));
    }

    private record FailProcessor(String field, String value, boolean throwing) implements Processor {
        @Override
        public RecordBatch process(RecordBatch batch) {
            RecordBatch.Builder out = RecordBatch.builder(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Record r = batch.get(i);
                if (!value.equals(r.getString(field))) {
                    out.add(r);
                } else if (throwing) {
                    throw new IllegalStateException("fail rule matched " + field + "=" + value);
                } else {
                    out.reject(r, "matched fail rule " + field + "=" + value);
                }
            }
            return out.build();
        }
    }
}
