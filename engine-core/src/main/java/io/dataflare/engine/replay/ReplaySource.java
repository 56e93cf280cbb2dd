package io.dataflare.engine.replay;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.util.List;
import java.util.Map;

/** The source that feeds dead letters back into the stage that failed them. */
final class ReplaySource implements SourceFactory {
    private final String name;
    private final List<Record> records;

    ReplaySource(String name, List<Record> records) {
        this.name = name;
        this.records = List.copyOf(records);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Dead letters to replay";
    }

    @Override
    public Source create(PluginContext context) {
        return new Source() {
            private int next;

            @Override
            public RecordBatch poll(int maxRecords) {
                if (next >= records.size()) return null;
                int end = Math.min(records.size(), next + maxRecords);
                RecordBatch.Builder b = RecordBatch.builder(end - next);
                for (Record r : records.subList(next, end)) b.add(r);
                next = end;
                return b.position(Map.of("index", next)).build();
            }
        };
    }
}
