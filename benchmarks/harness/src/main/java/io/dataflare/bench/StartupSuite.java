package io.dataflare.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code dataflare bench --suite startup}: the wall-clock time of whole short commands, each a fresh process
 * started through the repository's launcher as a user starts it, against {@code java -version} (the floor: a JVM
 * that starts and exits) measured in the same rounds. One untimed round first (page cache), then {@code rounds}
 * rounds with the commands in a rotating order; medians.
 */
final class StartupSuite {
    static final String TOKEN = "bench-token-0123456789-abcdefghij";

    /**
     * A measured command: its name in the table, its arguments to the launcher, its target (seconds, or NaN), and
     * whether it goes through a warm {@code dataflare daemon} (else in a JVM of its own, as without one).
     */
    record Command(String name, List<String> args, double targetSeconds, boolean daemon) {
        Command(String name, List<String> args, double targetSeconds) {
            this(name, args, targetSeconds, false);
        }

        Command throughDaemon() {
            return new Command(name + " (daemon)", args, targetSeconds, true);
        }
    }

    private final Path repository;
    private final Path dir;
    private final Consumer<String> log;

    StartupSuite(Path repository, Path dir, Consumer<String> log) {
        this.repository = repository;
        this.dir = dir;
        this.log = log;
    }

    /** The commands of the suite; {@code server} is the URL {@code task list} asks. */
    static List<Command> commands(String server) {
        List<Command> ownJvm = List.of(
                new Command("dataflare task list", List.of("task", "list", "--server", server), 0.35),
                new Command(
                        "dataflare validate examples/quickstart.yaml",
                        List.of("validate", "examples/quickstart.yaml"),
                        0.6),
                new Command("dataflare run examples/quickstart.yaml", List.of("run", "examples/quickstart.yaml"), 0.6),
                new Command(
                        "dataflare run examples/js-processor.yaml", List.of("run", "examples/js-processor.yaml"), 1.2),
                new Command(
                        "dataflare run examples/python-processor.yaml",
                        List.of("run", "examples/python-processor.yaml"),
                        3.0));
        List<Command> all = new ArrayList<>();
        all.add(new Command("java -version", List.of(), Double.NaN));
        all.add(new Command("dataflare --version", List.of("--version"), 0.35));
        all.addAll(ownJvm);
        for (Command c : ownJvm) all.add(c.throughDaemon());
        return all;
    }

    /** Runs the suite; returns its Markdown section (the table and the targets). */
    String run(int rounds) throws Exception {
        int port = freePort();
        String server = "http://127.0.0.1:" + port;
        Process serve = start(
                List.of(
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "--state-dir",
                        Files.createDirectories(dir.resolve("startup-server-state"))
                                .toString()),
                dir.resolve("startup-server.log"));
        try {
            waitForPort(serve, port);
            List<Command> commands = commands(server);
            Map<String, List<Double>> seconds = new LinkedHashMap<>();
            for (Command c : commands) seconds.put(c.name(), new ArrayList<>());
            // the commands in JVMs of their own first, with no daemon up: a daemon's background compilation after
            // a script's run would slow the next command down
            measure(commands.stream().filter(c -> !c.daemon()).toList(), rounds, seconds);
            startDaemon();
            measure(commands.stream().filter(Command::daemon).toList(), rounds, seconds);
            return table(commands, seconds);
        } finally {
            stopDaemon();
            serve.destroy();
            if (!serve.waitFor(60, TimeUnit.SECONDS)) serve.destroyForcibly();
        }
    }

    private void measure(List<Command> commands, int rounds, Map<String, List<Double>> seconds) throws Exception {
        for (int round = 0; round <= rounds; round++) {
            log.accept(round == 0 ? "untimed round (page cache)" : "round " + round + " of " + rounds);
            for (int i = 0; i < commands.size(); i++) {
                Command c = commands.get((i + round) % commands.size());
                double s = time(c);
                if (round > 0) seconds.get(c.name()).add(s);
                log.accept(String.format(Locale.ROOT, "  %-56s %6.3f s", c.name(), s));
            }
        }
    }

