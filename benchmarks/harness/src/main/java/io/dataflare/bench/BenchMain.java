package io.dataflare.bench;

import io.dataflare.bench.stock.StatefulSuite;
import io.dataflare.bench.stock.StockTasksSuite;
import io.dataflare.engine.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dataflare bench}: the end-to-end benchmark. Every row does the same job — read a generated CSV,
 * add {@code n2 = id * 2}, write JSON lines — and reports records/s and its ratio to the hand-written
 * baseline and to the engine's Java-processor row, measured in the same run.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the end-to-end benchmark: the same CSV -> n2 = id * 2 -> JSONL job as a hand-written loop,"
                    + " a plain line copy (the I/O floor), a hand-written Jackson CSV -> JSON loop,"
                    + " as DataFlare pipelines (Java, the built-in map, WASM compiled and interpreted, JavaScript JIT and interpreted, Python, keyed with"
                    + " parallelism 2,"
                    + " fan-out to two sinks), as an Apache Camel route, and through Extism's chicory-sdk; alternating, repeated rounds."
        })
public final class BenchMain implements Callable<Integer> {
    @Option(names = "--rows", description = "Rows of input (default ${DEFAULT-VALUE}).", defaultValue = "1000000")
    long rows;

    @Option(
            names = "--rounds",
            description = "Measured rounds after the warm-up round (default ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int rounds;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "15",
            description =
                    "In the warm-up round each row runs again until it has run this long (default ${DEFAULT-VALUE});"
                            + " rows whose scripts GraalVM's JIT compiles: four times as long.")
    long warmUpSeconds;

    @Option(
            names = "--only",
            split = ",",
            description = "Run only these rows (baseline and engine-java are always run).")
    List<String> only;

    @Option(
            names = "--in-process",
            description = "Run the engine rows in this JVM instead of one JVM each (to profile them together).")
    boolean inProcess;

    @Option(names = "--json", description = "Print the rows as one JSON object on the last line of output.")
    boolean json;

    @Option(
            names = "--work",
            description = "Where inputs and outputs go and stay (default: a temporary directory, deleted at the end).")
    Path work;

    @Option(
            names = "--out",
            description = "The BENCHMARKS.md to write the table into (default: none); with --only, its peers section.")
    Path out;

    @Option(
            names = "--scaling",
            description = "Instead: the engine-java row at each of --sizes rows, to check records/s and heap stay"
                    + " flat; then the keyed row (hash-routed by key) at each of --parallelism instances on"
                    + " 1,000,000 rows, with records/s per core used.")
    boolean scaling;

    @Option(
            names = "--parallelism",
            split = ",",
            defaultValue = "1,2,4",
            description = "Instances of the keyed stage for --scaling (more than the cores only share them).")
    List<Integer> parallelism;

    @Option(
            names = "--sizes",
            split = ",",
            defaultValue = "100000,1000000,10000000",
            description = "Row counts for --scaling.")
    List<Long> sizes;

    @Option(
            names = "--suite",
            defaultValue = "end-to-end",
            description = "end-to-end (default): the job above; connectors: Kafka -> Kafka and CSV -> PostgreSQL"
                    + " (baseline-kafka, engine-kafka, engine-kafka-batch-5000, baseline-jdbc-postgres, engine-csv-postgres) against a KRaft"
                    + " broker and a PostgreSQL (its initdb) that the harness starts; --rows is then messages and"
                    + " rows, --out writes its own section; stateful: the stock-indicator task fed ticks over TCP at"
                    + " stepped rates (latency, highest rate held) against plain-Java indicators, and an elastic"
                    + " stage rescaled from 1 to 4 under load; stock-tasks: --tasks stock-indicator tasks in one"
                    + " dataflare serve (a child process), each fed over its own port: heap and RSS per task;"
                    + " startup: the wall-clock time of short commands (--version, task list, validate and run of the"
                    + " quickstart, the JavaScript and Python examples) through the launcher against java -version,"
                    + " median of --rounds.")
    String suite;

    @Option(
            names = "--indicators",
            split = ",",
            defaultValue = "js,wasm",
            description = "Suite stateful: the indicator processors to step the rate for, js and/or wasm (default"
                    + " ${DEFAULT-VALUE}); the rescale uses the first.")
    List<String> indicators;

