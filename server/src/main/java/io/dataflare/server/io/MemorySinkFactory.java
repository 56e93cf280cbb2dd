package io.dataflare.server.io;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import java.util.Map;

/**
 * {@code memory}: keeps a task's last {@code capacity} output records in a ring buffer, read through the HTTP
 * API ({@code GET .../output}, {@code GET .../events}). Its checkpoint state is the number of records written:
 * a run resumed from a checkpoint first forgets what was written after it (the sources deliver those records
 * again), so that no offset ever holds a record twice; output offsets go on across restarts (the records
 * themselves live in memory only).
 */
public final class MemorySinkFactory implements SinkFactory {
    static final int DEFAULT_CAPACITY = 1_000;
    private static final String WRITTEN = "written";
    private static final long MAX_CAPACITY = 1_000_000;

    private final TaskIo io;

    public MemorySinkFactory(TaskIo io) {
        this.io = io;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String description() {
        return "The last records a server task wrote (GET /api/tasks/{id}/output, /events)";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("capacity", ConfigType.LONG, (long) DEFAULT_CAPACITY, "Records kept (the oldest go first)")
                .tuning("capacity")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        Capacity.of(config, DEFAULT_CAPACITY, MAX_CAPACITY);
    }

    /** The capacity a memory sink with these (validated) options has. */
    public static int capacity(PluginConfig config) {
        return config.getInt("capacity", DEFAULT_CAPACITY);
    }

    /** The checkpoint state of a memory sink writing to {@code buffer}: how many records it has written. */
    public static Map<String, Object> state(OutputBuffer buffer) {
        return Map.of(WRITTEN, buffer.total());
    }

    @Override
    public Sink create(PluginContext ctx) {
        OutputBuffer buffer = io.output(ctx.pipeline(), ctx.stage());
        if (buffer == null) {
            throw new IllegalStateException(
                    "the memory sink runs only in tasks of the DataFlare server (dataflare serve)");
        }
        return new Sink() {
            @Override
            public void write(RecordBatch batch, Rejections rejections) {
                buffer.append(batch.records());
            }

            @Override
            public Map<String, Object> checkpoint() {
                return state(buffer);
            }

            @Override
            public void restore(Map<String, Object> state) {
                if (state.get(WRITTEN) instanceof Number n) buffer.restore(n.longValue());
            }
        };
    }
}
