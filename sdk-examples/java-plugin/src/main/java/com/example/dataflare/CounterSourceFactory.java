package com.example.dataflare;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code counter}: {@code count} records {@code n} = 0, 1, 2... with {@code text} = "{prefix} n".
 * The engine polls it in a loop; it returns at most what is asked, and null when done.
 */
@Extension
public class CounterSourceFactory implements SourceFactory {
    private static final Fields FIELDS = Fields.of("n", "text");

    @Override
    public String name() {
        return "counter";
    }

    @Override
    public String description() {
        return "Counts from 0 to count - 1";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("count", ConfigType.LONG, "How many records")
                .optional("prefix", ConfigType.STRING, "record number", "The words before the number in 'text'")
                .build();
    }

    @Override
    public Source create(PluginContext ctx) {
        long count = ctx.config().getLong("count");
        String prefix = ctx.config().getString("prefix");
        return new Source() {
            private long next;

            @Override
            public RecordBatch poll(int max) {
                if (next >= count) return null;
                RecordBatch.Builder b = RecordBatch.builder(max);
                for (int i = 0; i < max && next < count; i++, next++) b.add(Record.of(FIELDS, next, prefix + " " + next));
                return b.position(Map.of("next", next)).build();
            }

            @Override
            public void seek(Map<String, Object> position) {
                next = ((Number) position.get("next")).longValue();
            }
        };
    }
}
