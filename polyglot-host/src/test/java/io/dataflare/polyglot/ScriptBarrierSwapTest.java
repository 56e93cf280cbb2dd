package io.dataflare.polyglot;

import static io.dataflare.engine.testing.OutputOrder.assertEveryIdOnceInOrder;
import static io.dataflare.engine.testing.OutputOrder.valuesInOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.Runs;
import io.dataflare.engine.testing.WatchedFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot swap of script sources and sinks under load: a newer version dropped into the watched plugins folder
 * takes over at a barrier (a JavaScript source seeks to the old one's position, a Python sink restores the old
 * one's checkpoint and continues the same file); every record arrives exactly once and in order, the version
 * changes at one point, and the pause is reported.
 */
@Timeout(120)
class ScriptBarrierSwapTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> PAUSES = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    /** The pipeline's folder (its output): not in the watched plugins folder. */
    @TempDir
    Path pipelineDir;

    private final InProcessPlugins inProcess = new InProcessPlugins();
    private WatchedFolder folder;
    private PipelineRun run;

    @BeforeEach
    void engine() {
        folder = new WatchedFolder(dir, inProcess);
    }

    @AfterEach
    void close() throws Exception {
        folder.close();
    }

    @AfterAll
    static void report() {
        System.out.println("script barrier swap pauses: " + PAUSES);
    }

    /** A JavaScript source counting from 0 without end; each version tags its records with {@code v}. */
    private static String ticksJs(String version) {
        return """
                export const manifest = { id: 'ticks', version: '%1$s', kind: 'source' };
                let next = 0;
                export function poll(max) {
                  const out = [];
                  for (let i = 0; i < max; i++, next++) out.push({ id: next, v: '%1$s' });
                  return out;
                }
                export function position() { return { next }; }
                export function seek(p) { next = p.next; }
                """.formatted(version);
    }

    /** A Python sink appending {@code id,version} lines to a file, with checkpoint/restore by the file's length. */
    private static String linesPy(String version) {
        return """
                # id: lines
                # version: %s
                # kind: sink
                # capabilities: [file:write:out/*]
                path = "out/lines.txt"

                def write(batch, ctx):
                    ctx.files.append(path, "".join(str(r["id"]) + ",%1$s\\n" for r in batch))

                def checkpoint(ctx):
                    return {"length": ctx.files.size(path)}

                def restore(state, ctx):
                    ctx.files.truncate(path, state["length"])
                """.formatted(version);
    }

    /** Writes {@code name} into the plugins folder in one step, as a deployment would. */
    private void write(String name, String text) throws Exception {
        folder.write(name, text);
    }

    private void start(String yaml) {
        run = folder.start(engine -> engine.load(yaml, "test.yaml", ConfigReader.Format.YAML, pipelineDir));
    }

    private void until(Callable<Boolean> condition) {
        await().atMost(WAIT)
                .failFast("the run ended", () -> run != null && run.state().isTerminal())
                .until(condition);
    }

    private List<Record> out() {
        List<Record> l = inProcess.collected("out");
        synchronized (l) {
            return new ArrayList<>(l);
        }
    }

    private PipelineResult stop() throws Exception {
        return Runs.stopCleanly(run, WAIT);
    }

    private PluginEvent awaitSwitched(String plugin) {
        Predicate<PluginEvent> match = e -> e.kind() == PluginEvent.Kind.SWITCHED && plugin.equals(e.plugin());
        await().atMost(WAIT).until(() -> folder.events().stream().anyMatch(match));
        return folder.events().stream().filter(match).findFirst().orElseThrow();
    }

    /** The switch's pause is in its event and in the run's one switch; kept for the report. */
    private void assertOneSwitchWithPause(PipelineResult r, PluginEvent switched, String description) {
        assertThat(r.switches())
                .singleElement()
                .satisfies(sw -> assertThat(sw.kind() + " " + sw.stage() + " " + sw.from() + " -> " + sw.to())
                        .isEqualTo(description))
                .satisfies(sw -> assertThat(sw.maxPauseNanos())
                        .isEqualTo(switched.pause().toNanos()));
        assertThat(switched.pause()).isNotNull().isPositive().isLessThan(Duration.ofSeconds(2));
        assertThat(switched.detail()).contains("switched at a barrier, pipeline paused ");
        PAUSES.add(String.format(
                Locale.ROOT, "%s %.1f ms", description, switched.pause().toNanos() / 1e6));
    }

    @Test
    void aNewerJavaScriptSourceSeeksToTheOldOnesPositionAtABarrier() throws Exception {
        write("ticks.js", ticksJs("1.0.0"));
        start("""
                sources: { in: { use: "ticks@^1" } }
                sinks: { out: { use: collect, from: in, with: { name: out, delay_ms: 2 } } }
                runtime: { batch_size: 100 }
                """);
        until(() -> out().size() >= 2000);
        write("ticks-1.1.js", ticksJs("1.1.0"));
        until(() -> {
            List<Record> rows = out();
            return !rows.isEmpty() && "1.1.0".equals(rows.get(rows.size() - 1).get("v"));
        });
        int switchedAt = out().size();
        until(() -> out().size() >= switchedAt + 2000);
        PipelineResult r = stop();

        List<Record> rows = out();
        assertThat(valuesInOrder(rows, x -> x.get("v"))).containsExactly("1.0.0", "1.1.0");
        assertEveryIdOnceInOrder(rows, x -> x.get("id"));
        PluginEvent e = awaitSwitched("ticks@1.1.0");
        assertThat(e.stage()).isEqualTo("in");
        assertThat(e.detail()).startsWith("from ticks@1.0.0; source 'in' switched at a barrier");
        assertOneSwitchWithPause(r, e, "source in ticks@1.0.0 -> ticks@1.1.0");
    }

    private List<String[]> lines(Path file) throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (String l : Files.readAllLines(file)) rows.add(l.split(","));
        return rows;
    }

    private void awaitLines(Path file, Predicate<List<String>> enough) {
        until(() -> Files.exists(file) && enough.test(Files.readAllLines(file)));
    }

    @Test
    void aNewerPythonSinkContinuesTheSameFileAtABarrier() throws Exception {
        Path file = pipelineDir.resolve("out/lines.txt");
        Files.createDirectories(file.getParent());
        write("lines.py", linesPy("1.0.0"));
        start("""
                sources: { in: { use: seq, with: { count: 1000000000 } } }
                sinks: { out: { use: "lines@^1", from: in, grants: ["file:write:out/*"] } }
                runtime: { batch_size: 100 }
                """);
        awaitLines(file, l -> l.size() > 2000);
        write("lines-1.1.py", linesPy("1.1.0"));
        awaitLines(file, l -> !l.isEmpty() && l.get(l.size() - 1).endsWith(",1.1.0"));
        int switchedAt = Files.readAllLines(file).size();
        awaitLines(file, l -> l.size() > switchedAt + 2000);
        PipelineResult r = stop();

        List<String[]> rows = lines(file);
        assertThat(valuesInOrder(rows, x -> x[1])).containsExactly("1.0.0", "1.1.0");
        assertEveryIdOnceInOrder(rows, x -> Long.parseLong(x[0]));
        PluginEvent e = awaitSwitched("lines@1.1.0");
        assertThat(e.detail()).startsWith("from lines@1.0.0; sink 'out' switched at a barrier");
        assertOneSwitchWithPause(r, e, "sink out lines@1.0.0 -> lines@1.1.0");
    }
}
