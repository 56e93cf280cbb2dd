package io.dataflare.polyglot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.PluginContext;
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
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.testing.InProcessPlugins;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The same pipeline with the processor in Java, JavaScript and Python, the comparison the performance targets
 * are stated for (BENCHMARKS.md): CSV text parsed into order records -> the processor -> each record written
 * as a JSON line (to a null stream). The source and sink do the file plugins' kind of work in process
 * (split + number parsing; Jackson), so that only the processor's language changes between runs. {@code records} per run; runs repeat
 * for {@link #WARMUP_SECONDS} (at least two) so the JIT warms up; the last one is reported.
 */
final class PipelineBenchmark {
    /** Rounds repeat for at least this long; the last one is reported. */
    static final double WARMUP_SECONDS = Double.parseDouble(System.getProperty("warmup", "45"));

    private PipelineBenchmark() {}

    static void run(String langs, long records) throws Exception {
        Path dir = Files.createTempDirectory("df-pipeline-bench");
        Files.writeString(dir.resolve("enrich.js"), ScriptBenchmark.JS);
        Files.writeString(dir.resolve("enrich.py"), ScriptBenchmark.PY);
        InProcessPlugins plugins = new InProcessPlugins()
                .processor(
                        "enrich-java",
                        () -> Processor.mapping(r -> r.toBuilder()
                                .set("total", r.getDouble("amount") * r.getLong("quantity"))
                                .set("email", r.getString("email").toLowerCase(Locale.ROOT))
                                .build()))
                .add(new CsvText())
                .add(new JsonLines());
        Map<String, Double> rates = new LinkedHashMap<>();
        try (Engine engine = Engine.builder().environment(Map.of()).build()) {
            engine.plugins().register(plugins.plugin());
            for (String lang : langs.split(",")) {
                String use = switch (lang) {
                    case "java" -> "enrich-java";
                    case "js" -> "./enrich.js";
                    case "python" -> "./enrich.py";
                    default -> throw new IllegalArgumentException(lang);
                };
                String yaml = """
                        sources: { in: { use: csv-text, with: { count: %d } } }
                        processors: { enrich: { use: %s, from: in, with: %s } }
                        sinks: { out: { use: json-lines, from: enrich } }
                        runtime: { batch_size: 1000 }
                        """.formatted(records, use, lang.equals("java") ? "{}" : "{ timeout_ms: 60000 }");
                double rate = 0;
                long until = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
                for (int round = 0;
                        round < 2 || System.nanoTime() < until;
                        round++) { // the JIT needs ~20 s on 2 busy cores
                    PipelineResult r = engine.run(engine.load(yaml, "bench.yaml", ConfigReader.Format.YAML, dir));
                    rate = records * 1000.0 / Math.max(1, r.stats().durationMs());
                    System.out.printf(
                            Locale.ROOT,
                            "%-8s run %d: %s, %,d records in %.1f s: %,.0f rec/s%n",
                            lang,
                            round + 1,
                            r.state(),
                            r.stats().recordsOut(),
                            r.stats().durationMs() / 1000.0,
                            rate);
                }
                rates.put(lang, rate);
            }
        }
        Double java = rates.get("java");
        if (java != null)
            rates.forEach((k, v) ->
                    System.out.printf(Locale.ROOT, "  %-8s %.2fx the Java processor's pipeline%n", k, v / java));
    }

    /** {@code csv-text}: order rows as CSV text, parsed with the schema (order_id, quantity: long; amount: double). */
    static final class CsvText implements SourceFactory {
        @Override
        public String name() {
            return "csv-text";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .required("count", ConfigType.LONG, "rows")
                    .build();
        }

        @Override
        public Source create(PluginContext ctx) {
            long count = ctx.config().getLong("count");
            Fields f = Fields.of("order_id", "customer_id", "email", "amount", "quantity", "country");
            return new Source() {
                long next;

                @Override
                public RecordBatch poll(int max) {
                    if (next >= count) return null;
                    RecordBatch.Builder b = RecordBatch.builder(max);
                    for (int i = 0; i < max && next < count; i++, next++) {
                        String line = next + ",c-" + next % 50 + ",User" + next + "@Example.org," + (next % 100) + ".5,"
                                + next % 7 + ",FR";
                        String[] v = line.split(",", -1);
                        b.add(Record.of(
                                f,
                                Long.parseLong(v[0]),
                                v[1],
                                v[2],
                                Double.parseDouble(v[3]),
                                Long.parseLong(v[4]),
                                v[5]));
                    }
                    return b.build();
                }
            };
        }
    }

    /** {@code json-lines}: writes each record as a JSON line to a null stream. */
    static final class JsonLines implements SinkFactory {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public String name() {
            return "json-lines";
        }

        @Override
        public Sink create(PluginContext ctx) {
            OutputStream out = OutputStream.nullOutputStream();
            return (batch, rejections) -> {
                for (Record r : batch) {
                    out.write(JSON.writeValueAsBytes(r.asMap()));
                    out.write('\n');
                }
            };
        }
    }
}
