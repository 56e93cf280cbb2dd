package io.dataflare.polyglot.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.PluginFactory;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Script sources and sinks through the engine's Source and Sink SPI: positions that resume a source exactly
 * where a checkpoint left it, a sink whose checkpoint and restore undo what was written after it, and a source
 * whose poll never returns, stopped by its time limit without losing a record.
 */
@Timeout(120)
class ScriptSourceSinkTest {
    @TempDir
    static Path dir;

    static Components components;

    static final String JS_SOURCE = """
            export const manifest = { id: 'counter', version: '1.0.0', kind: 'source',
              config: { count: { type: 'long', default: 25 }, hang_at: { type: 'long', default: -1 },
                        hang_until: { type: 'long', default: 0 } } };
            let next = 0, count = 0, hangAt = -1, hangUntil = 0;
            export function open(ctx) { count = ctx.config.count; hangAt = ctx.config.hang_at; hangUntil = ctx.config.hang_until; }
            export function poll(max) {
              if (next >= count) return null;
              const out = [];
              while (out.length < max && next < count) {
                next++;
                if (next === hangAt && Date.now() < hangUntil) while (true) {} // until then, retries hang too
                out.push({ id: next, name: 'r' + next });
              }
              return out;
            }
            export function position() { return { next }; }
            export function seek(p) { next = p.next; }
            """;

    static final String PY_SINK = """
            # id: lines
            # version: 1.0.0
            # kind: sink
            # capabilities: [file:write:out/*]
            # config:
            #   path: { type: string, default: out/lines.txt }
            path = None

            def open(ctx):
                global path
                path = ctx.config["path"]

            def write(batch, ctx):
                for r in batch:
                    if r["id"] < 0:
                        ctx.reject(r, "negative id")
                    else:
                        ctx.files.append(path, str(r["id"]) + "\\n")

            def checkpoint(ctx):
                return {"length": ctx.files.size(path)}

            def restore(state, ctx):
                ctx.files.truncate(path, state["length"])
            """;

    @BeforeAll
    static void load() {
        components = new Components(dir);
    }

    @AfterAll
    static void close() throws Exception {
        components.close();
    }

    @Test
    void aSourceResumesFromTheCheckpointedPosition() throws Exception {
        PluginFactory<?> f = components.load("counter.js", JS_SOURCE);
        List<Long> first = new ArrayList<>();
        Map<String, Object> position;
        try (Source s = components.create(f, Source.class)) {
            RecordBatch b = s.poll(10);
            b.forEach(r -> first.add(r.getLong("id")));
            position = b.position();
            s.poll(10); // read on, but the checkpoint has the first position only
        }
        assertThat(first).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        List<Long> rest = new ArrayList<>();
        try (Source s = components.create(f, Source.class)) {
            s.seek(position);
            for (RecordBatch b; (b = s.poll(10)) != null; ) b.forEach(r -> rest.add(r.getLong("id")));
        }
        assertThat(rest).hasSize(15).first().isEqualTo(11L);
        assertThat(rest).last().isEqualTo(25L);
    }

