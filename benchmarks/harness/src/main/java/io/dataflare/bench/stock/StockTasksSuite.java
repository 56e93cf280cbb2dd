package io.dataflare.bench.stock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dataflare bench --suite stock-tasks}: many stock-indicator tasks in one task server. Starts {@code dataflare
 * serve} (the repository's launcher) as a child process, creates tasks of {@code examples/stock-indicators-tcp.yaml}
 * through the HTTP API, each listening on its own port and writing its own folder, feeds every one over its own
 * connection, and measures the server's heap (after a full GC, by {@code jcmd}) and resident memory ({@code VmRSS} of
 * {@code /proc/<pid>/status}) against the same server with no task, and the rows all tasks write per second.
 */
public final class StockTasksSuite {
    private static final String TOKEN = "bench-token-0123456789-abcdefghij";
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final Path repository;
    private final Path dir;
    private final Consumer<String> log;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private String base;
    private Process server;

    public StockTasksSuite(Path repository, Path dir, Consumer<String> log) {
        this.repository = repository;
        this.dir = dir;
        this.log = log;
    }

    /**
     * @param counts     task counts to reach, ascending (tasks are added to the running server)
     * @param ratePerTask ticks/s fed to each task while measuring
     * @param seconds    how long every task is fed at each count
     * @param heap       the server's -Xmx
     */
    public String run(List<Integer> counts, int ratePerTask, long seconds, String heap, int stocks) throws Exception {
        int port = freePort();
        base = "http://127.0.0.1:" + port;
        String javaOpts = "-Xmx" + heap;
        ProcessBuilder pb = new ProcessBuilder(
                        repository.resolve("dataflare").toString(),
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "--state-dir",
                        Files.createDirectories(dir.resolve("server-state")).toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        pb.environment().put("DATAFLARE_TOKEN", TOKEN);
        pb.environment().put("DATAFLARE_SKIP_BUILD", "1");
        pb.environment().put("DATAFLARE_JAVA_OPTS", javaOpts);
        server = pb.start();
        StringBuilder md = new StringBuilder();
        List<TickFeed> feeds = new ArrayList<>();
        try {
            waitUntilUp();
            Thread.sleep(3_000);
            long[] empty = memory();
            log.accept(String.format(
                    Locale.ROOT, "server pid %d, no task: heap %,d MB, RSS %,d MB", server.pid(), empty[0], empty[1]));
            md.append(String.format(
                    Locale.ROOT,
                    "Server (`dataflare serve`, `DATAFLARE_JAVA_OPTS=%s`) with no task: heap after GC %,d MB, RSS %,d"
                            + " MB, %,d open file descriptors. Each task: %d stocks, fed %,d ticks/s over its own"
                            + " connection, for %d s to warm up, then %d s measured.%n%n",
                    javaOpts,
                    empty[0],
                    empty[1],
                    empty[2],
                    stocks,
                    ratePerTask,
                    seconds,
                    seconds));
            md.append("| tasks | all RUNNING | heap after GC MB | per task MB | RSS MB | per task MB | fed ticks/s"
                    + " | rows out/s during the feed | all out s after the feed | rows out / ticks fed | tasks with output |"
                    + " create + start s | open fds |\n");
            md.append("|---:|:---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            String pipeline = Files.readString(repository.resolve("examples/stock-indicators-tcp.yaml"));
            Path plugin = StatefulSuite.plugin(repository, "js");
            int created = 0;
            for (int n : counts) {
                long t0 = System.nanoTime();
                List<Integer> ports = new ArrayList<>();
                for (; created < n; created++) {
                    int p = freePort();
                    ports.add(p);
                    String yaml = pipeline.replace("${TCP_PORT:-9500}", Integer.toString(p))
                            .replace(
                                    "${OUT:-out/indicators-live}",
                                    dir.resolve("out/task-" + created).toString())
                            .replace(
                                    "${INDICATORS:-../sdk-examples/scripts/javascript-stock-indicators/plugin/stock-indicators.js}",
                                    plugin.toString());
                    post("/api/tasks?start=true&id=stock-" + created, "application/yaml", yaml, 201);
                }
                int running = waitRunning(n, Duration.ofMinutes(5));
                double createSeconds = (System.nanoTime() - t0) / 1e9;
                Clock clock = new Clock();
                for (int p : ports) feeds.add(new TickFeed(p, stocks, 7 + feeds.size(), clock, null));
                log.accept(String.format(
                        Locale.ROOT,
                        "%d tasks, %d RUNNING after %.1f s; feeding each %d ticks/s for %d s",
                        n,
                        running,
                        createSeconds,
                        ratePerTask,
                        seconds));
                // a first feed warms the tasks' scripts up (each task's instances compile on their own)
                long[] warm = recordsOut();
                long warmFed = feedAll(feeds, ratePerTask, seconds);
                double warmCatchUp = catchUp(warm[0] + warmFed);
                long[] out0 = recordsOut();
                long f0 = System.nanoTime();
                long fed = feedAll(feeds, ratePerTask, seconds);
                double feedSecs = (System.nanoTime() - f0) / 1e9;
                long[] atEnd = recordsOut();
                double catchUp = catchUp(out0[0] + fed);
                long[] out1 = recordsOut();
                long[] mem = memory();
                int withOutput = 0;
                for (int i = 0; i < n; i++) if (out1[i + 1] > (i + 1 < out0.length ? out0[i + 1] : 0)) withOutput++;
                long rowsOut = out1[0] - out0[0];
                double outDuringFeed = (atEnd[0] - out0[0]) / feedSecs;
                log.accept(String.format(
                        Locale.ROOT,
                        "  heap %,d MB, RSS %,d MB; warm-up feed caught up %.1f s after it; fed %,.0f ticks/s, out"
                                + " %,.0f rows/s during the feed, all out %.1f s after it (%,d rows for %,d ticks); %d of"
                                + " %d tasks wrote",
                        mem[0],
                        mem[1],
                        warmCatchUp,
                        fed / feedSecs,
                        outDuringFeed,
                        catchUp,
                        rowsOut,
                        fed,
                        withOutput,
                        n));
                md.append(String.format(
                        Locale.ROOT,
                        "| %d | %s | %,d | %.1f | %,d | %.1f | %,.0f | %,.0f | %s | %,d of %,d | %d | %.0f | %,d |%n",
                        n,
                        running == n ? "yes" : running + " of " + n,
                        mem[0],
                        (mem[0] - empty[0]) / (double) n,
                        mem[1],
                        (mem[1] - empty[1]) / (double) n,
                        fed / feedSecs,
                        outDuringFeed,
                        Double.isNaN(catchUp) ? "not within 120 s" : String.format(Locale.ROOT, "%.1f", catchUp),
                        rowsOut,
                        fed,
                        withOutput,
                        createSeconds,
                        mem[2]));
            }
        } finally {
            for (TickFeed f : feeds) f.close();
            server.destroy(); // SIGTERM: a graceful stop
            if (!server.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) server.destroyForcibly();
        }
        return md.toString();
    }

    /** Feeds every task at once, each on its own thread with 10 ms slices; answers the ticks sent. */
    private static long feedAll(List<TickFeed> feeds, int ratePerTask, long seconds) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> sent = new ArrayList<>();
            for (TickFeed f : feeds)
                sent.add(pool.submit(() -> f.send(ratePerTask, seconds * 1_000_000_000L, 10_000_000L)));
            long total = 0;
            for (Future<Long> s : sent) total += s.get();
            return total;
        }
    }

