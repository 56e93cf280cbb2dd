package io.dataflare.engine.testing;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code quiet}: {@code count} records {@code id}, {@code key} = "k" + id % keys, then empty polls for ever
 * (an unbounded source that has nothing more to say).
 */
public final class QuietSource implements SourceFactory {
    /** Empty polls so far (all instances). */
    public static volatile long polledEmpty;

    @Override
    public String name() {
        return "quiet";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("count", ConfigType.LONG, "records")
                .optional("keys", ConfigType.LONG, 10L, "distinct keys")
                .build();
    }

    @Override
    public Source create(PluginContext ctx) {
        long count = ctx.config().getLong("count");
        long keys = ctx.config().getLong("keys");
        Fields fields = Fields.of("id", "key");
        Function<Long, Map<String, Object>> position = n -> Map.of("next", n);
        return new Source() {
            long next;

            @Override
            public void seek(Map<String, Object> p) {
                next = ((Number) p.get("next")).longValue();
            }

            @Override
            public RecordBatch poll(int max) throws InterruptedException {
                RecordBatch.Builder b = RecordBatch.builder(max);
                for (int i = 0; i < max && next < count; i++, next++)
                    b.add(Record.of(fields, next, "k" + (next % keys)));
                if (b.size() == 0) {
                    polledEmpty++;
                    Thread.sleep(5);
                }
                return b.position(position.apply(next)).build();
            }
        };
    }
}