    @Test
    void aPollThatNeverReturnsIsStoppedAndTheRetryLosesNothing() throws Exception {
        PluginFactory<?> f = components.load("counter-hang.js", JS_SOURCE.replace("'counter'", "'counter-hang'"));
        List<Long> ids = new ArrayList<>();
        long hangUntil = System.currentTimeMillis() + 1_000;
        try (Source s = components.create(
                f,
                Source.class,
                Map.of("count", 30, "hang_at", 15, "hang_until", hangUntil, "timeout_ms", 300),
                List.of())) {
            ids.addAll(ids(s.poll(10)));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> s.poll(10))
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("javascript plugin counter-hang@1.0.0")
                    .hasMessageContaining("timeout_ms=300")
                    .satisfies(
                            e -> assertThat(((PluginException) e).errorClass()).isEqualTo("timeout"));
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_300);
            // the engine retries the poll (as a retry policy would, until it gives up): each retry starts again at
            // the last position handed over, so the records the stopped call had read past are read again
            int timeouts = 1;
            while (true) {
                RecordBatch b;
                try {
                    b = s.poll(10);
                } catch (PluginException e) {
                    timeouts++;
                    assertThat(timeouts).isLessThan(20);
                    continue;
                }
                if (b == null) break;
                ids.addAll(ids(b));
            }
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= 30; i++) expected.add(i);
        assertThat(ids).isEqualTo(expected);
    }

    @Test
    void aSinkRestoredToItsCheckpointWritesEveryRecordOnce() throws Exception {
        PluginFactory<?> f = components.load("lines.py", PY_SINK);
        List<String> grants = List.of("file:write:out/*");
        Map<String, Object> state;
        try (Sink s = components.create(f, Sink.class, Map.of(), grants)) {
            s.write(batch(1, 5), NO_REJECTIONS);
            state = s.checkpoint();
            s.write(batch(6, 8), NO_REJECTIONS); // written after the checkpoint, then the process dies
            s.flush();
        }
        assertThat(Files.readAllLines(dir.resolve("out/lines.txt"))).hasSize(8);
        try (Sink s = components.create(f, Sink.class, Map.of(), grants)) {
            s.restore(state);
            s.write(batch(6, 10), NO_REJECTIONS);
            s.checkpoint();
        }
        assertThat(Files.readAllLines(dir.resolve("out/lines.txt")))
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
    }

    @Test
    void aSinkRejectsSingleRecordsThroughCtxReject() throws Exception {
        PluginFactory<?> f = components.load(
                "lines-rejecting.py",
                PY_SINK.replace("id: lines", "id: lines-rejecting").replace("out/lines.txt", "out/rejecting.txt"));
        List<Record> rejected = new ArrayList<>();
        try (Sink s = components.create(f, Sink.class, Map.of(), List.of("file:write:out/*"))) {
            RecordBatch b = RecordBatch.of(
                    Record.fromMap(Map.of("id", 1L)),
                    Record.fromMap(Map.of("id", -2L)),
                    Record.fromMap(Map.of("id", 3L)));
            s.write(b, new Rejections() {
                @Override
                public void reject(Record record, String reason) {
                    assertThat(reason).isEqualTo("negative id");
                    rejected.add(record);
                }

                @Override
                public void reject(Record record, Throwable error) {
                    rejected.add(record);
                }
            });
            s.flush();
        }
        assertThat(rejected).extracting(r -> r.getLong("id")).containsExactly(-2L);
        assertThat(Files.readAllLines(dir.resolve("out/rejecting.txt"))).containsExactly("1", "3");
    }

    @Test
    void aSinkThatThrowsOnFlushFailsTheCheckpointNamingThePlugin() throws Exception {
        PluginFactory<?> f = components.load("bad-flush.js", """
                export const manifest = { id: 'bad-flush', version: '1.0.0', kind: 'sink' };
                export function write(batch) {}
                export function flush() { throw new Error('disk on fire'); }
                """);
        try (Sink s = components.create(f, Sink.class)) {
            s.write(batch(1, 3), NO_REJECTIONS);
            assertThatThrownBy(s::checkpoint)
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("javascript plugin bad-flush@1.0.0")
                    .hasMessageContaining("disk on fire");
        }
    }

    @Test
    void aSinkWithoutTheFileGrantIsRefusedAtCreationListingRequestedAndGranted() {
        PluginFactory<?> f = components.load("lines-ungranted.py", PY_SINK.replace("id: lines", "id: lines-ungranted"));
        assertThatThrownBy(() -> components.create(f, Sink.class))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("python plugin lines-ungranted@1.0.0 requests file:write:out/*")
                .hasMessageContaining("requested: [file:write:out/*]")
                .hasMessageContaining("granted: [");
    }

    @Test
    void aPythonSourceOrSinkWithoutItsFunctionIsRefusedAtCreation() {
        PluginFactory<?> source = components.load("no-poll.py", "# id: no-poll\n# version: 1.0.0\n# kind: source\n");
        assertThatThrownBy(() -> components.create(source, Source.class))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("python plugin no-poll@1.0.0 defines no poll(max): a source script must");
        PluginFactory<?> sink = components.load(
                "no-write.py", "# id: no-write\n# version: 1.0.0\n# kind: sink\ndef flush():\n    pass\n");
        assertThatThrownBy(() -> components.create(sink, Sink.class))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("python plugin no-write@1.0.0 defines no write(batch, ctx): a sink script must");
    }

    static final Rejections NO_REJECTIONS = new Rejections() {
        @Override
        public void reject(Record record, String reason) {
            throw new AssertionError("rejected " + record + ": " + reason);
        }

        @Override
        public void reject(Record record, Throwable error) {
            throw new AssertionError("rejected " + record, error);
        }
    };

    static RecordBatch batch(long from, long to) {
        RecordBatch.Builder b = RecordBatch.builder();
        for (long i = from; i <= to; i++) b.add(Record.fromMap(Map.of("id", i)));
        return b.build();
    }

    static List<Long> ids(RecordBatch b) {
        List<Long> out = new ArrayList<>();
        b.forEach(r -> out.add(r.getLong("id")));
        return out;
    }
}
