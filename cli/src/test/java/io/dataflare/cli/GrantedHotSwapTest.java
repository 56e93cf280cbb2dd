package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running stage switches to a newer script version only when its grants cover what that version requests: a new
 * version gets the stage's grants, never more.
 */
@Timeout(90)
class GrantedHotSwapTest {
    @TempDir
    Path dir;

    private static String tag(String version, String capabilities) {
        return "export const manifest = { id: 'tag', version: '" + version + "', kind: 'processor', capabilities: "
                + capabilities + " };\nexport const map = r => ({ ...r, v: '" + version + "' });\n";
    }

    @Test
    void aVersionRequestingMoreThanTheStageIsGrantedIsNotSwitchedIn() throws Exception {
        Files.writeString(dir.resolve("tag-1.js"), tag("1.0.0", "[]"));
        InProcessPlugins plugins = new InProcessPlugins();
        List<PluginEvent> events = new CopyOnWriteArrayList<>();
        try (Engine engine = TestEngines.withFolder(dir, plugins, true)) {
            engine.plugins().addListener(events::add);
            PipelineRun run = engine.start(TestEngines.plan(engine, """
                    sources: { in: { use: seq, with: { count: 1000000000 } } }
                    processors: { p: { use: "tag@^1", from: in, grants: [http:127.0.0.1] } }
                    sinks: { out: { use: collect, from: p, with: { name: out, delay_ms: 2 } } }
                    runtime: { batch_size: 100 }
                    """));
            try {
                awaitLast(plugins, "1.0.0");

                write("tag-2.js", tag("1.1.0", "['env:*']"));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> events.stream().anyMatch(e -> e.kind() == PluginEvent.Kind.SWITCH_REJECTED));
                assertThat(events)
                        .filteredOn(e -> e.kind() == PluginEvent.Kind.SWITCH_REJECTED)
                        .singleElement()
                        .satisfies(e -> assertThat(e.detail())
                                .isEqualTo("tag@1.1.0 not used, tag@1.0.0 keeps serving: it requests [env:*], which"
                                        + " the stage is not granted"));

                // a version whose requests the stage's grants cover is switched in as any other
                write("tag-3.js", tag("1.2.0", "['http:*']"));
                awaitLast(plugins, "1.2.0");
            } finally {
                run.stop();
                run.await();
            }
            assertThat(plugins.collected("out").stream()
                            .map(r -> r.get("v"))
                            .distinct()
                            .toList())
                    .containsExactly("1.0.0", "1.2.0");
        }
    }

    /** Writes a plugin file in one step, as a deployment would (the watcher never sees it half-written). */
    private void write(String name, String text) throws Exception {
        Path tmp = Files.writeString(dir.resolve(".tmp"), text);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitLast(InProcessPlugins plugins, String v) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Record> out = plugins.collected("out");
            return !out.isEmpty() && v.equals(out.get(out.size() - 1).get("v"));
        });
    }
}