    static String table(List<Command> commands, Map<String, List<Double>> seconds) {
        double floor = median(seconds.get("java -version"));
        StringBuilder sb = new StringBuilder(
                "| command | median | min - max | vs `java -version` | target | |\n|---|---:|---:|---:|---:|---|\n");
        for (Command c : commands) {
            List<Double> s = seconds.get(c.name());
            double m = median(s);
            boolean hasTarget = !Double.isNaN(c.targetSeconds());
            sb.append(String.format(
                    Locale.ROOT,
                    "| `%s` | %.2f s | %.2f - %.2f s | %.1fx | %s | %s |%n",
                    c.name(),
                    m,
                    s.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    s.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    m / floor,
                    hasTarget ? String.format(Locale.ROOT, "<= %.2f s", c.targetSeconds()) : "(the floor)",
                    hasTarget ? (m <= c.targetSeconds() ? "met" : "not met") : ""));
        }
        return sb.toString();
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Seconds from starting the command's process to its exit; fails if it does not exit 0. */
    private double time(Command c) throws Exception {
        Path out = dir.resolve("startup-command.log");
        if (c.daemon()) daemonQuiet();
        long t0 = System.nanoTime();
        Process p = c.args().isEmpty()
                ? new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java")
                                        .toString(),
                                "-version")
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start()
                : start(c.args(), out, c.daemon());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(c.name() + " did not finish within 300 s");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0)
            throw new IllegalStateException(c.name() + " exited " + p.exitValue() + ": "
                    + Files.readString(out).strip());
        return s;
    }

    /** The daemon the "(daemon)" rows go through, serving the repository folder with the suite's environment. */
    private void startDaemon() throws Exception {
        Path log = dir.resolve("startup-daemon.log");
        Process p = start(List.of("daemon", "start"), log, true);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IllegalStateException(
                    "the daemon did not start: " + Files.readString(log).strip());
    }

    /**
     * Waits (up to 10 s) until the daemon's JVM is quiet: after a script's run its JIT compiles the guest code in
     * the background for a while, and on 2 cores that would be measured as the next command's start-up, which a
     * user typing commands does not see.
     */
    private void daemonQuiet() throws Exception {
        Path pidFile;
        try (var files = Files.list(dir.resolve("cache").resolve("daemons"))) {
            pidFile =
                    files.filter(f -> f.toString().endsWith(".pid")).findFirst().orElse(null);
        }
        if (pidFile == null) return;
        ProcessHandle daemon = ProcessHandle.of(
                        Long.parseLong(Files.readString(pidFile).strip()))
                .orElse(null);
        if (daemon == null) return;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long before = cpuNanos(daemon);
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            long now = cpuNanos(daemon);
            if (now - before < TimeUnit.MILLISECONDS.toNanos(10)) return;
            before = now;
        }
    }

    private static long cpuNanos(ProcessHandle p) {
        return p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private void stopDaemon() throws Exception {
        Process p = start(List.of("daemon", "stop"), dir.resolve("startup-daemon.log"), true);
        if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
    }

    private Process start(List<String> args, Path output) throws IOException {
        return start(args, output, false);
    }

    /**
     * The launcher with {@code args}, in the repository (the examples' paths are relative to it), through the
     * suite's daemon or in a JVM of its own; the suite's own cache folder (plugin digests, the daemon's socket).
     */
    private Process start(List<String> args, Path output, boolean daemon) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(repository.resolve("dataflare").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(repository.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().put("DATAFLARE_TOKEN", TOKEN);
        pb.environment().put("DATAFLARE_SKIP_BUILD", "1");
        pb.environment().put("DATAFLARE_CACHE_DIR", dir.resolve("cache").toString());
        pb.environment().put("DATAFLARE_DAEMON", daemon ? "1" : "0");
        return pb.start();
    }

    private void waitForPort(Process server, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive())
                throw new IllegalStateException("the server exited; see " + dir.resolve("startup-server.log"));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("the server did not listen within 180 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
