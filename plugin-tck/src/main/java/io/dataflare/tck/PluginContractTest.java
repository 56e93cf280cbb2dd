package io.dataflare.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.zafarkhaja.semver.Version;
import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigOption;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.api.policy.RoutingLoad;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.version.EngineVersion;
import io.dataflare.engine.version.VersionRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.pf4j.PluginDependency;

/**
 * The plugin contract, as JUnit 5 tests a plugin author inherits. Extend it, say how to load the plugin
 * and give one {@link ComponentCase} per component:
 *
 * <pre>{@code
 * class MyPluginContractIT extends PluginContractTest {
 *     protected LoadedPlugin loadPlugin() throws Exception {
 *         return PluginLoaders.javaJar(Path.of("target/my-plugin-1.0.0.jar"));
 *     }
 *     protected List<ComponentCase> components() {
 *         return List.of(ComponentCase.processor("upper").config(Map.of("fields", List.of("name"))).input(SAMPLE));
 *     }
 * }
 * }</pre>
 *
 * <p>It checks: the manifest is valid and matches the components; each config spec accepts the valid
 * configuration, rejects a missing required option, an unknown option and the author's bad configurations
 * (naming the option), and documents every option; an instance can be created, used and closed, and
 * closing it ends the threads and closes the files it opened (checked on a second instance, so what a
 * host starts once and shares, such as a timer thread or a script engine, is not counted); a processor returns a batch for every batch
 * (also an empty one) and accounts for every record ({@code in = out + rejected} for
 * {@link Shape#ONE_TO_ONE}), a source returns at most what was asked, a sink reports only records it was
 * given; a resumable source reads on from a position as it did before, a sink's checkpoint state is JSON that a
 * new instance restores; a retry policy gives non-negative delays and gives up, an error policy decides every
 * failure, a key router routes every key to a valid instance, the same each time; the same input and
 * configuration give the same output (and decisions). The kit drives only a
 * {@link LoadedPlugin} and its factories, so the WASM and script hosts check their plugins with it too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PluginContractTest {
    private static final String NAME = "[a-z0-9][a-z0-9_.-]*";
    private static final long SETTLE_MS = 2_000;
    /** The attempts within which a retry policy must give up on a failure. */
    private static final int MAX_RETRIES = 100;

    private LoadedPlugin plugin;
    private Path workDir;

    /** Loads the plugin under test (see {@link PluginLoaders}); closed after the tests. */
    protected abstract LoadedPlugin loadPlugin() throws Exception;

    /** One case per component of the plugin. */
    protected abstract List<ComponentCase> components();

    /**
     * Called once before the checks with the folder relative paths in configurations resolve against: put
     * the input files a source reads there.
     */
    protected void prepare(Path workDir) throws Exception {}

    @BeforeAll
    final void loadThePlugin() throws Exception {
        plugin = loadPlugin();
        workDir = Files.createTempDirectory("dataflare-tck-");
        prepare(workDir);
    }

    @AfterAll
    final void unloadThePlugin() throws Exception {
        if (plugin != null) plugin.close();
        if (workDir != null) {
            try (Stream<Path> s = Files.walk(workDir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** The plugin under test. */
    protected final LoadedPlugin plugin() {
        return plugin;
    }

    // ---- manifest --------------------------------------------------------------------------------------

    @Test
    final void manifestIsValidAndMatchesTheComponents() {
        PluginManifest m = plugin.manifest();
        assertTrue(
                m.getPluginId().matches(NAME),
                "plugin id '" + m.getPluginId() + "' must be lower-case letters, digits, '-', '_', '.'");
        assertTrue(
                Version.tryParse(m.getVersion()).isPresent(),
                "version '" + m.getVersion() + "' must be semver (e.g. 1.2.0)");
        VersionRange requires = VersionRange.parse(m.getRequires());
        assertTrue(
                requires.includes(EngineVersion.current()),
                "requires '" + m.getRequires() + "' must accept this engine (" + EngineVersion.current() + ")");
        for (PluginDependency d : m.getDependencies()) {
            assertTrue(d.getPluginId().matches(NAME), "dependency '" + d.getPluginId() + "' is not a plugin id");
            VersionRange.parse(d.getPluginVersionSupport());
        }
        Set<String> kinds = new LinkedHashSet<>();
        Set<String> names = new HashSet<>();
        for (PluginFactory<?> f : plugin.components()) {
            kinds.add(f.kind().manifestKind());
            assertTrue(
                    f.name() != null && f.name().matches(NAME),
                    f.getClass().getName() + " has an invalid name '" + f.name() + "'");
            assertTrue(
                    names.add(f.kind() + "/" + f.name()),
                    "two " + f.kind().label() + " components are named '" + f.name() + "'");
        }
        assertEquals(kinds, new LinkedHashSet<>(m.kinds()), "the manifest's kinds must be those of the components");
    }

    @Test
    final void everyComponentHasACase() {
        Set<String> covered = new HashSet<>();
        for (ComponentCase c : components()) {
            factory(c);
            covered.add(c.kind + "/" + c.name);
        }
        for (PluginFactory<?> f : plugin.components()) {
            assertTrue(
                    covered.contains(f.kind() + "/" + f.name()),
                    f.kind().label() + " '" + f.name() + "' has no ComponentCase");
        }
    }

    // ---- configuration ---------------------------------------------------------------------------------

    @TestFactory
    final Stream<DynamicTest> configSpecAcceptsTheValidConfigAndRejectsBadOnes() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ComponentCase c : components()) {
            PluginFactory<?> f = factory(c);
            ConfigSpec spec = f.configSpec();
            tests.add(DynamicTest.dynamicTest(c + ": accepts its valid configuration", () -> context(c, f)));
            tests.add(DynamicTest.dynamicTest(c + ": documents every option", () -> {
                for (ConfigOption o : spec.options())
                    assertFalse(o.description().isBlank(), c + ": option '" + o.name() + "' has no description");
            }));
            for (ConfigOption o : spec.options()) {
                if (!o.required()) continue;
                tests.add(DynamicTest.dynamicTest(c + ": rejects a missing '" + o.name() + "'", () -> {
                    Map<String, Object> without = new HashMap<>(c.config);
                    without.remove(o.name());
                    assertRejected(f, without, o.name());
                }));
            }
            if (!spec.allowsUnknown()) {
                tests.add(DynamicTest.dynamicTest(c + ": rejects an unknown option", () -> {
                    Map<String, Object> extra = new HashMap<>(c.config);
                    extra.put("tck_unknown_option", 1);
                    assertRejected(f, extra, "tck_unknown_option");
                }));
            }
            for (Map<String, Object> bad : c.rejectedConfigs()) {
                String option = c.rejected.get(bad);
                tests.add(DynamicTest.dynamicTest(c + ": rejects " + bad, () -> assertRejected(f, bad, option)));
            }
        }
        return tests.stream();
    }

    private void assertRejected(PluginFactory<?> f, Map<String, Object> config, String option) {
        try {
            SimplePluginContext.of(f, config, workDir);
        } catch (ConfigException e) {
            assertTrue(e.getMessage().contains(option), "the error should name '" + option + "': " + e.getMessage());
            return;
        }
        fail(f.name() + " accepted " + config);
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------

    @TestFactory
    final Stream<DynamicTest> closingAnInstanceReleasesItsThreadsAndFiles() {
        return components().stream()
                .map(c -> DynamicTest.dynamicTest(c + ": open, use, close, nothing left behind", () -> {
                    PluginFactory<?> f = factory(c);
                    // A first instance may start what its host shares between instances (a WASM host's timer thread,
                    // a script engine): that outlives it on purpose. The second instance must leave nothing new behind.
                    Object first = f.create(context(c, f));
                    try (AutoCloseable closing = closeable(first)) {
                        exercise(c, first);
                    }
                    Set<Thread> threadsBefore = Resources.threads();
                    Set<String> filesBefore = Resources.openFiles();
                    Object instance = f.create(context(c, f));
                    exercise(c, instance);
                    closeable(instance).close();
                    long deadline = System.currentTimeMillis() + SETTLE_MS;
                    List<String> leftovers;
                    do {
                        leftovers = leftovers(threadsBefore, filesBefore);
                        if (leftovers.isEmpty()) return;
                        Thread.sleep(50);
                    } while (System.currentTimeMillis() < deadline);
                    fail(c + " left these behind after close(): " + leftovers);
                }));
    }

    private static List<String> leftovers(Set<Thread> threadsBefore, Set<String> filesBefore) {
        List<String> out = new ArrayList<>();
        for (Thread t : Resources.threads()) {
            if (!threadsBefore.contains(t) && t.isAlive() && !isJvmThread(t)) out.add("thread '" + t.getName() + "'");
        }
        for (String file : Resources.openFiles()) {
            if (!filesBefore.contains(file) && !file.endsWith(".jar")) out.add("open file " + file);
        }
        return out;
    }

    private static boolean isJvmThread(Thread t) {
        String n = t.getName();
        return n.startsWith("ForkJoinPool.commonPool")
                || n.equals("Common-Cleaner")
                || n.equals("Attach Listener")
                || n.startsWith("process reaper")
                || n.startsWith("surefire");
    }

    private void exercise(ComponentCase c, Object instance) throws Exception {
        switch (c.kind) {
            case PROCESSOR -> ((Processor) instance).process(c.input);
            case SOURCE -> ((Source) instance).poll(10);
            case SINK -> {
                ((Sink) instance).write(c.input, new Collected());
                ((Sink) instance).flush();
            }
            case RETRY_POLICY -> ((RetryPolicy) instance).nextDelay(c.failures.get(0));
            case ERROR_POLICY -> ((ErrorPolicy) instance).decide(c.failures.get(0));
            case KEY_ROUTER -> ((KeyRouter) instance).route(c.keys.get(0), load(2));
        }
    }

    /** A policy instance as something to close: Java policies are often lambdas, which have nothing to close. */
    private static AutoCloseable closeable(Object instance) {
        return instance instanceof AutoCloseable ac ? ac : () -> {};
    }

    private static RoutingLoad load(int instances) {
        return new RoutingLoad() {
            @Override
            public int instances() {
                return instances;
            }

            @Override
            public int queued(int instance) {
                return 0;
            }
        };
    }

    // ---- batch contract ---------------------------------------------------------------------------------

    @TestFactory
    final Stream<DynamicTest> everyRecordIsAccountedFor() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ComponentCase c : components()) {
            PluginFactory<?> f = factory(c);
            switch (c.kind) {
                case PROCESSOR -> {
                    tests.add(DynamicTest.dynamicTest(c + ": " + c.shape + " accounting on the sample batch", () -> {
                        try (Processor p = (Processor) f.create(context(c, f))) {
                            checkAccounting(c, c.input, p.process(c.input));
                        }
                    }));
                    tests.add(DynamicTest.dynamicTest(c + ": an empty batch gives a batch back", () -> {
                        try (Processor p = (Processor) f.create(context(c, f))) {
                            RecordBatch out = p.process(RecordBatch.EMPTY);
                            assertNotNull(out, c + " returned null for an empty batch");
                            if (c.shape != Shape.EXPANDS)
                                assertEquals(0, out.size() + out.rejections().size(), c + " invented records");
                        }
                    }));
                }
                case SOURCE ->
                    tests.add(DynamicTest.dynamicTest(c + ": polls return at most what was asked", () -> {
                        try (Source s = (Source) f.create(context(c, f))) {
                            for (int i = 0; i < c.polls; i++) {
                                RecordBatch b = s.poll(7);
                                if (b == null) break;
                                assertTrue(b.size() <= 7, c + " returned " + b.size() + " records for poll(7)");
                                for (Record r : b) assertNotNull(r, c + " returned a null record");
                            }
                        }
                    }));
                case SINK ->
                    tests.add(DynamicTest.dynamicTest(
                            c + ": writes the sample batch, rejecting only its records", () -> {
                                try (Sink s = (Sink) f.create(context(c, f))) {
                                    Collected rejected = new Collected();
                                    s.write(c.input, rejected);
                                    s.flush();
                                    for (Record r : rejected.records)
                                        assertTrue(
                                                c.input.records().contains(r),
                                                c + " rejected a record it was not given");
                                    assertTrue(
                                            rejected.records.size() <= c.input.size(),
                                            c + " rejected more records than it was given");
                                }
                            }));
                default -> {}
            }
        }
        return tests.stream();
    }

    private static void checkAccounting(ComponentCase c, RecordBatch in, RecordBatch out) {
        assertNotNull(out, c + " returned null");
        int emitted = out.size();
        int rejected = out.rejections().size();
        for (Rejection r : out.rejections()) {
            assertTrue(
                    in.records().contains(r.record()),
                    c + " rejected a record that was not in its input: " + r.record());
            assertFalse(r.reason() == null || r.reason().isBlank(), c + " rejected a record without a reason");
        }
        String counts = "in " + in.size() + ", out " + emitted + ", rejected " + rejected;
        switch (c.shape) {
            case ONE_TO_ONE -> assertEquals(in.size(), emitted + rejected, c + " lost or invented records: " + counts);
            case FILTERS -> assertTrue(emitted + rejected <= in.size(), c + " invented records: " + counts);
            case EXPANDS -> assertTrue(emitted + rejected >= in.size(), c + " lost records: " + counts);
        }
    }

    // ---- positions and checkpoints -----------------------------------------------------------------------

    @TestFactory
    final Stream<DynamicTest> sourcesResumeAndSinksRestore() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ComponentCase c : components()) {
            PluginFactory<?> f = factory(c);
            if (c.kind == ComponentKind.SOURCE && c.resumable) {
                tests.add(DynamicTest.dynamicTest(c + ": resumes from a position exactly where it was", () -> {
                    List<Record> after = new ArrayList<>();
                    Map<String, Object> position;
                    try (Source s = (Source) f.create(context(c, f))) {
                        RecordBatch b = s.poll(7);
                        assertNotNull(b, c + " returned no first batch");
                        position = b.position();
                        assertNotNull(position, c + " is resumable but returned a batch without a position");
                        assertJson(c, position);
                        for (int i = 1; i < c.polls; i++) {
                            RecordBatch more = s.poll(7);
                            if (more == null) break;
                            after.addAll(more.records());
                        }
                    }
                    List<Record> resumed = new ArrayList<>();
                    try (Source s = (Source) f.create(context(c, f))) {
                        s.seek(position);
                        while (resumed.size() < after.size()) {
                            RecordBatch more = s.poll(7);
                            if (more == null) break;
                            resumed.addAll(more.records());
                        }
                    }
                    assertEquals(after, resumed, c + " read other records after seeking to " + position);
                }));
            }
            if (c.kind == ComponentKind.SINK) {
                tests.add(DynamicTest.dynamicTest(c + ": a checkpoint state is JSON and restores", () -> {
                    Map<String, Object> state;
                    try (Sink s = (Sink) f.create(context(c, f))) {
                        s.write(c.input, new Collected());
                        state = s.checkpoint();
                    }
                    if (state == null) return; // at-least-once: allowed
                    assertJson(c, state);
                    try (Sink s = (Sink) f.create(context(c, f))) {
                        s.restore(state);
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** Positions and states are stored in checkpoints as JSON: only maps, lists, strings, numbers, booleans. */
    private static void assertJson(ComponentCase c, Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) return;
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertTrue(e.getKey() instanceof String, c + " returned a map with a non-string key: " + e.getKey());
                assertJson(c, e.getValue());
            }
            return;
        }
        if (value instanceof List<?> l) {
            for (Object o : l) assertJson(c, o);
            return;
        }
        fail(c + " returned a value checkpoints cannot store as JSON: "
                + value.getClass().getName());
    }

    // ---- policies -----------------------------------------------------------------------------------------

    @TestFactory
    final Stream<DynamicTest> policiesDecideEveryCase() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ComponentCase c : components()) {
            PluginFactory<?> f = factory(c);
            switch (c.kind) {
                case RETRY_POLICY ->
                    tests.add(DynamicTest.dynamicTest(c + ": delays are not negative and it gives up", () -> {
                        Object created = f.create(context(c, f));
                        try (AutoCloseable closing = closeable(created)) {
                            RetryPolicy p = (RetryPolicy) created;
                            for (Failure x : c.failures) {
                                boolean gaveUp = false;
                                for (int attempt = 1; attempt <= MAX_RETRIES && !gaveUp; attempt++) {
                                    Failure a = new Failure(
                                            x.errorClass(), x.message(), x.error(), attempt, x.stage(), x.plugin());
                                    Optional<Duration> d = p.nextDelay(a);
                                    assertNotNull(d, c + " returned null for " + a);
                                    d.ifPresent(delay ->
                                            assertFalse(delay.isNegative(), c + " returned a negative delay for " + a));
                                    gaveUp = d.isEmpty();
                                }
                                assertTrue(
                                        gaveUp,
                                        c + " still retries " + x.errorClass() + " after " + MAX_RETRIES + " attempts");
                            }
                        }
                    }));
                case ERROR_POLICY ->
                    tests.add(DynamicTest.dynamicTest(c + ": decides an action for every failure", () -> {
                        Object created = f.create(context(c, f));
                        try (AutoCloseable closing = closeable(created)) {
                            for (Failure x : c.failures)
                                assertNotNull(((ErrorPolicy) created).decide(x), c + " decided nothing for " + x);
                        }
                    }));
                case KEY_ROUTER ->
                    tests.add(DynamicTest.dynamicTest(
                            c + ": routes every key to a valid instance, the same each time", () -> {
                                Object created = f.create(context(c, f));
                                try (AutoCloseable closing = closeable(created)) {
                                    KeyRouter k = (KeyRouter) created;
                                    for (int n = 2; n <= 5; n++) {
                                        for (Object key : c.keys) {
                                            int i = k.route(key, load(n));
                                            assertTrue(i >= 0 && i < n, c + " routed " + key + " to " + i + " of " + n);
                                            assertEquals(
                                                    i,
                                                    k.route(key, load(n)),
                                                    c + " routed " + key + " differently twice");
                                        }
                                    }
                                }
                            }));
                default -> {}
            }
        }
        return tests.stream();
    }

    // ---- determinism ------------------------------------------------------------------------------------

    @TestFactory
    final Stream<DynamicTest> sameInputGivesSameOutput() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ComponentCase c : components()) {
            if (!c.deterministic || c.kind == ComponentKind.SINK) continue;
            PluginFactory<?> f = factory(c);
            tests.add(DynamicTest.dynamicTest(c + ": two instances, same input, same output", () -> {
                List<Object> first = run(c, f);
                List<Object> second = run(c, f);
                assertEquals(first, second, c + " is not deterministic");
            }));
        }
        return tests.stream();
    }

    private List<Object> run(ComponentCase c, PluginFactory<?> f) throws Exception {
        List<Object> out = new ArrayList<>();
        Object created = f.create(context(c, f));
        try (AutoCloseable closing = closeable(created)) {
            Object instance = created;
            if (instance instanceof Processor p) {
                RecordBatch b = p.process(c.input);
                out.addAll(b.records());
                for (Rejection r : b.rejections()) out.add(r.record());
            } else if (instance instanceof Source s) {
                for (int i = 0; i < c.polls; i++) {
                    RecordBatch b = s.poll(7);
                    if (b == null) break;
                    out.addAll(b.records());
                }
            } else if (instance instanceof RetryPolicy p) {
                for (Failure x : c.failures) out.add(p.nextDelay(x));
            } else if (instance instanceof ErrorPolicy p) {
                for (Failure x : c.failures) out.add(p.decide(x));
            } else if (instance instanceof KeyRouter k) {
                for (Object key : c.keys) out.add(k.route(key, load(3)));
            }
        }
        return out;
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private PluginFactory<?> factory(ComponentCase c) {
        for (PluginFactory<?> f : plugin.components()) {
            if (f.kind() == c.kind && f.name().equals(c.name)) return f;
        }
        throw new AssertionError(plugin.label() + " has no " + c + " (it has: "
                + plugin.components().stream()
                        .map(f -> f.kind().label() + " " + f.name())
                        .toList() + ")");
    }

    private SimplePluginContext context(ComponentCase c, PluginFactory<?> f) {
        return SimplePluginContext.of(f, c.config, workDir).withGrants(c.grants);
    }

    /** A sink's rejections, collected. */
    private static final class Collected implements Rejections {
        final List<Record> records = new ArrayList<>();

        @Override
        public void reject(Record record, String reason) {
            records.add(record);
        }

        @Override
        public void reject(Record record, Throwable error) {
            records.add(record);
        }
    }
}
