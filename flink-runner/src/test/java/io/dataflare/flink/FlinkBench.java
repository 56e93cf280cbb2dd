package io.dataflare.flink;

import io.dataflare.engine.Engine;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * The end-to-end benchmark's job (CSV -> {@code n2 = id * 2} -> JSON lines) locally and on Flink, in the same run:
 * {@code local-p1/p2} (the local engine, the processor at parallelism 1/2), {@code flink-p1/p2} (as
 * {@code dataflare run --engine flink}: an embedded MiniCluster started per run, its start counted),
 * {@code flink-session-p1/p2} (a MiniCluster started once, the job submitted to it: a session cluster's
 * steady-state cost). Rows alternate in each round; the median of the rounds is reported with its ratio to
 * {@code local-p1}. Arguments: {@code rows[,rows...] rounds plugin-folder [work-folder [table-file]]}.
 */
public final class FlinkBench {
    private FlinkBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[1]);
        List<Path> plugins = List.of(Path.of(args[2]).toAbsolutePath());
        Path work = (args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("dataflare-flink-bench-"))
                .toAbsolutePath();
        Files.createDirectories(work);
        StringBuilder tables = new StringBuilder();
        for (String size : args[0].split(",")) {
            String table = measure(Long.parseLong(size.trim()), rounds, plugins, work);
            System.out.print(table);
            tables.append(table).append('\n');
        }
        if (args.length > 4) Files.writeString(Path.of(args[4]), tables);
    }

    private static String measure(long rows, int rounds, List<Path> plugins, Path work) throws Exception {
        Path input = work.resolve("input.csv");
        writeInput(input, rows);
        String[] names = {"local-p1", "local-p2", "flink-p1", "flink-p2", "flink-session-p1", "flink-session-p2"};
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (String n : names) rates.put(n, new ArrayList<>());
        MiniClusterConfiguration config = new MiniClusterConfiguration.Builder()
                .setConfiguration(restOnAnyPort())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build();
        try (Engine engine = Fixtures.engine(plugins);
                MiniCluster session = new MiniCluster(config)) {
            session.start();
            for (int round = 0; round <= rounds; round++) { // round 0 warms up
                for (int i = 0; i < names.length; i++) {
                    String name = names[(i + round) % names.length];
                    int p = name.endsWith("p2") ? 2 : 1;
                    Path pipeline = work.resolve(name + ".yaml");
                    Path out = work.resolve(name + ".jsonl");
                    Files.deleteIfExists(out);
                    Files.writeString(pipeline, """
                            name: bench-%s
                            sources:
                              in: { use: csv-file, with: { path: "%s", schema: { id: long, amount: double, quantity: long } } }
                            processors:
                              t: { use: map, from: in, parallelism: %d, with: { set: { n2: "id * 2" } } }
                            sinks:
                              out: { use: jsonl-file, from: t, with: { path: "%s" } }
                            runtime: { batch_size: 1000 }
                            """.formatted(name, input, p, out));
                    long t0 = System.nanoTime();
                    PipelinePlan plan = engine.load(pipeline);
                    PipelineResult r;
                    if (name.startsWith("local")) r = engine.run(plan);
                    else if (name.startsWith("flink-session")) r = new FlinkRunner(plan, plugins, null).run(session);
                    else r = new FlinkRunner(plan, plugins, null).run();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    if (r.state() != PipelineState.COMPLETED || r.stats().recordsOut() != rows) {
                        throw new IllegalStateException(name + ": " + r.state() + " " + r.failure() + ", "
                                + r.stats().recordsOut() + " records out of " + rows);
                    }
                    if (round > 0) rates.get(name).add(rows / seconds);
                }
            }
        }
        double base = median(rates.get("local-p1"));
        StringBuilder table = new StringBuilder();
        table.append(String.format(
                Locale.ROOT,
                "%,d rows, %d measured rounds (median), %d cores, JDK %s%n%n",
                rows,
                rounds,
                Runtime.getRuntime().availableProcessors(),
                Runtime.version()));
        table.append(String.format(
                Locale.ROOT, "| %-18s | %12s | %27s | %11s |%n", "row", "records/s", "min - max", "vs local-p1"));
        table.append("|--------------------|--------------|-----------------------------|-------------|\n");
        for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
            List<Double> v = e.getValue();
            table.append(String.format(
                    Locale.ROOT,
                    "| %-18s | %,12.0f | %,12.0f - %,12.0f | %10.2fx |%n",
                    e.getKey(),
                    median(v),
                    v.stream().mapToDouble(d -> d).min().orElse(0),
                    v.stream().mapToDouble(d -> d).max().orElse(0),
                    median(v) / base));
        }
        return table.toString();
    }

    private static Configuration restOnAnyPort() {
        Configuration c = new Configuration();
        c.set(RestOptions.BIND_PORT, "0");
        return c;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** The end-to-end suite's input shape: {@code id,key,amount,quantity,name,text}, fixed seed. */
    private static void writeInput(Path file, long rows) throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("id,key,amount,quantity,name,text\n");
            for (long i = 0; i < rows; i++) {
                w.write(i + ",k" + random.nextInt(100) + "," + random.nextInt(100_000) / 100.0 + ","
                        + random.nextInt(50) + ",name-" + i + ",some text of about forty characters here\n");
            }
        }
    }
}
