package io.dataflare.bench.jmh;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.bench.BenchMain;
import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.PluginReference;
import io.dataflare.engine.plugin.ResolvedComponent;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One processor call on a 1,000-record batch, per kind of plugin, each loaded through the real registry
 * from the benchmark's plugin folder: the Java plugin JAR, the built-in {@code map} with {@code n2: "id * 2"},
 * the WASM module compiled and interpreted.
 * Run with {@code -Ddataflare.bench.home=benchmarks/harness/target/bench} and, for {@code map},
 * {@code -Ddataflare.home=cli/target/dataflare} (the distribution's plugins).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-XX:-DontCompileHugeMethods")
public class PluginCallBench {
    @Param({"bench-double", "map", "bench-binary:compiled", "bench-binary:interpreted"})
    public String processor;

    private Engine engine;
    private Processor instance;
    private RecordBatch batch;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path plugins = Path.of(System.getProperty("dataflare.bench.home", "benchmarks/harness/target/bench"))
                .resolve("plugins");
        engine = BenchMain.engine();
        String[] p = processor.split(":");
        ResolvedComponent c = engine.plugins().resolve(ComponentKind.PROCESSOR, PluginReference.parse(p[0]), plugins);
        PluginFactory<?> f = c.factory();
        Map<String, Object> config = p[0].equals("map")
                ? Map.of("set", Map.of("n2", "id * 2"))
                : p.length > 1 ? Map.of("mode", p[1]) : Map.of();
        instance = (Processor) f.create(SimplePluginContext.of(f, config, plugins));
        Fields fields = Fields.of("id", "key", "amount", "quantity", "name", "text");
        RecordBatch.Builder b = RecordBatch.builder(1000);
        for (long i = 0; i < 1000; i++)
            b.add(Record.of(fields, i, "k" + i % 100, 12.5, 3L, "Ada Lovelace", "amber basalt cobalt"));
        batch = b.build();
    }

    @Benchmark
    public RecordBatch process1000() throws Exception {
        return instance.process(batch);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        instance.close();
        engine.close();
    }
}