    /** Seconds until the tasks' rows out reach {@code total} (NaN when not within 120 s). */
    private double catchUp(long total) throws Exception {
        long t0 = System.nanoTime();
        while (recordsOut()[0] < total) {
            if (System.nanoTime() - t0 > 120_000_000_000L) return Double.NaN;
            Thread.sleep(250);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private void waitUntilUp() throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive())
                throw new IllegalStateException("the server exited; see " + dir.resolve("server.log"));
            try {
                get("/api/tasks");
                return;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("the server did not answer within 180 s");
    }

    private int waitRunning(int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int running = 0;
        while (System.nanoTime() < deadline) {
            running = 0;
            for (JsonNode t : get("/api/tasks").get("tasks")) {
                String state = t.get("state").asText();
                if (state.equals("RUNNING")) running++;
                else if (state.equals("ERROR"))
                    throw new IllegalStateException("task " + t.get("id") + ": " + t.get("error"));
            }
            if (running >= n) return running;
            Thread.sleep(500);
        }
        return running;
    }

    /** Index 0: the sum of every task's records out; index i + 1: task stock-i's. */
    private long[] recordsOut() throws Exception {
        JsonNode tasks = get("/api/tasks").get("tasks");
        long[] out = new long[tasks.size() + 1];
        for (JsonNode t : tasks) {
            int i = Integer.parseInt(t.get("id").asText().substring("stock-".length()));
            long o = t.get("records_out").asLong();
            if (i + 1 < out.length) out[i + 1] = o;
            out[0] += o;
        }
        return out;
    }

    /** {heap used after a full GC in MB, resident set in MB, open file descriptors}. */
    private long[] memory() throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(server.pid()), "GC.run");
        Matcher m = HEAP_USED.matcher(run(jcmd, Long.toString(server.pid()), "GC.heap_info"));
        if (!m.find()) throw new IllegalStateException("no heap figure from jcmd GC.heap_info");
        long heap = Long.parseLong(m.group(1)) / 1024;
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + server.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
        long fds;
        try (java.util.stream.Stream<Path> open = Files.list(Path.of("/proc/" + server.pid() + "/fd"))) {
            fds = open.count();
        }
        return new long[] {heap, rss, fds};
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + ": " + out);
        return out;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200)
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        return json.readTree(r.body());
    }

    private void post(String path, String type, String body, int expected) throws Exception {
        HttpResponse<String> r = http.send(
                request(path)
                        .header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected)
            throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + r.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + TOKEN);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
