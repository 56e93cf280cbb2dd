package io.dataflare.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's table: for people, as JSON for scripts, and as the generated part of BENCHMARKS.md. */
final class Report {
    private final Map<String, Measurement> results;
    private final long rows;
    private final long inputBytes;
    private final String environment;
    private final Map<String, String> baselines;

    Report(Map<String, Measurement> results, long rows, long inputBytes, String environment) {
        this(results, rows, inputBytes, environment, Map.of());
    }

    /**
     * @param baselines the baseline row of each row whose "vs baseline" ratio is not against {@code baseline}
     *                  (a suite with a baseline per connector)
     */
    Report(
            Map<String, Measurement> results,
            long rows,
            long inputBytes,
            String environment,
            Map<String, String> baselines) {
        this.results = results;
        this.rows = rows;
        this.inputBytes = inputBytes;
        this.environment = environment;
        this.baselines = baselines;
    }

    private String baselineOf(String row) {
        return baselines.getOrDefault(row, "baseline");
    }

    /** A ratio as the table shows it; blank when one side was not measured (or is not in this suite). */
    private static String ratioCell(double ratio) {
        return Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private double ratio(String row, String to) {
        Measurement a = results.get(row);
        Measurement b = results.get(to);
        if (a == null || b == null || !a.measured() || !b.measured()) return Double.NaN;
        return a.median() / b.median();
    }

    String table() {
        // the end-to-end suite compares every row with its Java-processor row too; a suite without one does not
        boolean vsEngineJava = results.containsKey("engine-java");
        StringBuilder sb = new StringBuilder();
        line(sb, vsEngineJava, "row", "records/s", "min - max", "MB/s", "vs baseline", "vs engine-java", "heap peak");
        sb.append("|")
                .append("-".repeat(28))
                .append("|")
                .append("-".repeat(15))
                .append("|")
                .append("-".repeat(27))
                .append("|")
                .append("-".repeat(10))
                .append("|")
                .append("-".repeat(13))
                .append("|")
                .append(vsEngineJava ? "-".repeat(17) + "|" : "")
                .append("-".repeat(11))
                .append("|\n");
        for (Measurement m : results.values()) {
            if (!m.measured()) {
                line(
                        sb,
                        vsEngineJava,
                        m.row,
                        "n/a",
                        String.format(Locale.ROOT, "%-25s", m.unavailable == null ? "not run" : m.unavailable),
                        "",
                        "",
                        "",
                        "");
                continue;
            }
            double mbps = m.median() * (inputBytes / (double) rows) / 1e6;
            line(
                    sb,
                    vsEngineJava,
                    m.row,
                    String.format(Locale.ROOT, "%,.0f", m.median()),
                    String.format(Locale.ROOT, "%,11.0f - %,11.0f", m.min(), m.max()),
                    String.format(Locale.ROOT, "%.1f", mbps),
                    ratioCell(ratio(m.row, baselineOf(m.row))),
                    ratioCell(ratio(m.row, "engine-java")),
                    String.format(Locale.ROOT, "%6d MB", m.heapPeakBytes / (1024 * 1024)));
        }
        return sb.toString();
    }

    private static void line(
            StringBuilder sb,
            boolean vsEngineJava,
            String row,
            String rate,
            String range,
            String mbps,
            String vsBaseline,
            String vsJava,
            String heap) {
        sb.append(
                String.format(Locale.ROOT, "| %-26s | %13s | %25s | %8s | %11s |", row, rate, range, mbps, vsBaseline));
        if (vsEngineJava) sb.append(String.format(Locale.ROOT, " %15s |", vsJava));
        sb.append(String.format(Locale.ROOT, " %9s |%n", heap));
    }

    /** A throughput target: {@code row} at least {@code atLeast} times {@code against}, in the same run. */
    record Target(String row, String against, double atLeast) {}

    /**
     * The end-to-end suite's ratio targets: against the peer rows (the I/O floor, the hand-written Jackson loop),
     * and the plugin hosts against the Java processor.
     */
    static final List<Target> TARGETS = List.of(
            new Target("engine-builtins", "jackson-loop", 2.0),
            new Target("engine-builtins", "line-copy", 0.5),
            new Target("engine-java", "line-copy", 0.6),
            new Target("engine-wasm-compiled", "engine-java", 0.7),
            new Target("engine-js", "engine-java", 0.6),
            new Target("engine-python", "engine-java", 0.3));

    /** The targets whose two rows were measured in this run, as a table (empty when none were). */
    String targets() {
        StringBuilder sb = new StringBuilder();
        for (Target t : TARGETS) {
            double r = ratio(t.row(), t.against());
            if (Double.isNaN(r)) continue;
            if (sb.isEmpty()) sb.append("| target | measured | |\n|---|---|---|\n");
            sb.append(String.format(
                    Locale.ROOT,
                    "| `%s` >= %.1fx `%s` | %.2fx | %s |%n",
                    t.row(),
                    t.atLeast(),
                    t.against(),
                    r,
                    r >= t.atLeast() ? "met" : "not met"));
        }
        return sb.toString();
    }

    String json() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Measurement m : results.values()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", m.row);
            if (m.measured()) {
                r.put("records_per_s", Math.round(m.median()));
                r.put("min_records_per_s", Math.round(m.min()));
                r.put("max_records_per_s", Math.round(m.max()));
                r.put("ratio_to_baseline", round(ratio(m.row, baselineOf(m.row))));
                r.put("ratio_to_engine_java", round(ratio(m.row, "engine-java")));
                r.put("heap_peak_mb", m.heapPeakBytes / (1024 * 1024));
            } else {
                r.put("skipped", m.unavailable);
            }
            out.add(r);
        }
        return new ObjectMapper().writeValueAsString(Map.of("rows", out));
    }

    private static double round(double d) {
        return Double.isNaN(d) ? Double.NaN : Math.round(d * 1000) / 1000.0;
    }

    /** Replaces the part of {@code file} between the markers of {@code section} (or appends it). */
    static void writeSection(Path file, String section, String body) throws IOException {
        String start = "<!-- " + section + ":start -->";
        String end = "<!-- " + section + ":end -->";
        String block = start + "\n" + body + end;
        String text =
                Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# DataFlare benchmarks\n\n";
        int s = text.indexOf(start);
        int e = text.indexOf(end);
        text = s >= 0 && e > s
                ? text.substring(0, s) + block + text.substring(e + end.length())
                : text + "\n" + block + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    String markdown(String command) {
        return markdown(command, "CSV rows");
    }

    /** The section's text: when, the command, {@code rows} of {@code what}, the environment and the table. */
    String markdown(String command, String what) {
        return "Measured " + LocalDate.now() + " with `" + command + "`: " + String.format(Locale.ROOT, "%,d", rows)
                + " " + what + " (" + String.format(Locale.ROOT, "%.1f", inputBytes / 1e6)
                + " MB), median of the measured rounds.\n"
                + environment + "\n\n" + table() + (targets().isEmpty() ? "" : "\n" + targets());
    }
}
