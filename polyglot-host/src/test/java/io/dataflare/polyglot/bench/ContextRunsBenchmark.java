package io.dataflare.polyglot.bench;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.polyglot.JavaScriptHost;
import io.dataflare.polyglot.PythonHost;
import io.dataflare.polyglot.ScriptHost;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs of a stage one after the other in one JVM, as a restarted task or a benchmark's rounds make them: each
 * run a new processor instance that processes 1,000,000 records (the harness's script, {@code n2 = id * 2}) and
 * closes. {@code kept}: every run is instance 0 of the stage, so it takes back the context the run before kept;
 * {@code new}: every run is another instance, so it starts a context of its own. Prints each run's rate.
 */
final class ContextRunsBenchmark {
    private static final String JS = "export function map(r) { r.n2 = r.id * 2; return r; }\n";
    private static final String PY = "def map(r):\n    r['n2'] = r['id'] * 2\n    return r\n";
    private static final int BATCHES = 1000;

    private ContextRunsBenchmark() {}

    /** 1,000 records shaped like the harness's CSV rows. */
    private static RecordBatch records() {
        Fields f = Fields.of("id", "name", "email", "amount", "qty", "country");
        List<Record> rs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rs.add(Record.of(
                    f, (long) i, "c-" + i % 50, "User" + i + "@Example.org", i % 100 + 0.5, (long) (i % 7), "FR"));
        }
        return RecordBatch.of(rs);
    }

    static void run(int runs, String lang, boolean kept) throws Exception {
        RecordBatch batch = records();
        Path dir = Files.createTempDirectory("df-runs");
        boolean python = lang.equals("python");
        Path file = Files.writeString(dir.resolve(python ? "runs.py" : "runs.js"), python ? PY : JS);
        try (ScriptHost host = python ? new PythonHost() : new JavaScriptHost();
                LoadedPlugin p = host.load(file, new HostContext("1.0.0"))) {
            ProcessorFactory f = (ProcessorFactory) p.components().get(0);
            SimplePluginContext ctx = SimplePluginContext.of(f, Map.of("timeout_ms", 60_000), dir);
            for (int run = 0; run < runs; run++) {
                long t0 = System.nanoTime();
                try (Processor proc = f.create(ctx.asInstance(kept ? 0 : run, runs))) {
                    long t1 = System.nanoTime();
                    for (int b = 0; b < BATCHES; b++) proc.process(batch);
                    long t2 = System.nanoTime();
                    System.out.printf(
                            Locale.ROOT,
                            "run %2d (%s context): started in %,5d ms, %.2f M rec/s%n",
                            run,
                            kept ? "kept" : "new",
                            (t1 - t0) / 1_000_000,
                            (double) BATCHES * batch.size() / ((t2 - t1) / 1e9) / 1e6);
                }
            }
        }
    }
}
