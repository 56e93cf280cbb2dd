package io.dataflare.sdk.wasm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.PluginContext;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.tck.SimplePluginContext;
import io.dataflare.wasm.WasmPluginHost;
import io.dataflare.wasm.codec.BatchCodec;
import io.dataflare.wasm.testing.WasmTestKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.extism.sdk.chicory.Manifest;
import org.extism.sdk.chicory.ManifestWasm;
import org.extism.sdk.chicory.Plugin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timed harness (not a unit test: nothing here asserts a timing). The same transform, n2 = id * 2,
 * on batches of 1,000 records shaped like the generator's (id, key, amount, name, text), called
 * directly on processor instances: Java; the DataFlare ABI with the binary and the JSON encoding,
 * compiled and interpreted; an Extism plugin on this host and on Extism's chicory-sdk 0.1.6. Also
 * times the host's encode + decode alone per encoding. Run with
 * {@code mvn -B -q -pl sdk-examples/wasm -am verify -Dbench.excluded=none -Dtest=ThroughputBench -Dsurefire.failIfNoSpecifiedTests=false};
 * the figures go to {@code sdk-examples/wasm/target/bench-results.txt}.
 */
@Tag("bench")
class ThroughputBench {
    private static final int BATCH = 1000;
    private static final long WARM_MS = Long.getLong("bench.warm", 3000);
    private static final long MEASURE_MS = Long.getLong("bench.measure", 5000);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RecordBatch> data = data();
    private final StringBuilder report = new StringBuilder();

