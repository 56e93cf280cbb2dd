package io.dataflare.plugins.columnar;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sink finishes a part per checkpoint and a resumed run discards what came after the checkpoint; the source
 * resumes mid-file at the checkpointed record.
 */
class CheckpointTest {
    private static final Fields F = Fields.of("id", "name");

    @TempDir
    Path dir;

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of(new ParquetFileSinkFactory(), new ParquetFileSourceFactory(), "parquet"),
                Arguments.of(new AvroFileSinkFactory(), new AvroFileSourceFactory(), "avro"));
    }

    private static RecordBatch batch(int from, int to) {
        RecordBatch.Builder b = RecordBatch.builder();
        for (int i = from; i < to; i++) b.add(Record.of(F, (long) i, "n" + i));
        return b.build();
    }

    private Sink sink(SinkFactory f, String ext) throws Exception {
        return f.create(Harness.ctx(f, Map.of("path", "out/data." + ext), dir));
    }

    private List<Long> ids(SourceFactory f, String glob) throws Exception {
        try (Source s = f.create(Harness.ctx(f, Map.of("path", glob), dir))) {
            return Harness.drain(s, 1000).stream().map(r -> r.getLong("id")).toList();
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void aResumedSinkDiscardsTheUnfinishedPartAndPartsFinishedAfterItsCheckpoint(
            SinkFactory sinks, SourceFactory sources, String ext) throws Exception {
        Sink crashed = sink(sinks, ext);
        crashed.write(batch(0, 10), new Harness.Collected());
        Map<String, Object> first = crashed.checkpoint();
        crashed.write(batch(10, 20), new Harness.Collected());
        crashed.checkpoint(); // finished part 1, but the process dies before this checkpoint is stored
        crashed.write(batch(20, 30), new Harness.Collected()); // unfinished part, never closed: the process died
        assertThat(Files.exists(dir.resolve("out/data_00001." + ext))).isTrue();
        assertThat(dir.resolve("out/.data." + ext + ".inprogress")).exists();

        try (Sink resumed = sink(sinks, ext)) {
            resumed.restore(first);
            resumed.write(batch(10, 30), new Harness.Collected()); // the source replays from its checkpoint
            resumed.checkpoint();
        }
        try (var files = Files.list(dir.resolve("out"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("data." + ext, "data_00001." + ext);
        }
        assertThat(ids(sources, "out/*." + ext))
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.range(0, 30).boxed().toList());
    }

    @ParameterizedTest
    @MethodSource("formats")
    void aFreshRunReplacesThePreviousRunsParts(SinkFactory sinks, SourceFactory sources, String ext) throws Exception {
        try (Sink old = sink(sinks, ext)) {
            old.write(batch(0, 5), new Harness.Collected());
            old.checkpoint();
            old.write(batch(5, 10), new Harness.Collected());
            old.checkpoint();
        }
        try (Sink fresh = sink(sinks, ext)) {
            fresh.write(batch(100, 103), new Harness.Collected());
            fresh.checkpoint();
        }
        assertThat(ids(sources, "out/*." + ext)).containsExactly(100L, 101L, 102L);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void theSourceResumesMidFileAtTheCheckpointedRecord(SinkFactory sinks, SourceFactory sources, String ext)
            throws Exception {
        try (Sink s = sink(sinks, ext)) {
            s.write(batch(0, 2500), new Harness.Collected());
            s.checkpoint();
            s.write(batch(2500, 3000), new Harness.Collected());
            s.checkpoint();
        }
        Map<String, Object> position;
        try (Source first = sources.create(Harness.ctx(sources, Map.of("path", "out/*." + ext), dir))) {
            first.poll(1000);
            position = first.poll(700).position();
        }
        assertThat(position).containsEntry("record", 1700L);
        try (Source resumed = sources.create(Harness.ctx(sources, Map.of("path", "out/*." + ext), dir))) {
            resumed.seek(position);
            List<Long> rest = Harness.drain(resumed, 1000).stream()
                    .map(r -> r.getLong("id"))
                    .toList();
            assertThat(rest)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(1700, 3000)
                            .boxed()
                            .toList());
        }
    }
}
