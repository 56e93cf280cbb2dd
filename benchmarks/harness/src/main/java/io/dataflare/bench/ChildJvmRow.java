package io.dataflare.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An engine row run in a JVM of its own, which lives for the whole run (warm-up included) and runs the same
 * {@link EngineRow} job whenever asked, over a line of stdin; timing stays in this JVM, so the figure includes
 * one line each way, which is nothing next to a run. The child reports its own heap peak and CPU time.
 *
 * <p>Every engine row runs this way ({@link #isolated}), as a user's pipeline runs in a process of its own: in
 * one JVM the rows before a row (other plugin hosts' code and threads, a heap grown by another row) changed its
 * figure, the same job costing a quarter more CPU per record there than alone. The interpreted script row
 * ({@link #interpreted}) is started without the Graal compiler, so that GraalVM interprets script code there:
 * the sandbox policy the script host uses ({@code CONSTRAINED}) does not let one engine turn compilation off.
 */
final class ChildJvmRow implements Row, AutoCloseable {
    private final String name;
    private final EngineRow job;
    private final boolean withoutGraalCompiler;
    private Process child;
    private Writer toChild;
    private BufferedReader fromChild;
    private long lastHeapPeak;
    private long lastCpuNanos;

    private ChildJvmRow(String name, EngineRow job, boolean withoutGraalCompiler) {
        this.name = name;
        this.job = job;
        this.withoutGraalCompiler = withoutGraalCompiler;
    }

    /** {@code job} in a JVM of its own, started with this JVM's options. */
    static ChildJvmRow isolated(EngineRow job) {
        return new ChildJvmRow(job.name(), job, false);
    }

    /** {@code job} under another name in a JVM without the Graal compiler: its scripts run interpreted. */
    static ChildJvmRow interpreted(String name, EngineRow job) {
        return new ChildJvmRow(name, job, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String unavailable() {
        return job.unavailable();
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        if (child == null) start();
        toChild.write(input + "\t" + outDir + "\n");
        toChild.flush();
        for (String line; (line = fromChild.readLine()) != null; ) {
            if (line.startsWith(RowServer.OK)) {
                String[] f = line.substring(RowServer.OK.length()).split(" ");
                lastHeapPeak = Long.parseLong(f[1]);
                lastCpuNanos = Long.parseLong(f[2]);
                return Long.parseLong(f[0]);
            }
            if (line.startsWith(RowServer.FAILED))
                throw new IllegalStateException(name + " (child JVM): " + line.substring(RowServer.FAILED.length()));
        }
        throw new IllegalStateException(
                name + ": the child JVM exited (code " + child.waitFor() + "); its output is above");
    }

    @Override
    public long heapPeak(long measuredHere) {
        return lastHeapPeak;
    }

    /**
     * A script row on GraalVM's JIT warms up four times as long as the others: on a stock JDK the Graal compiler
     * is Java code that HotSpot compiles as it runs, so its first compilations of the script take seconds each,
     * and on two cores the script's code kept getting faster for about a minute (`--rounds 8` after 15 s of
     * warm-up: 0.87 M records/s in the first measured round, 1.9 M from the sixth on).
     */
    @Override
    public int warmUpFactor() {
        boolean script = job.language().equals("javascript") || job.language().equals("python");
        return script && !withoutGraalCompiler ? 4 : 1;
    }

    /**
     * A Python row on GraalVM's JIT warms up for at least 100 runs. Its stage takes back the context the run before
     * kept, and that context's batch loop went on getting faster for about 15 runs of 1,000,000 records
     * ({@code polyglot-host/bench.sh runs 22 python kept}); the first runs of a JVM are slow (30,000 records/s),
     * so the time-boxed warm-up made as few as 7 runs in a full run, and its rounds were timed half way there.
     * Then the code a run executes once (the script's module, the driver's {@code bind}, {@code context},
     * {@code output}, the {@code ctx} classes' constructors) reaches GraalVM's compilation thresholds in its turn:
     * a JFR recording of the row's JVM ({@code jdk.graal.compiler.truffle.Compilation} events) showed about 4 s of
     * compilation of it around runs 23 to 33, and second-tier compilations of some of it around runs 70 to 90,
     * each taking a core from a run that needs both: those runs fell from 1.2-1.3 M to 0.6-0.8 M records/s, and
     * with 20 warm-up runs they fell into the measured rounds.
     */
    @Override
    public int minWarmUpRuns() {
        return job.language().equals("python") && !withoutGraalCompiler ? 100 : 1;
    }

    @Override
    public ProcessHandle process() {
        return child == null ? null : child.toHandle();
    }

    @Override
    public long cpuNanos(long measuredHere) {
        return lastCpuNanos;
    }

    private void start() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        String classPath = System.getProperty("java.class.path");
        if (withoutGraalCompiler) {
            cmd.addAll(interpreterJvm(jvmArgs, classPath));
        } else {
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("-cp", classPath));
        }
        cmd.addAll(List.of(
                RowServer.class.getName(),
                name,
                job.processor(),
                job.language(),
                job.stageExtras(),
                Boolean.toString(job.fanOut())));
        child = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        toChild = new java.io.OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
        fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * The options of a JVM like this one but without the Graal compiler, as the launcher starts it with
     * {@code DATAFLARE_JIT=0}: the JIT flags dropped, the compiler's jars (the upgrade module path) back on the
     * class path, GraalVM's interpreter warning off; ends with {@code -cp CLASSPATH}.
     */
    static List<String> interpreterJvm(List<String> jvmArgs, String classPath) {
        List<String> out = new ArrayList<>();
        StringBuilder cp = new StringBuilder(classPath);
        for (int i = 0; i < jvmArgs.size(); i++) {
            String a = jvmArgs.get(i);
            String modulePath = a.equals("--upgrade-module-path") && i + 1 < jvmArgs.size()
                    ? jvmArgs.get(++i)
                    : a.startsWith("--upgrade-module-path=") ? a.substring(a.indexOf('=') + 1) : null;
            if (modulePath != null) {
                cp.append(java.io.File.pathSeparator).append(modulePath);
            } else if (!a.contains("JVMCI") && !a.startsWith("-Ddataflare.graal.jit")) {
                out.add(a);
            }
        }
        out.add("-Dpolyglot.engine.WarnInterpreterOnly=false");
        out.addAll(List.of("-cp", cp.toString()));
        return out;
    }

    @Override
    public void close() throws Exception {
        if (child == null) return;
        toChild.close(); // end of input: the child closes its engine and exits
        if (!child.waitFor(30, TimeUnit.SECONDS)) child.destroyForcibly();
    }
}
