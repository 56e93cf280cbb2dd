package io.dataflare.bench;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fixed against adaptive batching ({@code runtime.batch: {adaptive: true}}) on the same pipeline: a generated
 * source, a processor with a fixed cost per call (20 µs, as a plugin boundary: a WASM or script call), and a sink
 * that measures each record's latency from the moment it was due at the source. Three loads: a backlog (records
 * as fast as the pipeline takes them: throughput), and a steady 20,000 and 1,000 records/s (latency p50/p99).
 *
 * <p>Run: {@code java -cp 'benchmarks/harness/target/bench/lib/*' io.dataflare.bench.AdaptiveBatchBench}.
 */
public final class AdaptiveBatchBench {
    private static final Fields FIELDS = Fields.of("id", "due");
    private static final int BACKLOG = 2_000_000;
    private static final long PACED_SECONDS = 3;

    /** Latencies of the run in progress (one run at a time). */
    private static long[] latencies = new long[0];

    private static int count;

    private AdaptiveBatchBench() {}

    /** The configurations compared: the name and the pipeline's {@code runtime:} map. */
    private static final List<String[]> CONFIGS = List.of(
            new String[] {"fixed 1000 (defaults)", "{ batch_size: 1000, max_wait_ms: 200 }"},
            new String[] {"fixed 100, max_wait 5 ms", "{ batch_size: 100, max_wait_ms: 5 }"},
            new String[] {
                "adaptive (target 5 ms, 1..10000)",
                "{ batch_size: 1000, batch: { adaptive: true, target_latency_ms: 5, min: 1, max: 10000 } }"
            });

    public static void main(String[] args) throws Exception {
        try (Engine engine = Engine.builder().environment(Map.of()).build()) {
            engine.plugins()
                    .register(new LoadedPlugin(
                            PluginManifest.builder("adaptive-bench", "1.0.0", "java")
                                    .kinds(List.of("source", "sink", "processor"))
                                    .build(),
                            null,
                            List.of(new Generated(), new PerCallCost(), new Latency()),
                            null));
            for (String[] c : CONFIGS) run(engine, c[1], 0, BACKLOG / 4); // warm-up
            StringBuilder table = new StringBuilder(
                    "| configuration | backlog records/s | 20,000/s p50 / p99 ms | 1,000/s p50 / p99 ms |\n"
                            + "|---|---:|---:|---:|\n");
            for (String[] c : CONFIGS) {
                Result backlog = run(engine, c[1], 0, BACKLOG);
                Result busy = run(engine, c[1], 20_000, (int) (20_000 * PACED_SECONDS));
                Result quiet = run(engine, c[1], 1_000, (int) (1_000 * PACED_SECONDS));
                table.append(String.format(
                        Locale.ROOT,
                        "| %s | %,.0f | %.1f / %.1f | %.1f / %.1f |%n",
                        c[0],
                        backlog.perSecond,
                        busy.p50Ms,
                        busy.p99Ms,
                        quiet.p50Ms,
                        quiet.p99Ms));
            }
            System.out.print(table);
        }
    }

    private record Result(double perSecond, double p50Ms, double p99Ms) {}

    private static Result run(Engine engine, String runtime, int rate, int records) throws Exception {
        latencies = new long[records];
        count = 0;
        String yaml = """
                name: adaptive-bench
                sources: { in: { use: generated, with: { records: %d, rate: %d } } }
                processors: { p: { use: per-call-cost, from: in } }
                sinks: { out: { use: latency, from: p } }
                runtime: %s
                """.formatted(records, rate, runtime);
        long t0 = System.nanoTime();
        PipelineResult r = engine.run(engine.load(yaml, "adaptive-bench.yaml", ConfigReader.Format.YAML, Path.of(".")));
        long nanos = System.nanoTime() - t0;
        if (r.state() != PipelineState.COMPLETED || count != records)
            throw new IllegalStateException(r.state() + " " + r.failure() + ", " + count + " of " + records);
        long[] l = Arrays.copyOf(latencies, count);
        Arrays.sort(l);
        return new Result(records / (nanos / 1e9), l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6);
    }

    /** {@code generated}: {@code records} records, each due at its time at {@code rate} per second (0: all now). */
    static final class Generated implements SourceFactory {
        @Override
        public String name() {
            return "generated";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .required("records", ConfigType.LONG, "records")
                    .required("rate", ConfigType.LONG, "records per second, 0 for as fast as taken")
                    .build();
        }

        @Override
        public Source create(PluginContext ctx) {
            long records = ctx.config().getLong("records");
            long rate = ctx.config().getLong("rate");
            return new Source() {
                long next;
                long start = -1;

                @Override
                public RecordBatch poll(int max) {
                    if (next >= records) return null;
                    long now = System.nanoTime();
                    if (start < 0) start = now;
                    RecordBatch.Builder b = RecordBatch.builder(Math.min(max, 1024));
                    for (int i = 0; i < max && next < records; i++, next++) {
                        long due = rate == 0 ? now : start + next * 1_000_000_000L / rate;
                        if (due > now) break;
                        b.add(Record.of(FIELDS, next, due));
                    }
                    return b.build();
                }
            };
        }
    }

    /** {@code per-call-cost}: 20 µs per call whatever the batch, as crossing into a sandboxed plugin costs. */
    static final class PerCallCost implements ProcessorFactory {
        @Override
        public String name() {
            return "per-call-cost";
        }

        @Override
        public Processor create(PluginContext ctx) {
            return b -> {
                long until = System.nanoTime() + 20_000;
                while (System.nanoTime() < until) Thread.onSpinWait();
                return b;
            };
        }
    }

    /** {@code latency}: each record's time from due to written. */
    static final class Latency implements SinkFactory {
        @Override
        public String name() {
            return "latency";
        }

        @Override
        public Sink create(PluginContext ctx) {
            return new Sink() {
                @Override
                public void write(RecordBatch batch, Rejections rejections) {
                    long now = System.nanoTime();
                    for (Record r : batch) latencies[count++] = now - r.getLong("due");
                }
            };
        }
    }
}
