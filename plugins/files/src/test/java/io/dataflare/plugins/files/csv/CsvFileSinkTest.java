package io.dataflare.plugins.files.csv;

import static io.dataflare.plugins.files.Batches.drain;
import static io.dataflare.plugins.files.Batches.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.plugins.files.Batches;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFileSinkTest {
    @TempDir
    Path dir;

    private final CsvFileSinkFactory sinks = new CsvFileSinkFactory();
    private final CsvFileSourceFactory sources = new CsvFileSourceFactory();

    private Sink sink(Map<String, ?> config) throws Exception {
        return sinks.create(SimplePluginContext.of(sinks, config, dir));
    }

    private List<Record> readBack(String path) throws Exception {
        try (Source s = sources.create(SimplePluginContext.of(sources, Map.of("path", path), dir))) {
            return records(drain(s, 100));
        }
    }

    private static final Fields ORDER = Fields.of("id", "country", "note");

    private static Record order(long id, String country, String note) {
        return Record.of(ORDER, id, country, note);
    }

    @Test
    void roundTripsThroughTheCsvSourceRenderingEveryType() throws Exception {
        Fields f = Fields.of("s", "l", "d", "b", "n", "t", "bytes", "list", "map");
        Record r = Record.of(
                f,
                "a,\"quoted\"\nline",
                42L,
                2.5,
                true,
                null,
                Instant.parse("2024-05-06T07:08:09Z"),
                new byte[] {1, 2, 3},
                List.of(1L, "x"),
                Map.of("k", 1L));
        Batches.Collected rejected = new Batches.Collected();
        try (Sink s = sink(Map.of("path", "out/all.csv"))) {
            s.write(RecordBatch.of(r), rejected);
            s.flush();
        }
        assertThat(rejected.records).isEmpty();
        Record back = readBack("out/all.csv").get(0);
        assertThat(back.asMap())
                .containsExactly(
                        Map.entry("s", "a,\"quoted\"\nline"),
                        Map.entry("l", "42"),
                        Map.entry("d", "2.5"),
                        Map.entry("b", "true"),
                        Map.entry("n", ""),
                        Map.entry("t", "2024-05-06T07:08:09Z"),
                        Map.entry("bytes", "AQID"),
                        Map.entry("list", "[1,\"x\"]"),
                        Map.entry("map", "{\"k\":1}"));
    }

    @Test
    void templatesSplitByValueAndRefuseValuesThatLeaveTheDirectory() throws Exception {
        Batches.Collected rejected = new Batches.Collected();
        try (Sink s = sink(Map.of("path", "out/{country}.csv"))) {
            s.write(
                    RecordBatch.of(
                            order(1, "FR", "a"),
                            order(2, "DE", "b"),
                            order(3, "../x", "evil"),
                            order(4, "FR", "c"),
                            order(5, "/etc/passwd", "evil"),
                            order(6, "..", "evil"),
                            Record.of(Fields.of("id"), 7L)),
                    rejected);
            s.flush();
        }
        assertThat(readBack("out/FR.csv")).extracting(r -> r.get("id")).containsExactly("1", "4");
        assertThat(readBack("out/DE.csv")).extracting(r -> r.get("id")).containsExactly("2");
        assertThat(rejected.records).extracting(r -> r.get("id")).containsExactly(3L, 5L, 6L, 7L);
        assertThat(rejected.reasons.get(0)).contains("'../x'").contains("country");
        assertThat(rejected.reasons.get(3)).contains("'country' is missing");
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile)
                            .map(p -> dir.relativize(p).toString()))
                    .containsExactlyInAnyOrder("out/FR.csv", "out/DE.csv");
        }
    }

    @Test
    void appendAddsRowsWithoutASecondHeaderAndTruncateStartsOver() throws Exception {
        try (Sink s = sink(Map.of("path", "o.csv"))) {
            s.write(RecordBatch.of(order(1, "FR", "a")), new Batches.Collected());
        }
        try (Sink s = sink(Map.of("path", "o.csv", "append", true))) {
            s.write(RecordBatch.of(order(2, "DE", "b")), new Batches.Collected());
        }
        assertThat(Files.readString(dir.resolve("o.csv"))).isEqualTo("id,country,note\n1,FR,a\n2,DE,b\n");
        try (Sink s = sink(Map.of("path", "o.csv"))) {
            s.write(RecordBatch.of(order(3, "DE", "c")), new Batches.Collected());
        }
        assertThat(Files.readString(dir.resolve("o.csv"))).isEqualTo("id,country,note\n3,DE,c\n");
    }

    @Test
    void columnsOrderTheOutputAndMissingFieldsAreEmpty() throws Exception {
        try (Sink s = sink(Map.of(
                "path", "o.csv", "columns", List.of("note", "id", "extra"), "delimiter", ";", "header", false))) {
            s.write(RecordBatch.of(order(1, "FR", "a;b")), new Batches.Collected());
        }
        assertThat(Files.readString(dir.resolve("o.csv"))).isEqualTo("\"a;b\";1;\n");
    }

    @Test
    void filesClosedForTheOpenFileLimitAreReopenedForAppending() throws Exception {
        try (Sink s = sink(Map.of("path", "out/{country}.csv", "max_open_files", 1))) {
            for (int i = 0; i < 6; i++) {
                s.write(RecordBatch.of(order(i, i % 2 == 0 ? "FR" : "DE", "n" + i)), new Batches.Collected());
            }
        }
        assertThat(Files.readString(dir.resolve("out/FR.csv")))
                .isEqualTo("id,country,note\n0,FR,n0\n2,FR,n2\n4,FR,n4\n");
        assertThat(Files.readString(dir.resolve("out/DE.csv")))
                .isEqualTo("id,country,note\n1,DE,n1\n3,DE,n3\n5,DE,n5\n");
    }

    @Test
    void flushMakesRowsVisibleBeforeClose() throws Exception {
        try (Sink s = sink(Map.of("path", "o.csv"))) {
            s.write(RecordBatch.of(order(1, "FR", "a")), new Batches.Collected());
            s.flush();
            assertThat(Files.readString(dir.resolve("o.csv"))).isEqualTo("id,country,note\n1,FR,a\n");
        }
    }

    @Test
    void aBrokenTemplateIsAConfigError() {
        assertThatThrownBy(() -> SimplePluginContext.of(sinks, Map.of("path", "out/{country.csv"), dir))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors().get(0).field())
                        .isEqualTo("path"));
    }
}
