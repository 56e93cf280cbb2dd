package io.dataflare.bench.stock;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The stock-indicator task of {@code examples/stock-indicators-tcp.yaml} (tcp source, cast, the indicators processor
 * with sticky routing by {@code stock_code}, one CSV file per stock, dead letters, {@code max_wait_ms: 50}) running
 * in this JVM, with one more sink: {@code tcp} to the {@link OutputProbe}, so each row's arrival can be timed. A
 * {@link TickFeed} feeds it.
 */
final class StockPipeline implements AutoCloseable {
    final Clock clock = new Clock();
    final Expectations expected = new Expectations();
    final OutputProbe probe;
    final PipelineRun run;
    final TickFeed feed;
    private final Path out;
    /** Numbers the runs: each gets its own pipeline name, so their metrics do not meet in the registry. */
    private static final java.util.concurrent.atomic.AtomicInteger RUNS =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param indicators  the processor's {@code use:} (the JavaScript or WASM plugin's file)
     * @param parallelism the processor's {@code parallelism:} (YAML flow text)
     */
    StockPipeline(Engine engine, Path dir, Path indicators, String parallelism, int stocks) throws Exception {
        this.out = Files.createDirectories(dir.resolve("indicators"));
        this.probe = new OutputProbe(clock, expected);
        int port = freePort();
        String yaml = """
                name: stock-indicators-bench-%d
                sources:
                  ticks: { use: tcp, with: { listen: "127.0.0.1:%d", format: csv } }
                processors:
                  typed:
                    use: cast
                    from: ticks
                    with: { schema: { ts: timestamp, price: decimal, volume: long }, required: [ts, stock_code, price] }
                  indicators:
                    use: "%s"
                    from: typed
                    parallelism: %s
                    routing: { key: stock_code, strategy: sticky }
                    with: { timeout_ms: 10000 }
                sinks:
                  out:
                    use: csv-file
                    from: indicators
                    with: { path: "%s/{stock_code}.csv", columns: [ts, stock_code, price, ma5, ma10, rsi14] }
                  probe: { use: tcp, from: indicators, with: { connect: "127.0.0.1:%d", format: jsonl } }
                policies:
                  errors:
                    on_error: dead-letter
                    dead_letter: { use: jsonl-file, with: { path: "%s-dead-letters.jsonl" } }
                runtime: { max_wait_ms: 50 }
                """.formatted(RUNS.incrementAndGet(), port, indicators, parallelism, out, probe.port(), out);
        PipelinePlan plan = engine.load(yaml, "stock-indicators-bench.yaml", ConfigReader.Format.YAML, dir);
        this.run = engine.prepare(plan).start();
        this.feed = new TickFeed(port, stocks, 42, clock, expected);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until every tick sent has come out at the probe (or {@code timeout} passed): whether it did. */
    boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (probe.rows() < feed.sent() && System.nanoTime() < deadline) Thread.sleep(20);
        return probe.rows() >= feed.sent();
    }

    /** Stops the run gracefully (the files are flushed) and answers the CSV rows written, headers not counted. */
    long stopAndCountFileRows() throws Exception {
        feed.close();
        run.stop();
        PipelineResult r = run.await(Duration.ofSeconds(60));
        if (r.state() != PipelineState.STOPPED && r.state() != PipelineState.COMPLETED)
            throw new IllegalStateException("the run ended " + r.state() + ": " + r.failure());
        long rows = 0;
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                try (Stream<String> lines = Files.lines(f)) {
                    rows += lines.count() - 1;
                }
            }
        }
        return rows;
    }

    @Override
    public void close() throws Exception {
        feed.close();
        if (!run.state().isTerminal()) run.cancel();
        run.close();
        probe.close();
    }
}
