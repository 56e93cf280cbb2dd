package io.dataflare.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** The kit passes a well-behaved plugin (loaded from a real JAR) and catches the broken ones. */
class PluginContractTestTest {
    static final RecordBatch SAMPLE =
            RecordBatch.of(Record.fromMap(Map.of("id", 1L)), Record.fromMap(Map.of("id", 2L)));

    /** The test fixture "stamp" processor, packaged as a plugin JAR and loaded by the Java host. */
    static class StampContract extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            Path dir = Files.createTempDirectory("tck-stamp");
            return PluginLoaders.javaJar(Fixtures.stamp(dir.resolve("stamp.jar"), "1.0.0"));
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.processor("stamp")
                    .config(Map.of("note", "x"))
                    .rejects(Map.of("note", List.of(1)), "note")
                    .input(SAMPLE));
        }
    }

    /** Drops a record without saying so, leaks a thread, counts calls (not deterministic), accepts anything. */
    public static final class SloppyFactory implements ProcessorFactory {
        static final AtomicLong CALLS = new AtomicLong();

        @Override
        public String name() {
            return "sloppy";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .optional("level", ConfigType.LONG, 1L, "")
                    .build();
        }

        @Override
        public Processor create(PluginContext context) {
            Thread leaked = new Thread(
                    () -> {
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "sloppy-worker");
            leaked.setDaemon(true);
            leaked.start();
            return batch -> {
                long n = CALLS.incrementAndGet();
                RecordBatch.Builder b = RecordBatch.builder();
                for (int i = 1; i < batch.size(); i++)
                    b.add(batch.get(i).toBuilder().set("call", n).build());
                return b.build();
            };
        }
    }

    static class SloppyContract extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() {
            return PluginLoaders.inProcess("sloppy", "1.0.0", new SloppyFactory());
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.processor("sloppy")
                    .rejects(Map.of("level", "high"), "level")
                    .input(SAMPLE));
        }
    }

    /**
     * A sink whose first instance starts a timer thread that every later instance shares, the way a WASM or
     * script host starts its watchdog: not a leak of the instance.
     */
    public static final class SharedTimerSinkFactory implements SinkFactory {
        static volatile java.util.concurrent.ScheduledExecutorService timer;

        @Override
        public String name() {
            return "timed";
        }

        @Override
        public Sink create(PluginContext context) {
            synchronized (SharedTimerSinkFactory.class) {
                if (timer == null) {
                    timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "shared-timer");
                        t.setDaemon(true);
                        return t;
                    });
                }
            }
            return (batch, rejections) -> timer.submit(() -> {}).get();
        }
    }

    static class SharedTimerContract extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() {
            return PluginLoaders.inProcess("timed", "1.0.0", new SharedTimerSinkFactory());
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.sink("timed").input(SAMPLE));
        }
    }

    @Test
    void aThreadTheFirstInstanceStartsForAllIsNotALeak() {
        Events events = run(SharedTimerContract.class);
        SharedTimerSinkFactory.timer.shutdownNow();
        assertEquals(
                0,
                events.failed().count(),
                () -> events.failed().stream()
                        .map(PluginContractTestTest::describe)
                        .toList()
                        .toString());
    }

    private static Events run(Class<?> contract) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(contract))
                .execute()
                .testEvents();
    }

    @Test
    void aWellBehavedPluginPasses() {
        Events events = run(StampContract.class);
        assertEquals(
                0,
                events.failed().count(),
                () -> events.failed().stream()
                        .map(PluginContractTestTest::describe)
                        .toList()
                        .toString());
        assertTrue(events.succeeded().count() >= 8);
    }

    @Test
    void aSloppyPluginFailsWithReasons() {
        List<String> failures = run(SloppyContract.class).failed().stream()
                .map(PluginContractTestTest::describe)
                .toList();
        assertTrue(
                failures.stream().anyMatch(f -> f.contains("lost or invented records: in 2, out 1, rejected 0")),
                failures::toString);
        assertTrue(
                failures.stream()
                        .anyMatch(f -> f.contains("left these behind after close(): [thread 'sloppy-worker']")),
                failures::toString);
        assertTrue(failures.stream().anyMatch(f -> f.contains("is not deterministic")), failures::toString);
        assertTrue(
                failures.stream().anyMatch(f -> f.contains("option 'level' has no description")), failures::toString);
    }

    private static String describe(Event e) {
        return e.getTestDescriptor().getDisplayName() + ": "
                + e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                        .map(Throwable::getMessage)
                        .orElse("?");
    }
}
