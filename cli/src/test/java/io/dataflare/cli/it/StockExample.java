package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The stock-indicator example's files, and what its ITs share: setting its variables, reading its output. */
final class StockExample {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path JS =
            Path.of("..", "sdk-examples", "scripts", "javascript-stock-indicators", "plugin", "stock-indicators.js");
    static final Path WASM = Path.of("..", "sdk-examples", "wasm", "rust", "rust-stock-indicators-1.0.0.wasm");

    private StockExample() {}

    /**
     * The pipeline file's text with each {@code ${NAME:-default}} of {@code vars} replaced by its value, as if the
     * variable were set (the ITs run the CLI in process, where the environment cannot be changed).
     */
    static String withVars(String yaml, Map<String, String> vars) {
        for (Map.Entry<String, String> v : vars.entrySet()) {
            Matcher m = Pattern.compile("\\$\\{" + v.getKey() + ":-[^}]*}").matcher(yaml);
            assertThat(m.find()).as("the pipeline has ${%s:-...}", v.getKey()).isTrue();
            yaml = m.replaceAll(Matcher.quoteReplacement(v.getValue()));
        }
        return yaml;
    }

    /** The default of {@code ${NAME:-default}} in the pipeline's text. */
    static String defaultOf(String yaml, String name) {
        Matcher m = Pattern.compile("\\$\\{" + name + ":-([^}]*)}").matcher(yaml);
        assertThat(m.find()).as("the pipeline has ${%s:-...}", name).isTrue();
        return m.group(1);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** File name without {@code .csv} → its text, for every CSV file in {@code dir}. */
    static Map<String, String> outputFiles(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".csv")).toList())
                files.put(p.getFileName().toString().replaceFirst("\\.csv$", ""), Files.readString(p));
        }
        return files;
    }

    /** Every output file equals the reference's, byte for byte, and there is one per stock. */
    static void assertSameAsReference(Path ticks, Path outDir, String what) throws IOException {
        Map<String, String> expected = new TreeMap<>(StockIndicatorsReference.compute(ticks));
        Map<String, String> actual = outputFiles(outDir);
        assertThat(actual.keySet()).as("%s: one file per stock", what).isEqualTo(expected.keySet());
        for (String code : expected.keySet())
            assertThat(actual.get(code)).as("%s: %s.csv", what, code).isEqualTo(expected.get(code));
    }
}
