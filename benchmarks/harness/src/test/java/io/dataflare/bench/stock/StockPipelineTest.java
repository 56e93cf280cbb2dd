package io.dataflare.bench.stock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.scale.ParallelismChange;
import io.dataflare.engine.runtime.scale.RescaleEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stateful suite's pipeline at a tiny size, with the real plugin JARs (files, tcp, transforms, policies) and the Rust (WASM) indicators: every
 * tick fed over TCP comes out once, in order, with the indicators the plain-Java reference computes, at the probe
 * and in the CSV files, with a fixed stage and across a 1 -> 4 rescale while ticks flow. (No figure is asserted:
 * benchmarks are not tests.)
 */
@Timeout(300)
class StockPipelineTest {
    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void everyTickComesOutOnceWithTheReferenceIndicators() throws Exception {
        try (Engine engine = engine();
                StockPipeline p = new StockPipeline(engine, dir, StatefulSuite.plugin(REPOSITORY, "wasm"), "2", 20)) {
            long sent = p.feed.send(2_000, 1_000_000_000L);
            assertThat(p.drain(Duration.ofSeconds(60))).as("drained").isTrue();
            assertThat(p.stopAndCountFileRows()).isEqualTo(sent);
            assertThat(p.expected.verdict()).startsWith("all ");
            assertThat(p.expected.matched()).isEqualTo(sent);
            assertThat(p.probe.latenciesMs(Long.MIN_VALUE, Long.MAX_VALUE)).hasSize((int) sent);
        }
    }

    @Test
    void aRescaleFromOneToFourUnderLoadLosesAndRepeatsNoRow() throws Exception {
        try (Engine engine = engine();
                StockPipeline p = new StockPipeline(
                        engine,
                        dir,
                        StatefulSuite.plugin(REPOSITORY, "wasm"),
                        "{ min: 1, max: 4, initial: 1, auto: false }",
                        20)) {
            p.feed.send(1_000, 500_000_000L);
            CompletableFuture<Long> feeding = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.feed.send(1_000, 2_000_000_000L);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(700);
            RescaleEvent e = p.run.parallelism("indicators", new ParallelismChange(4, null, null, null));
            feeding.join();
            assertThat(e.to()).isEqualTo(4);
            assertThat(p.drain(Duration.ofSeconds(60))).as("drained").isTrue();
            assertThat(p.stopAndCountFileRows()).isEqualTo(p.feed.sent());
            assertThat(p.expected.verdict()).startsWith("all ");
            assertThat(p.expected.matched()).isEqualTo(p.feed.sent());
        }
    }

    @Test
    void percentilesAreNearestRank() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(OutputProbe.percentile(sorted, 50)).isEqualTo(5);
        assertThat(OutputProbe.percentile(sorted, 99)).isEqualTo(10);
        assertThat(OutputProbe.percentile(sorted, 0)).isEqualTo(1);
        assertThat(OutputProbe.percentile(new double[0], 50)).isNaN();
    }

    /** The files, tcp, transforms and policies plugin JARs the reactor built, in a plugins folder of their own. */
    private Engine engine() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        for (String name : List.of("files", "tcp", "transforms", "policies")) {
            Path target = REPOSITORY.resolve("plugins").resolve(name).resolve("target");
            Path jar;
            try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
                jar = files.filter(f -> {
                            String n = f.getFileName().toString();
                            return n.startsWith(name + "-") && n.endsWith(".jar") && !n.endsWith("-tests.jar");
                        })
                        .findFirst()
                        .orElse(null);
            }
            assumeTrue(jar != null, "the " + name + " plugin JAR is not built (run mvn verify -am)");
            Files.copy(jar, plugins.resolve(name + ".jar"));
        }
        return Engine.builder().pluginDirectory(plugins).build();
    }
}