    private static List<RecordBatch> data() {
        Random rnd = new Random(42);
        Fields f = Fields.of("id", "key", "amount", "name", "text");
        String[] words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
        List<RecordBatch> out = new ArrayList<>();
        long id = 0;
        for (int b = 0; b < 20; b++) {
            RecordBatch.Builder bb = RecordBatch.builder(BATCH);
            for (int i = 0; i < BATCH; i++, id++) {
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 6; w++)
                    text.append(words[rnd.nextInt(words.length)]).append(' ');
                bb.add(Record.of(
                        f,
                        id,
                        "k" + id % 100,
                        rnd.nextDouble() * 1000,
                        "name-" + rnd.nextInt(10_000),
                        text.toString().trim()));
            }
            out.add(bb.build());
        }
        return out;
    }

    @Test
    void processorThroughput() throws Exception {
        Path dir = Path.of("bench");
        line("records/s, batches of " + BATCH + " records, n2 = id * 2, "
                + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version"));
        try (WasmPluginHost host = new WasmPluginHost((Path) null);
                LoadedPlugin binary = host.load(dir.resolve("bench-binary-1.0.0.wasm"), new HostContext("1.0.0"));
                LoadedPlugin json = host.load(dir.resolve("bench-json-1.0.0.wasm"), new HostContext("1.0.0"));
                LoadedPlugin extism = host.load(dir.resolve("bench-extism-1.0.0.wasm"), new HostContext("1.0.0"))) {
            double java = measure(
                    "java processor",
                    Processor.mapping(
                            r -> r.toBuilder().set("n2", r.getLong("id") * 2).build()));
            double compiledBinary = measure("wasm compiled, binary", create(binary, Map.of()));
            double compiledJson = measure("wasm compiled, json", create(json, Map.of()));
            measure("wasm interpreted, binary", create(binary, Map.of("mode", "interpreted")));
            measure("wasm interpreted, json", create(json, Map.of("mode", "interpreted")));
            measure("extism plugin on this host, compiled", create(extism, Map.of("function", "double")));
            measure(
                    "extism plugin on chicory-sdk 0.1.6, aot",
                    extismSdk(Files.readAllBytes(dir.resolve("bench-extism-1.0.0.wasm"))));
            line(String.format(
                    "ratio wasm compiled binary / java: %.2f; json / java: %.2f",
                    compiledBinary / java, compiledJson / java));
            codecCost("json", BatchCodec.of(0));
            codecCost("binary", BatchCodec.of(1));
        }
        save();
    }

    /**
     * The same comparison through the engine: a source replaying the same records (1M) -> processor
     * -> a sink that only counts, batches of 1,000, one worker per stage. Wall time of the run, records/s.
     */
    @Test
    void pipelineThroughput(@TempDir Path plugins) throws Exception {
        long count = Long.getLong("bench.records", 1_000_000);
        try (WasmTestKit kit = new WasmTestKit(plugins)) {
            for (String m : new String[] {"binary", "json", "extism"})
                kit.install(Path.of("bench/bench-" + m + "-1.0.0.wasm"));
            kit.inProcess()
                    .processor(
                            "java-double",
                            () -> Processor.mapping(r ->
                                    r.toBuilder().set("n2", r.getLong("id") * 2).build()));
            kit.inProcess().add(new CountSink()).add(new RowsSource(data));
            line("pipeline rows -> processor -> count sink, " + count
                    + " records (interpreted, extism: a tenth), records/s:");
            String[][] runs = {
                {"java processor", "java-double", "{}"},
                {"wasm compiled, binary", "bench-binary", "{}"},
                {"wasm compiled, json", "bench-json", "{}"},
                {"wasm interpreted, binary", "bench-binary", "{ mode: interpreted }"},
                {"extism plugin on this host", "bench-extism", "{ function: double }"}
            };
            for (int round = 0; round < 2; round++) {
                for (String[] r : runs) {
                    long n = r[0].contains("interpreted") || r[0].contains("extism") ? count / 10 : count;
                    long t0 = System.nanoTime();
                    PipelineResult res = kit.run("sources: { in: { use: rows, with: { count: " + n + " } } }\n"
                            + "processors: { p: { use: " + r[1] + ", from: in, with: " + r[2] + " } }\n"
                            + "sinks: { out: { use: count, from: p } }\n"
                            + "runtime: { batch_size: 1000 }\n");
                    double perSec = n / ((System.nanoTime() - t0) / 1e9);
                    assertThat(res.stats().recordsOut()).isEqualTo(n);
                    if (round == 1) line(String.format("  %-40s %,12.0f", r[0], perSec)); // round 0 warms up
                }
            }
        }
        save();
    }

    /** {@code rows}: replays the benchmark's batches until {@code count} records. */
    record RowsSource(List<RecordBatch> data) implements SourceFactory {
        @Override
        public String name() {
            return "rows";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .required("count", ConfigType.LONG, "records")
                    .build();
        }

        @Override
        public Source create(PluginContext context) {
            long count = context.config().getLong("count");
            return new Source() {
                long sent;

                @Override
                public RecordBatch poll(int max) {
                    if (sent >= count) return null;
                    RecordBatch b = data.get((int) (sent / BATCH % data.size()));
                    sent += b.size();
                    return b;
                }
            };
        }
    }

    /** {@code count}: a sink that keeps nothing. */
    static final class CountSink implements SinkFactory {
        @Override
        public String name() {
            return "count";
        }

        @Override
        public Sink create(PluginContext context) {
            return (batch, rejections) -> {};
        }
    }

    private void save() throws IOException {
        Files.createDirectories(Path.of("target"));
        Files.writeString(
                Path.of("target/bench-results.txt"), report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static Processor create(LoadedPlugin p, Map<String, Object> with) throws Exception {
        @SuppressWarnings("unchecked")
        PluginFactory<Processor> f =
                (PluginFactory<Processor>) (PluginFactory<?>) p.components().get(0);
        return f.create(SimplePluginContext.of(f, with, Path.of(".")));
    }

    /** Extism's SDK, per record, with the record as JSON in and out, as the Extism mode does. */
    private static Processor extismSdk(byte[] wasm) {
        Plugin plugin = Plugin.ofManifest(
                        Manifest.ofWasms(ManifestWasm.fromBytes(wasm).build())
                                .withOptions(new Manifest.Options().withAoT(true))
                                .build())
                .build();
        return Processor.mapping(r -> {
            byte[] out = plugin.call("double", JSON.writeValueAsBytes(r.asMap()));
            return r.toBuilder()
                    .set(
                            "n2",
                            JSON.readValue(out, new TypeReference<Map<String, Object>>() {})
                                    .get("n2"))
                    .build();
        });
    }

    private double measure(String name, Processor p) throws Exception {
        RecordBatch check = p.process(data.get(0));
        assertThat(check.size()).isEqualTo(BATCH);
        assertThat(check.get(7).getLong("n2")).isEqualTo(data.get(0).get(7).getLong("id") * 2);
        run(p, WARM_MS);
        long t0 = System.nanoTime();
        long records = run(p, MEASURE_MS);
        double perSec = records / ((System.nanoTime() - t0) / 1e9);
        line(String.format("%-42s %,12.0f", name, perSec));
        p.close();
        return perSec;
    }

    private long run(Processor p, long ms) throws Exception {
        long end = System.nanoTime() + ms * 1_000_000;
        long n = 0;
        for (int i = 0; System.nanoTime() < end; i++)
            n += p.process(data.get(i % data.size())).size();
        return n;
    }

    /** The host's share of a call: encoding the input and decoding an output of the same shape. */
    private void codecCost(String name, BatchCodec codec) {
        long end = System.nanoTime() + WARM_MS * 1_000_000;
        for (int i = 0; System.nanoTime() < end; i++)
            codec.decode(codec.encode(data.get(i % data.size())), data.get(i % data.size()));
        long t0 = System.nanoTime();
        long records = 0;
        long bytes = 0;
        end = t0 + MEASURE_MS * 1_000_000;
        for (int i = 0; System.nanoTime() < end; i++) {
            RecordBatch b = data.get(i % data.size());
            byte[] e = codec.encode(b);
            bytes += e.length;
            records += codec.decode(e, b).size();
        }
        double ns = (System.nanoTime() - t0) / (double) records;
        line(String.format(
                "host encode+decode, %-6s %8.0f ns/record, %5.0f bytes/record", name, ns, bytes / (double) records));
    }

    private void line(String s) {
        System.out.println(s);
        report.append(s).append('\n');
    }
}
