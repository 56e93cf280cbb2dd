package io.dataflare.server.io;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.util.List;
import java.util.Map;

/**
 * {@code push}: the records of a task come through the HTTP API ({@code POST .../records} and
 * {@code .../attach}). An unbounded source: it waits for records until the task is stopped. Its position is
 * the sequence number of the last record of a batch; records stay in the task's queue until a checkpoint
 * covering them is durable, so that the next run reads again what a failed or cancelled run did not finish.
 */
public final class PushSourceFactory implements SourceFactory {
    static final int DEFAULT_CAPACITY = 10_000;
    static final long DEFAULT_BLOCK_MS = 1_000;
    private static final long POLL_WAIT_MS = 50;
    private static final long MAX_CAPACITY = 10_000_000;

    private final TaskIo io;

    public PushSourceFactory(TaskIo io) {
        this.io = io;
    }

    @Override
    public String name() {
        return "push";
    }

    @Override
    public String description() {
        return "Records pushed to a server task (POST /api/tasks/{id}/records, /attach)";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("capacity", ConfigType.LONG, (long) DEFAULT_CAPACITY, "Records the task's input queue holds")
                .optional(
                        "block_ms",
                        ConfigType.LONG,
                        DEFAULT_BLOCK_MS,
                        "How long a push waits for room in a full queue before it is refused (429)")
                .optional(
                        "schema",
                        ConfigType.MAP,
                        null,
                        "Field -> type (string, long, double, decimal, boolean, timestamp, bytes) for pushed values")
                .tuning("capacity", "block_ms")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        Capacity.of(config, DEFAULT_CAPACITY, MAX_CAPACITY);
        if (config.getLong("block_ms", DEFAULT_BLOCK_MS) < 0)
            throw new ConfigException("block_ms", "must not be negative");
        if (config.has("schema")) {
            for (Map.Entry<String, Object> e : config.getMap("schema").entrySet()) {
                try {
                    FieldType.fromLabel(String.valueOf(e.getValue()));
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException("schema", "field '" + e.getKey() + "': " + ex.getMessage());
                }
            }
        }
    }

    @Override
    public Source create(PluginContext ctx) {
        PushInput input = io.input(ctx.pipeline(), ctx.stage());
        if (input == null) {
            throw new IllegalStateException(
                    "the push source runs only in tasks of the DataFlare server (dataflare serve)");
        }
        PushQueue.Reader reader = input.queue().reader(); // a new run: what the last one left uncovered comes first
        return new Source() {
            @Override
            public void seek(Map<String, Object> position) {
                reader.seek(position);
            }

            @Override
            public RecordBatch poll(int maxRecords) throws InterruptedException {
                List<PushQueue.Entry> entries = reader.poll(maxRecords, POLL_WAIT_MS);
                if (entries.isEmpty()) return RecordBatch.EMPTY;
                RecordBatch.Builder b = RecordBatch.builder(entries.size());
                for (PushQueue.Entry e : entries) b.add(e.record());
                return b.position(
                                reader.position(entries.get(entries.size() - 1).seq()))
                        .build();
            }

            @Override
            public void commit(Map<String, Object> position) {
                reader.commit(position);
            }
        };
    }
}
