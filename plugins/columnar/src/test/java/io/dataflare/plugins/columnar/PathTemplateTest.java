package io.dataflare.plugins.columnar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code {field}} placeholders split a sink's records into one file per value, each resumed exactly. */
class PathTemplateTest {
    private static final Fields F = Fields.of("id", "country");

    @TempDir
    Path dir;

    private static RecordBatch batch(int from, int to) {
        RecordBatch.Builder b = RecordBatch.builder();
        for (int i = from; i < to; i++) b.add(Record.of(F, (long) i, i % 2 == 0 ? "de" : "fr"));
        return b.build();
    }

    private Sink sink(Map<String, ?> config) throws Exception {
        var f = new ParquetFileSinkFactory();
        return f.create(Harness.ctx(f, config, dir));
    }

    private List<Long> ids(String glob) throws Exception {
        var f = new ParquetFileSourceFactory();
        try (Source s = f.create(Harness.ctx(f, Map.of("path", glob), dir))) {
            return Harness.drain(s, 1000).stream().map(r -> r.getLong("id")).toList();
        }
    }

    @Test
    void eachValueGetsItsFileAndAResumedRunRedoesOnlyWhatCameAfterTheCheckpoint() throws Exception {
        Map<String, ?> config = Map.of("path", "out/country={country}/orders.parquet");
        Sink crashed = sink(config);
        crashed.write(batch(0, 10), new Harness.Collected());
        Map<String, Object> state = crashed.checkpoint();
        crashed.write(batch(10, 20), new Harness.Collected()); // unfinished parts: the process dies

        try (Sink resumed = sink(config)) {
            resumed.restore(state);
            resumed.write(batch(10, 20), new Harness.Collected());
            resumed.checkpoint();
        }
        assertThat(ids("out/country=de/*.parquet")).containsExactly(0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L);
        assertThat(ids("out/country=fr/*.parquet")).containsExactly(1L, 3L, 5L, 7L, 9L, 11L, 13L, 15L, 17L, 19L);
    }

    @Test
    void aValueThatWouldLeaveTheFolderIsRejectedAndTheOthersWritten() throws Exception {
        Harness.Collected rejected = new Harness.Collected();
        try (Sink s = sink(Map.of("path", "out/{country}.parquet"))) {
            s.write(RecordBatch.of(Record.of(F, 1L, "de"), Record.of(F, 2L, ".."), Record.of(F, 3L, null)), rejected);
            s.checkpoint();
        }
        assertThat(rejected.records).extracting(r -> r.getLong("id")).containsExactly(2L, 3L);
        assertThat(rejected.reasons.get(0)).contains("field 'country' value '..' cannot be part of path");
        assertThat(rejected.reasons.get(1)).contains("field 'country' is missing or null");
        assertThat(ids("out/*.parquet")).containsExactly(1L);
    }

    @Test
    void beyondMaxOpenFilesTheLeastRecentlyWrittenPartIsFinishedEarlyAndNothingIsLost() throws Exception {
        try (Sink s = sink(Map.of("path", "out/{country}.parquet", "max_open_files", 1))) {
            s.write(batch(0, 6), new Harness.Collected()); // de, fr, de, fr...: each switch finishes a part
            s.checkpoint();
        }
        assertThat(ids("out/de*.parquet")).containsExactly(0L, 2L, 4L);
        assertThat(ids("out/fr*.parquet")).containsExactly(1L, 3L, 5L);
    }

    @Test
    void anUnclosedPlaceholderIsAConfigError() {
        var f = new ParquetFileSinkFactory();
        assertThatThrownBy(() -> f.validate(f.configSpec().validate(Map.of("path", "out/{country.parquet"))))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("path"))
                .hasMessageContaining("has a '{' without '}'");
    }
}
