package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run closes the key routers of its routed stages (a script or WASM router holds an interpreter or an instance
 * until it is closed): once when the run ends, on a start that fails after the router was made, and the replaced
 * version when a newer one is switched in.
 */
@Timeout(60)
class KeyRouterCloseTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Where the routers log their closes: outside the watched plugins folder. */
    @TempDir
    Path logDir;

    private final InProcessPlugins inProcess = new InProcessPlugins()
            .processor("pass", () -> batch -> batch)
            .add(new SinkFactory() {
                @Override
                public String name() {
                    return "cannot-start";
                }

                @Override
                public Sink create(PluginContext ctx) {
                    throw new IllegalStateException("this sink never starts");
                }
            });
    private Engine engine;
    private PipelineRun run;
    private Path closes;

    @BeforeEach
    void engine() {
        engine = TestEngines.withFolder(dir, inProcess, true);
        closes = logDir.resolve("closes.txt");
    }

    @AfterEach
    void close() throws Exception {
        if (run != null) run.close();
        engine.close();
    }

    private void start(String yaml) {
        engine.plugins().scan();
        run = engine.start(TestEngines.plan(engine, yaml));
    }

    private List<String> closed() throws IOException {
        return Files.exists(closes) ? Files.readAllLines(closes) : List.of();
    }

    private static String pipeline(long count, String sink) {
        return """
                sources: { in: { use: seq, with: { count: %d } } }
                processors:
                  p: { use: pass, from: in, parallelism: 2, routing: { key: key, strategy: "stamped-router@^1" } }
                sinks: { out: { use: %s, from: p } }
                """.formatted(count, sink);
    }

    @Test
    void aRunThatCompletesClosesItsKeyRouterOnce() throws Exception {
        KindJars.router(dir.resolve("router.jar"), "1.0.0", "0 (1.0.0)", closes);
        start(pipeline(1000, "collect, with: { name: out }"));
        PipelineResult r = run.await(WAIT);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(inProcess.collected("out")).hasSize(1000);
        assertThat(closed()).containsExactly("0 (1.0.0)");
        run.close();
        assertThat(closed()).as("closing the ended run closes nothing twice").containsExactly("0 (1.0.0)");
    }

    @Test
    void aStartThatFailsAfterTheRouterWasMadeClosesIt() throws Exception {
        KindJars.router(dir.resolve("router.jar"), "1.0.0", "0 (1.0.0)", closes);
        start(pipeline(1000, "cannot-start"));
        PipelineResult r = run.await(WAIT);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure()).contains("this sink never starts");
        assertThat(closed()).containsExactly("0 (1.0.0)");
    }

    @Test
    void aSwitchClosesTheReplacedRouterAndTheEndOfTheRunTheNewOne() throws Exception {
        KindJars.router(dir.resolve("router.jar"), "1.0.0", "0 (1.0.0)", closes);
        start(pipeline(1_000_000_000, "collect, with: { name: out, delay_ms: 2 }"));
        await().atMost(WAIT).until(() -> inProcess.collected("out").size() >= 1000);
        assertThat(closed()).isEmpty();
        KindJars.router(dir.resolve("router-1.1.jar"), "1.1.0", "1 (1.1.0)", closes);
        await().atMost(WAIT).until(() -> !run.switches().isEmpty());
        await().atMost(WAIT).until(() -> closed().equals(List.of("0 (1.0.0)")));
        run.stop();
        PipelineResult r = run.await(WAIT);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.STOPPED);
        assertThat(closed()).containsExactly("0 (1.0.0)", "1 (1.1.0)");
    }
}
