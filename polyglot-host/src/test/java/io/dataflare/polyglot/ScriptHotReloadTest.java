package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.testing.EndlessRun;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripts changing in a watched plugins folder under a running pipeline: each version stamps the records
 * it processes, so the sink shows where the switch happened; every record must arrive once, in order.
 */
@Timeout(90)
class ScriptHotReloadTest {
    @TempDir
    Path dir;

    private final InProcessPlugins inProcess = new InProcessPlugins();
    private final List<PluginEvent> events = new CopyOnWriteArrayList<>();
    private Engine engine;
    private EndlessRun run;

    @BeforeEach
    void engine() {
        engine = TestEngines.withFolder(dir, inProcess, true);
        engine.plugins().addListener(events::add);
    }

    @AfterEach
    void close() throws Exception {
        if (run != null) run.close();
        engine.close();
    }

    private static String stampJs(String version) {
        return "export const manifest = { id: 'stamp', version: '" + version + "', kind: 'processor' };\n"
                + "export const map = r => ({ ...r, v: '" + version + "' });\n";
    }

    /** Writes {@code text} as {@code name} in one step, as an editor or a deployment would. */
    private void write(String name, String text) throws Exception {
        Path tmp = dir.resolve(".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void awaitEvent(PluginEvent.Kind kind) {
        await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(e -> e.kind() == kind));
    }

    @Test
    void aJavaScriptProcessorReplacedInPlaceOrOvertakenSwitchesAtBatchBoundaries() throws Exception {
        write("stamp.js", stampJs("1.0.0"));
        engine.plugins().scan();
        run = EndlessRun.start(engine, inProcess, "stamp@^1", "");
        run.awaitLast("v", "1.0.0");

        write("stamp.js", stampJs("1.0.1")); // in place
        run.awaitLast("v", "1.0.1");
        write("stamp-2.js", stampJs("2.0.0")); // outside the range: ignored
        write("stamp-1.2.js", stampJs("1.2.0")); // a newer file in range
        run.awaitLast("v", "1.2.0");
        run.stop();

        assertThat(run.valuesInOrder("v")).containsExactly("1.0.0", "1.0.1", "1.2.0");
        run.assertEveryRecordOnceInOrder(id -> true);
        assertThat(events).filteredOn(e -> e.kind() == PluginEvent.Kind.SWITCHED).extracting(PluginEvent::plugin)
                .containsExactly("stamp@1.0.1", "stamp@1.2.0");
    }

    @Test
    void aScriptThatNoLongerCompilesLeavesTheOldVersionServing() throws Exception {
        write("stamp.js", stampJs("1.0.0"));
        engine.plugins().scan();
        run = EndlessRun.start(engine, inProcess, "stamp", "");
        run.awaitLast("v", "1.0.0");

        // the manifest still reads (it is a literal), but the script does not compile
        write("stamp.js", stampJs("1.1.0") + "export function broken( {\n");
        awaitEvent(PluginEvent.Kind.FAILED);
        assertThat(engine.plugins().entries()).filteredOn(e -> e.file() != null).singleElement()
                .satisfies(e -> assertThat(e.state()).isEqualTo(PluginEntry.State.STALE))
                .satisfies(e -> assertThat(e.reason()).contains("stamp.js").endsWith("; still serving stamp@1.0.0"));
        run.awaitMore(1000);
        assertThat(run.last("v")).isEqualTo("1.0.0");

        write("stamp.js", stampJs("1.1.0"));
        run.awaitLast("v", "1.1.0");
        run.stop();
        assertThat(run.valuesInOrder("v")).containsExactly("1.0.0", "1.1.0");
        run.assertEveryRecordOnceInOrder(id -> true);
    }
}