    @Option(
            names = "--rates",
            split = ",",
            defaultValue = "5000,10000,15000,20000,25000,30000,40000",
            description = "Suite stateful: the tick rates (ticks/s) stepped through, until one is not held (default"
                    + " ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(
            names = "--step-seconds",
            defaultValue = "15",
            description = "Suite stateful: seconds per rate step and per rescale phase (default ${DEFAULT-VALUE}).")
    long stepSeconds;

    @Option(
            names = "--stocks",
            defaultValue = "200",
            description = "Suite stateful: stocks in the tick feed (default ${DEFAULT-VALUE}).")
    int stocks;

    @Option(
            names = "--parts",
            split = ",",
            defaultValue = "steps,rescale",
            description = "Suite stateful: steps (the rate steps) and/or rescale (default ${DEFAULT-VALUE}).")
    List<String> parts;

    @Option(
            names = "--rescale-rate",
            defaultValue = "10000",
            description = "Suite stateful: ticks/s while the stage is rescaled from 1 to 4 (default ${DEFAULT-VALUE}).")
    int rescaleRate;

    @Option(
            names = "--tasks",
            split = ",",
            defaultValue = "100,200",
            description =
                    "Suite stock-tasks: the task counts reached in turn in one server (default ${DEFAULT-VALUE}).")
    List<Integer> tasks;

    @Option(
            names = "--task-rate",
            defaultValue = "50",
            description = "Suite stock-tasks: ticks/s fed to each task (default ${DEFAULT-VALUE}).")
    int taskRate;

