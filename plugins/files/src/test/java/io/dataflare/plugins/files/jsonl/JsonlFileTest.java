package io.dataflare.plugins.files.jsonl;

import static io.dataflare.plugins.files.Batches.drain;
import static io.dataflare.plugins.files.Batches.records;
import static io.dataflare.plugins.files.Batches.rejections;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.plugins.files.Batches;
import io.dataflare.tck.SimplePluginContext;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlFileTest {
    @TempDir
    Path dir;

    private final JsonlFileSinkFactory sinks = new JsonlFileSinkFactory();
    private final JsonlFileSourceFactory sources = new JsonlFileSourceFactory();

    private Source source(String path) throws Exception {
        return sources.create(SimplePluginContext.of(sources, Map.of("path", path), dir));
    }

    private Sink sink(Map<String, ?> config) throws Exception {
        return sinks.create(SimplePluginContext.of(sinks, config, dir));
    }

    @Test
    void roundTripsNestedValuesThroughTheSource() throws Exception {
        Fields f = Fields.of("id", "price", "ok", "none", "at", "bytes", "tags", "address", "text");
        Record r = Record.of(
                f,
                7L,
                9.99,
                false,
                null,
                Instant.parse("2024-01-01T00:00:00Z"),
                new byte[] {0, 1},
                List.of("a", 2L),
                Map.of("city", "Oslo", "zip", List.of(1L)),
                "é \"q\" \n tab\t");
        try (Sink s = sink(Map.of("path", "out/r.jsonl"))) {
            s.write(RecordBatch.of(r, r), new Batches.Collected());
            s.flush();
        }
        String text = Files.readString(dir.resolve("out/r.jsonl"));
        assertThat(text.lines()).hasSize(2);
        assertThat(text.lines().findFirst().orElseThrow())
                .startsWith("{\"id\":7,\"price\":9.99,\"ok\":false,\"none\":null,"
                        + "\"at\":\"2024-01-01T00:00:00Z\",\"bytes\":\"AAE=\"");
        try (Source s = source("out/r.jsonl")) {
            List<Record> back = records(drain(s, 10));
            assertThat(back).hasSize(2);
            Record b = back.get(0);
            assertThat(b.fields().names()).containsExactlyElementsOf(f.names());
            assertThat(b.get("id")).isEqualTo(7L);
            assertThat(b.get("price")).isEqualTo(9.99);
            assertThat(b.get("ok")).isEqualTo(false);
            assertThat(b.has("none")).isTrue();
            assertThat(b.get("none")).isNull();
            assertThat(b.get("at")).isEqualTo("2024-01-01T00:00:00Z");
            assertThat(b.getBytes("bytes")).containsExactly(0, 1);
            assertThat(b.get("tags")).isEqualTo(List.of("a", 2L));
            assertThat(b.get("address")).isEqualTo(Map.of("city", "Oslo", "zip", List.of(1L)));
            assertThat(b.get("text")).isEqualTo("é \"q\" \n tab\t");
            assertThat(back.get(1).fields()).isSameAs(b.fields());
        }
    }

    @Test
    void brokenAndNonObjectLinesAreRejectedWithFileLineAndMessage() throws Exception {
        Files.writeString(
                dir.resolve("in.jsonl"),
                "{\"a\":1}\n\n  \n{\"a\":2,\n[1,2]\n{\"a\":3} x\n{\"a\":99999999999999999999999}\r\n{\"a\":1,\"a\":2}\n{\"a\":4}");
        try (Source s = source("in.jsonl")) {
            List<RecordBatch> batches = drain(s, 100);
            assertThat(records(batches))
                    .extracting(r -> r.get("a"))
                    .containsExactly(1L, new BigDecimal("99999999999999999999999"), 4L);
            List<Rejection> rj = rejections(batches);
            assertThat(rj).hasSize(4);
            assertThat(rj.get(0).reason()).startsWith("in.jsonl line 4: ").contains("end-of-input");
            assertThat(rj.get(0).record().get("raw")).isEqualTo("{\"a\":2,");
            assertThat(rj.get(0).record().header("source.file"))
                    .isEqualTo(dir.resolve("in.jsonl").toString());
            assertThat(rj.get(0).record().header("source.line")).isEqualTo("4");
            assertThat(rj.get(1).reason()).isEqualTo("in.jsonl line 5: expected a JSON object, found an array");
            assertThat(rj.get(2).reason()).startsWith("in.jsonl line 6: ");
            assertThat(rj.get(3).reason()).isEqualTo("in.jsonl line 8: field 'a' appears twice");
        }
    }

    @Test
    void invalidUtf8IsRejectedByTheParser() throws Exception {
        byte[] bad = {
            '{', '"', 'a', '"', ':', '"', (byte) 0xC3, '(', '"', '}', '\n', '{', '"', 'a', '"', ':', '1', '}', '\n'
        };
        Files.write(dir.resolve("bad.jsonl"), bad);
        try (Source s = source("bad.jsonl")) {
            List<RecordBatch> batches = drain(s, 10);
            assertThat(records(batches)).hasSize(1);
            assertThat(rejections(batches))
                    .singleElement()
                    .satisfies(x -> assertThat(x.reason())
                            .startsWith("bad.jsonl line 1: ")
                            .containsIgnoringCase("utf-8"));
        }
    }

    @Test
    void seekResumesWhereAPositionPointsWithBlankLinesCounted() throws Exception {
        Files.writeString(dir.resolve("a.jsonl"), "{\"i\":1}\n\n{\"i\":2}\n{\"i\":3}\n");
        Map<String, Object> position;
        try (Source s = source("*.jsonl")) {
            RecordBatch first = s.poll(2);
            assertThat(first.records()).extracting(r -> r.get("i")).containsExactly(1L, 2L);
            position = first.position();
            assertThat(position).containsEntry("line", 3L);
        }
        try (Source s = source("*.jsonl")) {
            s.seek(new HashMap<>(position));
            assertThat(records(drain(s, 10))).extracting(r -> r.get("i")).containsExactly(3L);
        }
    }

    @Test
    void templatedSinkKeepsFilesInsideItsDirectory() throws Exception {
        Batches.Collected rejected = new Batches.Collected();
        Fields f = Fields.of("day", "n");
        try (Sink s = sink(Map.of("path", "out/day={day}/part.jsonl"))) {
            s.write(
                    RecordBatch.of(Record.of(f, "2024-01-01", 1L), Record.of(f, "..", 2L), Record.of(f, "a\\b", 3L)),
                    rejected);
        }
        assertThat(Files.readString(dir.resolve("out/day=2024-01-01/part.jsonl")))
                .isEqualTo("{\"day\":\"2024-01-01\",\"n\":1}\n");
        assertThat(rejected.records).extracting(r -> r.get("n")).containsExactly(2L, 3L);
        assertThat(Files.exists(dir.resolve("part.jsonl"))).isFalse();
    }
}
