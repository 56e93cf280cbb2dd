package io.dataflare.bench;

import io.dataflare.engine.Engine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child side of {@link ChildJvmRow}: runs one {@link EngineRow} for every {@code input<TAB>outDir} line
 * of stdin and answers {@code ok RECORDS HEAP_PEAK_BYTES CPU_NANOS} or {@code failed REASON}; exits at end of
 * input. Arguments: the row's name, its processor ({@code use:} text), the plugin language it needs, the
 * stage's extra keys and whether the job fans out (see {@link EngineRow}).
 */
public final class RowServer {
    static final String OK = "ok ";
    static final String FAILED = "failed ";

    private RowServer() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err); // only answers on stdout
        try (Engine engine = BenchMain.engine()) {
            EngineRow row = new EngineRow(args[0], engine, args[1], args[3], Boolean.parseBoolean(args[4]), args[2]);
            BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = requests.readLine()) != null; ) {
                String[] paths = line.split("\t");
                Harness.resetHeapPeak();
                try {
                    long c0 = Harness.processCpuNanos();
                    long n = row.run(Path.of(paths[0]), Path.of(paths[1]));
                    long cpu = Harness.processCpuNanos() - c0;
                    answers.println(OK + n + " " + Harness.heapPeak() + " " + cpu);
                } catch (Exception e) {
                    answers.println(FAILED + String.valueOf(e).replace('\n', ' '));
                }
                // after the answer, outside the timed part (the harness waits for this JVM to be idle)
                System.gc();
            }
        }
    }
}
