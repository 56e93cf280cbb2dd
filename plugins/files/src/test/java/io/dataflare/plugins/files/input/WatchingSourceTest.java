package io.dataflare.plugins.files.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.plugins.files.csv.CsvFileSourceFactory;
import io.dataflare.plugins.files.jsonl.JsonlFileSourceFactory;
import io.dataflare.tck.SimplePluginContext;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchingSourceTest {
    @TempDir
    Path dir;

    private final List<Record> records = new ArrayList<>();
    private final List<Rejection> rejections = new ArrayList<>();
    private Map<String, Object> lastPosition;

    private Source open(SourceFactory f, Map<String, ?> config) throws Exception {
        SimplePluginContext ctx = SimplePluginContext.of(f, config, dir);
        f.preflight(ctx);
        return f.create(ctx);
    }

    private static Map<String, Object> watch(String path) {
        return Map.of("path", path, "watch", true, "watch_interval_ms", 50L);
    }

    /** Polls, collecting records, until {@code done} holds; a watching source must never end. */
    private void pollUntil(Source s, int batch, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            RecordBatch b = s.poll(batch);
            assertThat(b).as("a watching source never ends").isNotNull();
            records.addAll(b.records());
            rejections.addAll(b.rejections());
            if (b.position() != null) lastPosition = b.position();
        }
    }

    private void pollFor(Source s, long ms) throws Exception {
        long until = System.nanoTime() + ms * 1_000_000;
        pollUntil(s, 100, () -> System.nanoTime() > until);
    }

    private void writeCsv(String name, String prefix, int rows, long mtimeSecond) throws Exception {
        StringBuilder b = new StringBuilder("id,file\n");
        for (int i = 0; i < rows; i++)
            b.append(prefix).append(i).append(',').append(name).append('\n');
        Path p = dir.resolve("in").resolve(name);
        Files.writeString(p, b);
        Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(mtimeSecond)));
    }

    private List<String> ids() {
        return records.stream().map(r -> (String) r.get("id")).toList();
    }

    @Test
    void readsFilesPresentAndArrivingInArrivalOrderEachRecordOnce() throws Exception {
        Files.createDirectories(dir.resolve("in"));
        writeCsv("b.csv", "b", 3, 1_000);
        writeCsv("a.csv", "a", 2, 2_000); // older name, but arrived later
        try (Source s = open(new CsvFileSourceFactory(), watch("in/*.csv"))) {
            pollUntil(s, 2, () -> records.size() == 5);
            writeCsv("c.csv", "c", 4, 3_000);
            Files.writeString(dir.resolve("in/ignored.txt"), "not,matched\n");
            pollUntil(s, 2, () -> records.size() == 9);
            pollFor(s, 300); // nothing is read twice, and the source does not end
        }
        assertThat(ids()).containsExactly("b0", "b1", "b2", "a0", "a1", "c0", "c1", "c2", "c3");
    }

    @Test
    void aFileBeingWrittenIsReadOnlyOnceItStopsChanging() throws Exception {
        Files.createDirectories(dir.resolve("in"));
        Path p = dir.resolve("in/slow.jsonl");
        try (Source s = open(new JsonlFileSourceFactory(), watch("in"));
                OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW)) {
            for (int i = 0; i < 10; i++) {
                out.write(("{\"id\":\"" + i + "\"}\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                pollFor(s, 30); // shorter than the interval: the size changes between two listings
            }
            assertThat(records).as("nothing read while the file grows").isEmpty();
            // A half-written last line: a reader taking the file now would reject it.
            out.write("{\"id\":\"1".getBytes(StandardCharsets.UTF_8));
            out.flush();
            pollFor(s, 30);
            out.write("0\"}\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            pollUntil(s, 100, () -> records.size() == 11);
        }
        assertThat(rejections).isEmpty();
        assertThat(ids()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
    }

    @Test
    void resumesMidFileWithoutRereadingDoneFilesOrMissingNewOnes() throws Exception {
        Files.createDirectories(dir.resolve("in"));
        writeCsv("one.csv", "one-", 5, 1_000);
        writeCsv("two.csv", "two-", 5, 2_000);
        Source first = open(new CsvFileSourceFactory(), watch("in/*.csv"));
        pollUntil(first, 3, () -> records.size() >= 7); // all of one.csv, two of two.csv
        first.close();
        Map<String, Object> checkpoint = lastPosition;
        List<String> before = List.copyOf(ids());
        long readOfTwo = before.stream().filter(id -> id.startsWith("two-")).count();
        assertThat(readOfTwo).as("stopped half-way through two.csv").isBetween(1L, 4L);
        assertThat(checkpoint)
                .containsEntry("file", dir.resolve("in/two.csv").toString())
                .containsEntry("line", 1 + readOfTwo) // the header and the rows read
                .containsEntry("done", List.of(dir.resolve("in/one.csv").toString()));

        writeCsv("three.csv", "three-", 2, 3_000);
        records.clear();
        try (Source resumed = open(new CsvFileSourceFactory(), watch("in/*.csv"))) {
            resumed.seek(checkpoint);
            pollUntil(resumed, 3, () -> before.size() + records.size() >= 12);
            pollFor(resumed, 300);
        }
        List<String> all = new ArrayList<>(before);
        all.addAll(ids());
        assertThat(all)
                .containsExactly(
                        "one-0", "one-1", "one-2", "one-3", "one-4", "two-0", "two-1", "two-2", "two-3", "two-4",
                        "three-0", "three-1");
    }

    @Test
    void badLinesAreRejectedWithFileAndLine() throws Exception {
        Files.createDirectories(dir.resolve("in"));
        try (Source s = open(new JsonlFileSourceFactory(), watch("in/*.jsonl"))) {
            pollFor(s, 120);
            Files.writeString(dir.resolve("in/late.jsonl"), "{\"id\":\"1\"}\nnot json\n{\"id\":\"2\"}\n");
            pollUntil(s, 100, () -> records.size() + rejections.size() == 3);
        }
        assertThat(ids()).containsExactly("1", "2");
        assertThat(rejections).hasSize(1);
        assertThat(rejections.get(0).reason()).startsWith("late.jsonl line 2");
        assertThat(rejections.get(0).record().headers())
                .containsEntry(Origin.FILE_HEADER, dir.resolve("in/late.jsonl").toString())
                .containsEntry(Origin.LINE_HEADER, "2");
    }

    @Test
    void watchingASingleFileOrAMissingFolderIsAConfigurationError() throws Exception {
        Files.writeString(dir.resolve("one.csv"), "id\n1\n");
        CsvFileSourceFactory f = new CsvFileSourceFactory();
        assertThatThrownBy(() -> open(f, watch("one.csv")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("watch")
                .hasMessageContaining("single file");
        assertThatThrownBy(() -> open(f, watch("nowhere/*.csv")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no such folder");
        assertThatThrownBy(() -> f.validate(new io.dataflare.api.config.PluginConfig(
                        Map.of("path", "in", "watch", true, "watch_interval_ms", 0L))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("watch_interval_ms");
    }
}
