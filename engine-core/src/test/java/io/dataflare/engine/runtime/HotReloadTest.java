package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.data.Record;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.plugin.PluginReference;
import io.dataflare.engine.testing.EndlessRun;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.TestEngines;
import io.dataflare.engine.testing.WatchedFolder;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The registry watching its folder while a pipeline runs: add, replace, break and remove plugin files. */
@Timeout(60)
class HotReloadTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private WatchedFolder folder;
    private Engine engine;
    private List<PluginEvent> events;
    private PipelineRun run;
    private EndlessRun endless;

    @BeforeEach
    void stampOne() throws Exception {
        Fixtures.stamp(dir.resolve("stamp.jar"), "1.0.0");
        folder = new WatchedFolder(dir);
        engine = folder.engine();
        events = folder.events();
    }

    @AfterEach
    void close() throws Exception {
        folder.close();
    }

    private PipelineRun startEndless(String use) {
        endless = folder.start(use, "note: hi");
        run = endless.run();
        return run;
    }

    private List<Record> out() {
        return endless.out();
    }

    private String lastStamp() {
        return (String) endless.last("v");
    }

    private void awaitStamp(String v) {
        endless.awaitLast("v", v);
    }

    private PipelineResult stop() throws Exception {
        return endless.stop();
    }

    private List<Object> stampsInOrder() {
        return endless.valuesInOrder("v");
    }

    private void assertEveryRecordOnceInOrder() {
        endless.assertEveryRecordOnceInOrder(id -> true);
    }

    @Test
    void aNewerVersionInRangeIsPickedUpAtABatchBoundary() throws Exception {
        startEndless("stamp@^1");
        awaitStamp("1.0.0");
        Fixtures.stamp(dir.resolve("stamp-2.jar"), "2.0.0"); // outside the range: ignored
        Fixtures.stamp(dir.resolve("stamp-1.5.jar"), "1.5.0");
        awaitStamp("1.5.0");
        stop();
        assertThat(stampsInOrder()).containsExactly("1.0.0", "1.5.0");
        assertEveryRecordOnceInOrder();
        assertThat(events)
                .filteredOn(e -> e.kind() == PluginEvent.Kind.SWITCHED)
                .singleElement()
                .satisfies(e ->
                        assertThat(e.detail()).startsWith("from stamp@1.0.0; 1 instance(s) switched, longest pause "));
        assertThat(run.plan().stage("p").component().pluginLabel()).isEqualTo("stamp@1.5.0");
    }

    @Test
    void aFileReplacedInPlaceIsReloadedAndTheOldClassLoaderIsCollected() throws Exception {
        startEndless("stamp");
        awaitStamp("1.0.0");
        WeakReference<ClassLoader> oldLoader = loaderOf("stamp");
        Fixtures.stamp(dir.resolve("stamp.jar"), "1.0.0", "1.0.0-patched");
        awaitStamp("1.0.0-patched");
        await().atMost(WAIT)
                .until(() ->
                        engine.plugins().entries().stream().noneMatch(e -> e.state() == PluginEntry.State.RETIRED));
        await().atMost(WAIT).until(() -> {
            System.gc();
            return oldLoader.get() == null;
        });
        stop();
        assertThat(stampsInOrder()).containsExactly("1.0.0", "1.0.0-patched");
        assertEveryRecordOnceInOrder();
    }

    @Test
    void aVersionThatFailsToLoadLeavesTheOldOneServing() throws Exception {
        startEndless("stamp");
        awaitStamp("1.0.0");
        Files.write(dir.resolve("stamp.jar"), new byte[] {'P', 'K', 1, 2}); // replaced in place by a broken file
        folder.awaitEvent(PluginEvent.Kind.FAILED);
        PluginEntry e = engine.plugins().entries().get(0);
        assertThat(e.state()).isEqualTo(PluginEntry.State.STALE);
        assertThat(e.reason())
                .startsWith("the new content is failed: not a readable JAR")
                .endsWith("; still serving stamp@1.0.0");
        long before = out().size();
        await().atMost(WAIT).until(() -> out().size() > before + 1000);
        assertThat(lastStamp()).isEqualTo("1.0.0");
        assertThat(TestEngines.plan(
                                engine,
                                "sources: { in: { use: seq, with: { count: 1 } } }\n"
                                        + "processors: { p: { use: stamp, from: in } }\nsinks: { out: { use: collect, from: p, with: { name: x } } }\n")
                        .stage("p")
                        .component()
                        .pluginLabel())
                .isEqualTo("stamp@1.0.0");

        Fixtures.stamp(dir.resolve("stamp.jar"), "1.1.0"); // fixed: the new content serves
        awaitStamp("1.1.0");
        stop();
        assertEveryRecordOnceInOrder();
    }

    @Test
    void aVersionWhoseConfigRejectsTheStageIsNotSwitchedTo() throws Exception {
        startEndless("stamp@^1");
        awaitStamp("1.0.0");
        Fixtures.stamp(dir.resolve("stamp-1.1.jar"), "1.1.0", "strict 1.1.0");
        folder.awaitEvent(PluginEvent.Kind.SWITCH_REJECTED);
        assertThat(events)
                .filteredOn(e -> e.kind() == PluginEvent.Kind.SWITCH_REJECTED)
                .singleElement()
                .satisfies(e -> assertThat(e.detail())
                        .isEqualTo("stamp@1.1.0 not used, stamp@1.0.0 keeps serving: it rejects the stage's"
                                + " options: 'mode' is required (required from this version on)"));
        long before = out().size();
        await().atMost(WAIT).until(() -> out().size() > before + 1000);
        assertThat(lastStamp()).isEqualTo("1.0.0");
        stop();
    }

    @Test
    void aRemovedFileKeepsServingItsPipelinesButNewOnesCannotResolveIt() throws Exception {
        startEndless("stamp");
        awaitStamp("1.0.0");
        Files.delete(dir.resolve("stamp.jar"));
        folder.awaitEvent(PluginEvent.Kind.REMOVED);
        assertThat(engine.plugins().entries())
                .filteredOn(e -> e.file() != null)
                .singleElement()
                .satisfies(e -> assertThat(e.state() + " " + e.reason())
                        .isEqualTo("RETIRED removed or replaced; still used by 1 running pipeline stage(s)"));
        assertThatThrownBy(() -> engine.plugins().resolve(ComponentKind.PROCESSOR, PluginReference.parse("stamp"), dir))
                .hasMessageStartingWith("no processor named 'stamp' is installed");
        assertThatThrownBy(
                        () -> TestEngines.plan(
                                engine,
                                "sources: { in: { use: seq, with: { count: 1 } } }\n"
                                        + "processors: { p: { use: stamp, from: in } }\nsinks: { out: { use: collect, from: p, with: { name: x } } }\n"))
                .isInstanceOf(InvalidConfigException.class);
        long before = out().size();
        await().atMost(WAIT).until(() -> out().size() > before + 1000);
        assertThat(lastStamp()).isEqualTo("1.0.0");
        stop();
        await().atMost(WAIT).until(() -> engine.plugins().entries().stream().noneMatch(e -> e.file() != null));
    }

    /** A weak reference to the class loader of the processor {@code name} resolves to now (no strong reference kept). */
    private WeakReference<ClassLoader> loaderOf(String name) throws Exception {
        return new WeakReference<>(engine.plugins()
                .resolve(ComponentKind.PROCESSOR, PluginReference.parse(name), dir)
                .factory()
                .getClass()
                .getClassLoader());
    }
}
