package io.dataflare.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.policy.ErrorAction;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.ErrorPolicyFactory;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.KeyRouterFactory;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.api.policy.RetryPolicyFactory;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Policies and a source that break their contracts, and well-behaved ones next to them. */
    static class PoliciesContract extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() {
            return PluginLoaders.inProcess(
                    "policies",
                    "1.0.0",
                    new RetryPolicyFactory() {
                        @Override
                        public String name() {
                            return "forever";
                        }

                        @Override
                        public RetryPolicy create(PluginContext context) {
                            return f -> Optional.of(Duration.ofMillis(1)); // never gives up
                        }
                    },
                    new RetryPolicyFactory() {
                        @Override
                        public String name() {
                            return "three-times";
                        }

                        @Override
                        public RetryPolicy create(PluginContext context) {
                            return f -> f.attempts() < 3 ? Optional.of(Duration.ZERO) : Optional.empty();
                        }
                    },
                    new ErrorPolicyFactory() {
                        @Override
                        public String name() {
                            return "undecided";
                        }

                        @Override
                        public ErrorPolicy create(PluginContext context) {
                            return f -> f.errorClass().equals("io") ? ErrorAction.SKIP : null;
                        }
                    },
                    new KeyRouterFactory() {
                        @Override
                        public String name() {
                            return "off-by-one";
                        }

                        @Override
                        public KeyRouter create(PluginContext context) {
                            return (key, load) -> load.instances(); // one past the last instance
                        }
                    },
                    new KeyRouterFactory() {
                        @Override
                        public String name() {
                            return "modulo";
                        }

                        @Override
                        public KeyRouter create(PluginContext context) {
                            return (key, load) -> key == null ? 0 : Math.floorMod(key.hashCode(), load.instances());
                        }
                    },
                    new SourceFactory() {
                        @Override
                        public String name() {
                            return "forgetful";
                        }

                        @Override
                        public Source create(PluginContext context) {
                            return new Source() {
                                long next;

                                @Override
                                public void seek(Map<String, Object> position) {} // ignores the position

                                @Override
                                public RecordBatch poll(int max) {
                                    RecordBatch.Builder b = RecordBatch.builder();
                                    for (int i = 0; i < max; i++) b.add(Record.fromMap(Map.of("id", next++)));
                                    return b.position(Map.of("next", next)).build();
                                }
                            };
                        }
                    });
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(
                    ComponentCase.retryPolicy("forever"),
                    ComponentCase.retryPolicy("three-times"),
                    ComponentCase.errorPolicy("undecided"),
                    ComponentCase.keyRouter("off-by-one"),
                    ComponentCase.keyRouter("modulo"),
                    ComponentCase.source("forgetful").resumable());
        }
    }

    @Test
    void policiesAndSourcesThatBreakTheirContractsFailWithReasons() {
        List<String> failures = failures(PoliciesContract.class);
        assertSomeFailureSays(failures, "retry policy forever still retries io after 100 attempts");
        assertSomeFailureSays(failures, "error policy undecided decided nothing for");
        assertSomeFailureSays(failures, "key router off-by-one routed k0 to 2 of 2");
        assertSomeFailureSays(failures, "source forgetful read other records after seeking");
        assertTrue(
                failures.stream().noneMatch(f -> f.contains("three-times") || f.contains("modulo")),
                failures::toString);
    }

    @Test
    void aThreadTheFirstInstanceStartsForAllIsNotALeak() {
        Events events = run(SharedTimerContract.class);
        SharedTimerSinkFactory.timer.shutdownNow();
        assertNoneFailed(events);
    }

    @Test
    void aWellBehavedPluginPasses() {
        Events events = run(StampContract.class);
        assertNoneFailed(events);
        assertTrue(events.succeeded().count() >= 8);
    }

    @Test
    void aSloppyPluginFailsWithReasons() {
        List<String> failures = failures(SloppyContract.class);
        assertSomeFailureSays(failures, "lost or invented records: in 2, out 1, rejected 0");
        assertSomeFailureSays(failures, "left these behind after close(): [thread 'sloppy-worker']");
        assertSomeFailureSays(failures, "is not deterministic");
        assertSomeFailureSays(failures, "option 'level' has no description");
    }

    private static Events run(Class<?> contract) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(contract))
                .execute()
                .testEvents();
    }

    /** What failed when the kit ran {@code contract}: each as "test name: message". */
    private static List<String> failures(Class<?> contract) {
        return run(contract).failed().stream()
                .map(PluginContractTestTest::describe)
                .toList();
    }

    private static void assertSomeFailureSays(List<String> failures, String text) {
        assertTrue(
                failures.stream().anyMatch(f -> f.contains(text)), () -> "no failure says '" + text + "': " + failures);
    }

    private static void assertNoneFailed(Events events) {
        assertEquals(
                0,
                events.failed().count(),
                () -> events.failed().stream()
                        .map(PluginContractTestTest::describe)
                        .toList()
                        .toString());
    }

    private static String describe(Event e) {
        return e.getTestDescriptor().getDisplayName() + ": "
                + e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                        .map(Throwable::getMessage)
                        .orElse("?");
    }
}