    @Option(
            names = "--server-heap",
            defaultValue = "6g",
            description = "Suite stock-tasks: the server's -Xmx (default ${DEFAULT-VALUE}).")
    String serverHeap;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (work != null) return run(o, Files.createDirectories(work));
        // a folder of its own: the inputs and outputs (hundreds of MB) go with it
        Path dir = Files.createTempDirectory("dataflare-bench");
        try {
            return run(o, dir);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private Integer run(PrintWriter o, Path dir) throws Exception {
        if (suite.equals("startup")) return startup(o, dir);
        try (Engine engine = engine()) {
            Path scripts = writeScripts(dir);
            String env = environment(engine);
            if (scaling) return scaling(o, engine, dir, env);
            if (suite.equals("connectors")) return connectors(o, engine, dir, env);
            if (suite.equals("stateful")) return stateful(o, engine, dir, env);
            if (suite.equals("stock-tasks")) return stockTasks(o, dir, env);
            if (!suite.equals("end-to-end"))
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--suite: end-to-end, connectors, stateful, stock-tasks or startup, not '" + suite + "'");
            List<Row> rowsToRun = rows(engine, scripts);
            try {
                return measure(o, rowsToRun, dir, env);
            } finally {
                for (Row r : rowsToRun) {
                    if (r instanceof AutoCloseable c) c.close();
                }
            }
        }
    }

    private int measure(PrintWriter o, List<Row> rowsToRun, Path dir, String env) throws Exception {
        Path input = InputData.write(dir, rows);
        o.println("input: " + input + " (" + String.format(Locale.ROOT, "%,d", Files.size(input)) + " bytes); " + env);
        o.flush();
        Map<String, Measurement> results = new Harness(rowsToRun, rounds, warmUpSeconds, line -> {
                    if (!json) {
                        o.println(line);
                        o.flush();
                    }
                })
                .run(input, dir);
        Report report = new Report(results, rows, Files.size(input), env);
        o.println();
        o.print(report.table());
        if (!report.targets().isEmpty()) o.print(System.lineSeparator() + report.targets());
        if (out != null) {
            // a run of some rows (--only) goes to its own section: it must not replace the table of all rows
            String command = "./dataflare bench" + (only == null ? "" : " --only " + String.join(",", only))
                    + " --rows " + rows + " --rounds " + rounds + " --warmup-seconds " + warmUpSeconds;
            Report.writeSection(out, only == null ? "results" : "peers", report.markdown(command) + "\n");
            o.println("written to " + out);
        }
        if (json) o.println(report.json());
        o.flush(); // the table is the point of the run: System.exit follows, which does not flush a PrintWriter
        return 0;
    }

    private int connectors(PrintWriter o, Engine engine, Path dir, String env) throws Exception {
        Consumer<String> log = line -> {
            if (!json) {
                o.println(line);
                o.flush();
            }
        };
        long inputBytes = Files.size(InputData.write(dir, rows));
        ConnectorSuite.run(engine, dir, rows, rounds, warmUpSeconds, log, results -> {
            Report report = new Report(results, rows, inputBytes, env, ConnectorSuite.BASELINES);
            o.println();
            o.print(report.table());
            try {
                if (out != null) {
                    Report.writeSection(
                            out,
                            "connectors",
                            report.markdown(
                                            "./dataflare bench --suite connectors --rows " + rows + " --rounds "
                                                    + rounds + " --warmup-seconds " + warmUpSeconds,
                                            "messages / rows")
                                    + "\n");
                    o.println("written to " + out);
                }
                if (json) o.println(report.json());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            o.flush();
        });
        return 0;
    }

    private int stateful(PrintWriter o, Engine engine, Path dir, String env) throws Exception {
        Consumer<String> log = line -> {
            o.println(line);
            o.flush();
        };
        requireEach("--parts", parts, "steps", "rescale");
        requireEach("--indicators", indicators, "js", "wasm");
        String load = loadAverage();
        StatefulSuite.Options options = new StatefulSuite.Options(
                indicators,
                stocks,
                rates,
                stepSeconds,
                warmUpSeconds,
                rescaleRate,
                stepSeconds,
                java.util.Set.copyOf(parts));
        String md = new StatefulSuite(engine, dir, log).run(options, repository());
        String command = "./dataflare bench --suite stateful --indicators " + String.join(",", indicators)
                + " --rates "
                + String.join(",", rates.stream().map(String::valueOf).toList()) + " --step-seconds "
                + stepSeconds + " --warmup-seconds " + warmUpSeconds + " --stocks " + stocks + " --rescale-rate "
                + rescaleRate + " --parts " + String.join(",", parts);
        String section = "Measured " + java.time.LocalDate.now() + " with `" + command + "`; load average before: "
                + load + ", after: " + loadAverage() + " (1, 5, 15 min).\n" + env + "\n\n" + md;
        o.println();
        o.print(section);
        if (out != null) {
            // one part alone writes its own section, so the two can be run (and rewritten) one at a time
            Report.writeSection(out, parts.size() == 1 ? "stateful-" + parts.getFirst() : "stateful", section);
            o.println("written to " + out);
        }
        o.flush();
        return 0;
    }

    /** Each value of a list option is one of its two choices, or the command line is wrong. */
    private void requireEach(String option, List<String> values, String first, String second) {
        for (String v : values) {
            if (!v.equals(first) && !v.equals(second))
                throw new CommandLine.ParameterException(
                        spec.commandLine(), option + ": " + first + " and/or " + second + ", not '" + v + "'");
        }
    }

    private int stockTasks(PrintWriter o, Path dir, String env) throws Exception {
        String load = loadAverage();
        String md = new StockTasksSuite(repository(), dir, line -> {
                    o.println(line);
                    o.flush();
                })
                .run(tasks, taskRate, stepSeconds, serverHeap, stocks);
        String command = "./dataflare bench --suite stock-tasks --tasks "
                + String.join(",", tasks.stream().map(String::valueOf).toList()) + " --task-rate " + taskRate
                + " --step-seconds " + stepSeconds + " --stocks " + stocks + " --server-heap " + serverHeap;
        String section = "Measured " + java.time.LocalDate.now() + " with `" + command + "`; load average before: "
                + load + ", after: " + loadAverage() + " (1, 5, 15 min).\nThe harness's " + env
                + " (the server runs on the same JDK, through the launcher)\n\n" + md;
        o.println();
        o.print(section);
        if (out != null) {
            Report.writeSection(out, "stock-tasks", section);
            o.println("written to " + out);
        }
        o.flush();
        return 0;
    }

    private int startup(PrintWriter o, Path dir) throws Exception {
        String load = loadAverage();
        String md = new StartupSuite(repository(), dir, line -> {
                    o.println(line);
                    o.flush();
                })
                .run(rounds);
        Runtime rt = Runtime.getRuntime();
        String section = "Measured " + java.time.LocalDate.now() + " with `./dataflare bench --suite startup --rounds "
                + rounds + "`: wall-clock time of each whole command (a fresh process through the launcher, warm page"
                + " cache), median of " + rounds + " rounds; load average before: " + load
                + ", after: " + loadAverage() + " (1, 5, 15 min).\nJVM: " + System.getProperty("java.vm.name") + " "
                + Runtime.version() + ", " + rt.availableProcessors() + " cores, " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + "\n\n" + md;
        o.println();
        o.print(section);
        if (out != null) {
            Report.writeSection(out, "startup", section);
            o.println("written to " + out);
        }
        o.flush();
        return 0;
    }

    /** An engine row in a JVM of its own (see {@link ChildJvmRow}), or here with {@code --in-process}. */
    private Row engineRow(EngineRow row) {
        return inProcess ? row : ChildJvmRow.isolated(row);
    }

    /** The 1, 5 and 15 minute load averages (Linux), or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** The repository the harness was built in (its example plugins are used). */
    static Path repository() {
        return benchHome().resolve("../../../..").normalize();
    }

    private List<Row> rows(Engine engine, Path scripts) {
        List<Row> all = new ArrayList<>();
        all.add(new BaselineRow());
        all.add(new LineCopyRow());
        all.add(new JacksonLoopRow());
        all.add(engineRow(new EngineRow("engine-java", engine, "bench-double", "", false, "java")));
        all.add(engineRow(
                new EngineRow("engine-builtins", engine, "map, with: { set: { n2: \"id * 2\" } }", "", false, "java")));
        all.add(engineRow(new EngineRow(
                "engine-wasm-compiled", engine, "bench-binary, with: { mode: compiled }", "", false, "wasm")));
        all.add(engineRow(new EngineRow(
                "engine-wasm-interpreted", engine, "bench-binary, with: { mode: interpreted }", "", false, "wasm")));
        EngineRow js = new EngineRow(
                "engine-js", engine, "\"" + scripts.resolve("bench_double.js") + "\"", "", false, "javascript");
        all.add(engineRow(js));
        all.add(ChildJvmRow.interpreted("engine-js-interpreted", js));
        all.add(engineRow(new EngineRow(
                "engine-python", engine, "\"" + scripts.resolve("bench_double.py") + "\"", "", false, "python")));
        all.add(new CamelRow());
        all.add(new ExtismRow(benchHome().resolve("plugins/bench-extism-1.0.0.wasm")));
        all.add(engineRow(new EngineRow(
                "engine-java-keyed-p2",
                engine,
                "bench-double",
                "parallelism: 2, routing: { key: key, strategy: hash }",
                false,
                "java")));
        all.add(engineRow(new EngineRow("engine-java-fanout", engine, "bench-double", "", true, "java")));
        if (only == null || only.isEmpty()) return all;
        List<Row> picked = new ArrayList<>();
        for (Row r : all) {
            if (r.name().equals("baseline") || r.name().equals("engine-java") || only.contains(r.name())) picked.add(r);
        }
        return picked;
    }

    private int scaling(PrintWriter o, Engine engine, Path dir, String env) throws Exception {
        StringBuilder table = new StringBuilder("| rows | records/s (median) | heap peak |\n|---:|---:|---:|\n");
        Map<String, Measurement> all = new LinkedHashMap<>();
        for (long n : sizes) {
            Path input = InputData.write(dir, n);
            Row row = new EngineRow("engine-java", engine, "bench-double", "", false, "java");
            Measurement m = new Harness(List.of(row), n >= 10_000_000 ? 1 : rounds, warmUpSeconds, line -> {
                        if (!json) {
                            o.println(n + " rows: " + line);
                            o.flush();
                        }
                    })
                    .run(input, dir)
                    .get("engine-java");
            all.put(Long.toString(n), m);
            table.append(String.format(
                    Locale.ROOT, "| %,d | %,.0f | %d MB |%n", n, m.median(), m.heapPeakBytes / (1024 * 1024)));
            Files.delete(input);
        }
        table.append(parallelismTable(o, engine, dir));
        o.println();
        o.print(table);
        if (out != null) {
            Report.writeSection(
                    out,
                    "scaling",
                    "Measured " + java.time.LocalDate.now() + " with `./dataflare bench --scaling --sizes "
                            + String.join(
                                    ",", sizes.stream().map(String::valueOf).toList())
                            + "` (max heap in the line below): the engine-java row"
                            + " at each size, then the keyed row at each parallelism.\n" + env
                            + "\n\n" + table);
            o.println("written to " + out);
        }
        o.flush();
        return 0;
    }

    /**
     * The keyed row (the processor stage hash-routed by key) at each of {@link #parallelism} instances on 1,000,000
     * rows; per core divides by the cores the stage can use, min(instances, cores).
     */
    private String parallelismTable(PrintWriter o, Engine engine, Path dir) throws Exception {
        long n = 1_000_000;
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder t = new StringBuilder(String.format(
                Locale.ROOT,
                "%n| parallelism (%,d rows, %d cores) | records/s (median) | per core used | heap peak |%n"
                        + "|---:|---:|---:|---:|%n",
                n,
                cores));
        Path input = InputData.write(dir, n);
        for (int p : parallelism) {
            String name = "engine-java-keyed-p" + p;
            Row row = new EngineRow(
                    name,
                    engine,
                    "bench-double",
                    "parallelism: " + p + ", routing: { key: key, strategy: hash }",
                    false,
                    "java");
            Measurement m = new Harness(List.of(row), rounds, warmUpSeconds, line -> {
                        if (!json) {
                            o.println("parallelism " + p + ": " + line);
                            o.flush();
                        }
                    })
                    .run(input, dir)
                    .get(name);
            t.append(String.format(
                    Locale.ROOT,
                    "| %d | %,.0f | %,.0f | %d MB |%n",
                    p,
                    m.median(),
                    m.median() / Math.min(p, cores),
                    m.heapPeakBytes / (1024 * 1024)));
        }
        Files.delete(input);
        return t.toString();
    }

    private static String environment(Engine engine) {
        Runtime rt = Runtime.getRuntime();
        return "JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version() + " ("
                + System.getProperty("java.vendor")
                + "), " + rt.availableProcessors() + " cores, max heap " + rt.maxMemory() / (1024 * 1024) + " MB, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "; plugin hosts: "
                + String.join(
                        ", ",
                        engine.plugins().hosts().stream().map(h -> h.language()).toList())
                + "; GraalVM JIT for scripts: " + (Boolean.getBoolean("dataflare.graal.jit") ? "on" : "off");
    }

    /** An engine over the distribution's plugins and the benchmark's own. */
    public static Engine engine() {
        Engine.Builder eb = Engine.builder();
        for (Path p : pluginFolders()) eb.pluginDirectory(p);
        return eb.build();
    }

    /** The distribution's plugins, then the benchmark's own (its Java plugin and WASM modules). */
    private static List<Path> pluginFolders() {
        List<Path> dirs = new ArrayList<>();
        String home = System.getProperty("dataflare.home");
        if (home != null && Files.isDirectory(Path.of(home, "plugins"))) dirs.add(Path.of(home, "plugins"));
        dirs.add(benchHome().resolve("plugins"));
        return dirs;
    }

    static Path benchHome() {
        String p = System.getProperty("dataflare.bench.home");
        if (p != null) return Path.of(p);
        try {
            return Path.of(BenchMain.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .getParent()
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The transform as JavaScript and Python scripts, for the script rows. */
    private static Path writeScripts(Path dir) throws java.io.IOException {
        Path s = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(
                s.resolve("bench_double.js"), "export function map(r) {\n  r.n2 = r.id * 2;\n  return r;\n}\n");
        Files.writeString(s.resolve("bench_double.py"), "def map(r):\n    r['n2'] = r['id'] * 2\n    return r\n");
        return s;
    }
}
