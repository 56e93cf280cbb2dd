package io.dataflare.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.testing.EndlessRun;
import io.dataflare.engine.testing.WatchedFolder;
import io.dataflare.wasm.testing.Modules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .wasm} files changing in a watched plugins folder under a running pipeline: the SDK's c-tag
 * module, each version built with a different default {@code prefix}, so every record shows which
 * version processed it. c-tag drops the ids ending in 4 or 9; every other id must arrive once, in order.
 */
@Timeout(90)
class WasmHotReloadTest {
    private static final Path C_TAG = Path.of("..", "sdk-examples", "wasm", "c", "c-tag-1.0.0.wasm");
    private static final Function<Record, Object> PREFIX = r -> {
        String label = r.getString("label");
        return label.substring(
                0, label.length() - Long.toString(r.getLong("id")).length());
    };

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

    private static String manifest(String version, String prefix) {
        return "id: c-tag\nversion: " + version + "\nkind: processor\ncapabilities: [log]\n"
                + "config: { prefix: { type: string, default: \"" + prefix + "\" } }\n";
    }

    /** c-tag with its manifest in a {@code .wasm.yaml} sidecar. */
    private void install(String file, String version, String prefix) throws Exception {
        Files.writeString(dir.resolve(file + ".yaml"), manifest(version, prefix));
        Files.copy(C_TAG, dir.resolve(file));
    }

    /** c-tag with its manifest inside the module: one file to replace. */
    private void writeSelfDescribing(String file, String version, String prefix) throws Exception {
        folder.write(
                file,
                Modules.withCustomSection(Files.readAllBytes(C_TAG), "dataflare.manifest", manifest(version, prefix)));
    }

    @Test
    void aNewerModuleInRangeIsPickedUpAtABatchBoundary() throws Exception {
        install("c-tag-1.0.0.wasm", "1.0.0", "one-");
        run = folder.start("c-tag@^1", "");
        run.awaitLast(PREFIX, "one-");
        install("c-tag-2.0.0.wasm", "2.0.0", "two-"); // outside the range: ignored
        install("c-tag-1.1.0.wasm", "1.1.0", "eleven-");
        run.awaitLast(PREFIX, "eleven-");
        run.stop();

        assertThat(run.valuesInOrder(PREFIX)).containsExactly("one-", "eleven-");
        run.assertEveryRecordOnceInOrder(id -> id % 5 != 4);
        assertThat(folder.events())
                .filteredOn(e -> e.kind() == PluginEvent.Kind.SWITCHED)
                .singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("from c-tag@1.0.0; "));
        assertThat(run.run().plan().stage("p").component().pluginLabel()).isEqualTo("c-tag@1.1.0");
    }

    @Test
    void aModuleReplacedInPlaceIsReloadedAndABrokenOneLeavesTheOldServing() throws Exception {
        writeSelfDescribing("c-tag.wasm", "1.0.0", "old-");
        run = folder.start("c-tag", "");
        run.awaitLast(PREFIX, "old-");

        Files.write(dir.resolve("c-tag.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5}); // truncated
        folder.awaitEvent(PluginEvent.Kind.FAILED);
        assertThat(folder.engine().plugins().entries())
                .filteredOn(e -> e.file() != null)
                .singleElement()
                .satisfies(e -> assertThat(e.state()).isEqualTo(PluginEntry.State.STALE))
                .satisfies(e -> assertThat(e.reason()).endsWith("; still serving c-tag@1.0.0"));
        run.awaitMore(1000);
        assertThat(run.last(PREFIX)).isEqualTo("old-");

        writeSelfDescribing("c-tag.wasm", "1.0.1", "new-");
        run.awaitLast(PREFIX, "new-");
        run.stop();
        assertThat(run.valuesInOrder(PREFIX)).containsExactly("old-", "new-");
        run.assertEveryRecordOnceInOrder(id -> id % 5 != 4);
    }
}
