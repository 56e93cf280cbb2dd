package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.testing.EndlessRun;
import io.dataflare.engine.testing.WatchedFolder;
import java.nio.file.Path;
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

    private WatchedFolder folder;
    private EndlessRun run;

    @BeforeEach
    void engine() {
        folder = new WatchedFolder(dir);
    }

    @AfterEach
    void close() throws Exception {
        folder.close();
    }

    private static String stampJs(String version) {
        return "export const manifest = { id: 'stamp', version: '" + version + "', kind: 'processor' };\n"
                + "export const map = r => ({ ...r, v: '" + version + "' });\n";
    }

    @Test
    void aJavaScriptProcessorReplacedInPlaceOrOvertakenSwitchesAtBatchBoundaries() throws Exception {
        folder.write("stamp.js", stampJs("1.0.0"));
        run = folder.start("stamp@^1", "");
        run.awaitLast("v", "1.0.0");

        folder.write("stamp.js", stampJs("1.0.1")); // in place
        run.awaitLast("v", "1.0.1");
        folder.write("stamp-2.js", stampJs("2.0.0")); // outside the range: ignored
        folder.write("stamp-1.2.js", stampJs("1.2.0")); // a newer file in range
        run.awaitLast("v", "1.2.0");
        run.stop();

        assertThat(run.valuesInOrder("v")).containsExactly("1.0.0", "1.0.1", "1.2.0");
        run.assertEveryRecordOnceInOrder(id -> true);
        assertThat(folder.events())
                .filteredOn(e -> e.kind() == PluginEvent.Kind.SWITCHED)
                .extracting(PluginEvent::plugin)
                .containsExactly("stamp@1.0.1", "stamp@1.2.0");
    }

    @Test
    void aScriptThatNoLongerCompilesLeavesTheOldVersionServing() throws Exception {
        folder.write("stamp.js", stampJs("1.0.0"));
        run = folder.start("stamp", "");
        run.awaitLast("v", "1.0.0");

        // the manifest still reads (it is a literal), but the script does not compile
        folder.write("stamp.js", stampJs("1.1.0") + "export function broken( {\n");
        folder.awaitEvent(PluginEvent.Kind.FAILED);
        assertThat(folder.engine().plugins().entries())
                .filteredOn(e -> e.file() != null)
                .singleElement()
                .satisfies(e -> assertThat(e.state()).isEqualTo(PluginEntry.State.STALE))
                .satisfies(e -> assertThat(e.reason()).contains("stamp.js").endsWith("; still serving stamp@1.0.0"));
        run.awaitMore(1000);
        assertThat(run.last("v")).isEqualTo("1.0.0");

        folder.write("stamp.js", stampJs("1.1.0"));
        run.awaitLast("v", "1.1.0");
        run.stop();
        assertThat(run.valuesInOrder("v")).containsExactly("1.0.0", "1.1.0");
        run.assertEveryRecordOnceInOrder(id -> true);
    }
}
