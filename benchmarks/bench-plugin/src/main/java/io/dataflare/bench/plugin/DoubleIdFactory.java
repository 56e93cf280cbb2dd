package io.dataflare.bench.plugin;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import org.pf4j.Extension;

/**
 * {@code bench-double}: adds {@code n2 = id * 2}, the transform every row of the benchmark applies (the
 * hand-written baseline, this Java plugin, the WASM and script modules, Camel).
 */
@Extension
public final class DoubleIdFactory implements ProcessorFactory {
    @Override
    public String name() {
        return "bench-double";
    }

    @Override
    public String description() {
        return "n2 = id * 2 (the benchmark transform)";
    }

    @Override
    public Processor create(PluginContext context) {
        return batch -> {
            RecordBatch.Builder out = RecordBatch.builder(batch.size());
            Fields last = null;
            int id = -1;
            for (int i = 0; i < batch.size(); i++) {
                Record r = batch.get(i);
                if (r.fields() != last) {
                    last = r.fields();
                    id = last.indexOf("id");
                }
                Object v = id < 0 ? null : r.value(id);
                out.add(v instanceof Long l ? r.toBuilder().set("n2", l * 2).build() : r);
            }
            return out.build();
        };
    }
}
