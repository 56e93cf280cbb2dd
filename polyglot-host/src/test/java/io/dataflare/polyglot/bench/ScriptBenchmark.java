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
import io.dataflare.polyglot.runtime.JitMode;
import io.dataflare.tck.SimplePluginContext;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * Measurements behind the host's design, not a test (timings are never assertions): run by
 * {@code polyglot-host/bench.sh}, with and without the Graal JIT.
 * <ul>
 * <li>{@code passing}: three ways to hand records to a JavaScript {@code map}: a {@link ProxyObject} view of
 * each record called from the host; a guest object built per record (converted) called from the host; the
 * batch loop inside the guest (what {@code ScriptProcessor} does).</li>
 * <li>{@code throughput}: the same transform as a plain Java processor, in JavaScript and in Python, through
 * the real {@code ScriptProcessor}.</li>
 * <li>{@code runs RUNS LANG [kept|new]}: {@link ContextRunsBenchmark}, a new instance of a stage per 1,000,000
 * records, taking its context back or starting one each time.</li>
 * </ul>
 * The transform: {@code {...r, total: r.amount * r.quantity, email: r.email.toLowerCase()}} on 6-field
 * order records, batches of 1,000; the figure is the best batch after a time-boxed warm-up.
 */
public final class ScriptBenchmark {
    static final String JS =
            "export function map(r) { return {...r, total: r.amount * r.quantity, email: r.email.toLowerCase()}; }\n";
    static final String PY =
            "def map(r):\n    return {**r, 'total': r['amount'] * r['quantity'], 'email': r['email'].lower()}\n";
    static final int BATCH = 1000;

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "throughput";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        try (Engine e = Engine.newBuilder()
                .option("engine.WarnInterpreterOnly", "false")
                .build()) {
            System.out.println(
                    "GraalVM: " + JitMode.describe(e) + "; JDK " + Runtime.version() + "; " + seconds + " s per case");
        }
        RecordBatch batch = orders(BATCH);
        String langs = args.length > 2 ? args[2] : "java,js,python";
        if (what.equals("passing")) passing(batch, seconds);
        else if (what.equals("pipeline")) PipelineBenchmark.run(langs, (long) seconds);
        else if (what.equals("runs"))
            ContextRunsBenchmark.run((int) seconds, langs, args.length <= 3 || args[3].equals("kept"));
        else throughput(batch, seconds, langs);
    }

    static RecordBatch orders(int n) {
        Fields f = Fields.of("order_id", "customer_id", "email", "amount", "quantity", "country");
        List<Record> rs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rs.add(Record.of(
                    f, (long) i, "c-" + i % 50, "User" + i + "@Example.org", i % 100 + 0.5, (long) (i % 7), "FR"));
        }
        return RecordBatch.of(rs);
    }

    // ---- throughput: Java vs JavaScript vs Python through the real processor

    static void throughput(RecordBatch batch, double seconds, String langs) throws Exception {
        Map<String, Double> rates = new LinkedHashMap<>();
        Path dir = Files.createTempDirectory("df-bench");
        for (String lang : langs.split(",")) {
            switch (lang) {
                case "java" ->
                    rates.put(
                            "java",
                            measure(
                                    "java",
                                    seconds,
                                    batch,
                                    Processor.mapping(r -> r.toBuilder()
                                            .set("total", r.getDouble("amount") * r.getLong("quantity"))
                                            .set("email", r.getString("email").toLowerCase(Locale.ROOT))
                                            .build())));
                case "js" -> rates.put("js", script(new JavaScriptHost(), dir.resolve("bench.js"), JS, batch, seconds));
                case "python" ->
                    rates.put("python", script(new PythonHost(), dir.resolve("bench.py"), PY, batch, seconds));
                default -> throw new IllegalArgumentException(lang);
            }
        }
        Double java = rates.get("java");
        if (java != null) rates.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-8s %.3fx java%n", k, v / java));
    }

    static double script(ScriptHost host, Path file, String text, RecordBatch batch, double seconds) throws Exception {
        Files.writeString(file, text);
        try (host;
                LoadedPlugin p = host.load(file, new HostContext("1.0.0"))) {
            ProcessorFactory f = (ProcessorFactory) p.components().get(0);
            try (Processor proc = f.create(SimplePluginContext.of(f, Map.of("timeout_ms", 60_000), file.getParent()))) {
                return measure(host.language(), seconds, batch, proc);
            }
        }
    }

    static double measure(String name, double seconds, RecordBatch batch, Processor proc) throws Exception {
        return measure(name, seconds, () -> {
            try {
                proc.process(batch);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static double measure(String name, double seconds, Runnable oneBatch) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long best = Long.MAX_VALUE;
        long batches = 0;
        long first = -1;
        long t0 = System.nanoTime();
        long windowStart = t0;
        long windowBatches = 0;
        StringBuilder warmup = new StringBuilder();
        while (System.nanoTime() < end) {
            long s = System.nanoTime();
            oneBatch.run();
            long e = System.nanoTime() - s;
            if (first < 0) first = e;
            best = Math.min(best, e);
            batches++;
            windowBatches++;
            if (s + e - windowStart > 5e9) { // the mean of each 5 s: shows the JIT's warm-up
                warmup.append(
                        String.format(Locale.ROOT, " %,.0f", BATCH * windowBatches * 1e9 / (s + e - windowStart)));
                windowStart = s + e;
                windowBatches = 0;
            }
        }
        double rate = BATCH * 1e9 / best;
        System.out.printf(
                Locale.ROOT,
                "%-14s best %,10.0f rec/s (%.2f us/rec); mean %,10.0f rec/s over %d batches; first batch %.1f ms%n",
                name,
                rate,
                best / 1e3 / BATCH,
                BATCH * batches * 1e9 / (System.nanoTime() - t0),
                batches,
                first / 1e6);
        if (!warmup.isEmpty()) System.out.println("               rec/s per 5 s:" + warmup);
        return rate;
    }

    // ---- record passing: ProxyObject vs converted vs loop in guest (JavaScript)

    static void passing(RecordBatch batch, double seconds) throws Exception {
        try (Engine engine = Engine.newBuilder("js")
                        .sandbox(SandboxPolicy.CONSTRAINED)
                        .out(OutputStream.nullOutputStream())
                        .err(OutputStream.nullOutputStream())
                        .option("engine.WarnInterpreterOnly", "false")
                        .build();
                Context c = Context.newBuilder("js")
                        .engine(engine)
                        .sandbox(SandboxPolicy.CONSTRAINED)
                        .out(OutputStream.nullOutputStream())
                        .err(OutputStream.nullOutputStream())
                        .build()) {
            Value map = c.eval("js", "(r => ({...r, total: r.amount * r.quantity, email: r.email.toLowerCase()}))");
            Value make = c.eval(
                    "js",
                    "((names, values) => { const o = {}; for (let i = 0; i < names.length; i++) o[names[i]] = values[i]; return o; })");
            Value names = c.asValue(
                    ProxyArray.fromList(new ArrayList<>(batch.get(0).fields().names())));
            measure("proxy", seconds, () -> hostLoop(batch, r -> map.execute(new RecordProxy(r))));
            measure(
                    "converted",
                    seconds,
                    () -> hostLoop(batch, r -> {
                        Object[] vs = new Object[r.size()];
                        for (int j = 0; j < vs.length; j++) vs[j] = r.value(j);
                        return map.execute(make.execute(names, ProxyArray.fromArray(vs)));
                    }));
        }
        Path dir = Files.createTempDirectory("df-bench");
        script(new JavaScriptHost(), dir.resolve("bench.js"), JS, batch, seconds); // loop in guest: the host's way
    }

    /** Calls the guest per record from the host and converts each result back to a record. */
    static void hostLoop(RecordBatch batch, java.util.function.Function<Record, Value> call) {
        RecordBatch.Builder out = RecordBatch.builder(batch.size());
        for (Record r : batch) {
            Value y = call.apply(r);
            Record.Builder b = Record.builder();
            for (String k : y.getMemberKeys()) {
                Value v = y.getMember(k);
                b.set(
                        k,
                        v.isString()
                                ? v.asString()
                                : v.fitsInLong() ? (Object) v.asLong() : v.isNumber() ? (Object) v.asDouble() : null);
            }
            out.add(b.build());
        }
        out.build();
    }

    /** A read-mostly view of a record for the guest; writes go to an overlay. */
    static final class RecordProxy implements ProxyObject {
        private final Record r;
        private Map<String, Object> overlay;

        RecordProxy(Record r) {
            this.r = r;
        }

        @Override
        public Object getMember(String key) {
            return overlay != null && overlay.containsKey(key) ? overlay.get(key) : r.get(key);
        }

        @Override
        public Object getMemberKeys() {
            return ProxyArray.fromList(new ArrayList<>(r.fields().names()));
        }

        @Override
        public boolean hasMember(String key) {
            return r.has(key) || overlay != null && overlay.containsKey(key);
        }

        @Override
        public void putMember(String key, Value value) {
            if (overlay == null) overlay = new LinkedHashMap<>();
            overlay.put(key, value.as(Object.class));
        }
    }
}
