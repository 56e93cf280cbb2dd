package io.dataflare.plugins.files.csv;

import static io.dataflare.plugins.files.Batches.drain;
import static io.dataflare.plugins.files.Batches.records;
import static io.dataflare.plugins.files.Batches.rejections;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.source.Source;
import io.dataflare.tck.SimplePluginContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFileSourceTest {
    @TempDir
    Path dir;

    private final CsvFileSourceFactory factory = new CsvFileSourceFactory();

    private Source open(Map<String, ?> config) throws Exception {
        return factory.create(SimplePluginContext.of(factory, config, dir));
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void decodesQuotesEscapesAndEmbeddedLineBreaksSharingOneFields() throws Exception {
        write("orders.csv", "id,name,note\n1,\"Smith, Jo\",\"said \"\"hi\"\"\"\n2,Ann,\"two\nlines\"\n3,Bo,\n");
        try (Source s = open(Map.of("path", "orders.csv"))) {
            List<Record> r = records(drain(s, 100));
            assertThat(r).hasSize(3);
            assertThat(r.get(0).asMap())
                    .containsExactly(
                            Map.entry("id", "1"), Map.entry("name", "Smith, Jo"), Map.entry("note", "said \"hi\""));
            assertThat(r.get(1).get("note")).isEqualTo("two\nlines");
            assertThat(r.get(2).get("note")).isEqualTo("");
            assertThat(r.get(1).fields()).isSameAs(r.get(0).fields());
            assertThat(r.get(2).fields()).isSameAs(r.get(0).fields());
        }
    }

    @Test
    void skipsAByteOrderMarkAndHandlesCrlf() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        b.write("id,city\r\n1,Zürich\r\n2,Oslo\r\n".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("bom.csv"), b.toByteArray());
        try (Source s = open(Map.of("path", "bom.csv"))) {
            List<Record> r = records(drain(s, 10));
            assertThat(r.get(0).fields().names()).containsExactly("id", "city");
            assertThat(r).extracting(x -> x.get("city")).containsExactly("Zürich", "Oslo");
        }
    }

    @Test
    void raggedRowIsRejectedWithFileLineAndRawText() throws Exception {
        write("orders.csv", "id,name,qty,price\n1,a,2,3.5\n2,b,7\n3,c,1,2\n");
        try (Source s = open(Map.of("path", "orders.csv"))) {
            List<RecordBatch> batches = drain(s, 100);
            assertThat(records(batches)).extracting(x -> x.get("id")).containsExactly("1", "3");
            List<Rejection> rj = rejections(batches);
            assertThat(rj).hasSize(1);
            Rejection x = rj.get(0);
            assertThat(x.reason()).isEqualTo("orders.csv line 3: expected 4 fields, found 3");
            assertThat(x.errorClass()).isEqualTo("invalid_record");
            assertThat(x.record().get("raw")).isEqualTo("2,b,7");
            assertThat(x.record().header("source.file"))
                    .isEqualTo(dir.resolve("orders.csv").toString());
            assertThat(x.record().header("source.line")).isEqualTo("3");
        }
    }

    @Test
    void schemaConvertsValuesAndRejectsOnesThatDoNotConvert() throws Exception {
        write("orders.csv", "id,amount,paid,at\n1,12.5,true,2024-01-02T03:04:05Z\n2,abc,false,2024-01-02\n3,,yes,\n");
        Map<String, Object> schema = Map.of("id", "long", "amount", "double", "paid", "boolean", "at", "timestamp");
        try (Source s = open(Map.of("path", "orders.csv", "schema", schema))) {
            List<RecordBatch> batches = drain(s, 100);
            List<Record> r = records(batches);
            assertThat(r).hasSize(2);
            assertThat(r.get(0).get("id")).isEqualTo(1L);
            assertThat(r.get(0).get("amount")).isEqualTo(12.5);
            assertThat(r.get(0).get("paid")).isEqualTo(true);
            assertThat(r.get(0).get("at")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
            // Empty cells of typed columns are missing values.
            assertThat(r.get(1).get("amount")).isNull();
            assertThat(r.get(1).get("at")).isNull();
            assertThat(rejections(batches)).singleElement().satisfies(x -> {
                assertThat(x.reason()).isEqualTo("orders.csv line 3: field 'amount': 'abc' is not a number");
                assertThat(x.record().get("raw")).isEqualTo("2,abc,false,2024-01-02");
            });
        }
    }

    @Test
    void numberCellsInEveryFormConvertAsTheirText() throws Exception {
        // plain cells are read from their bytes, the others through their text: both must agree with FieldType
        String[][] cells = {
            {"7", "12.5"},
            {"-0", "-0"},
            {"\"42\"", "\"0.1\""},
            {" 8 ", " 2.25 "},
            {"+9", "+1.5"},
            {"1.0", "1e3"},
            {"\"1\"\"\"", "NaN"},
            {"123456789012345678", "1234567890.1234567"},
            {"9223372036854775807", "-.5"},
            {"\u0661\u0662", "Infinity"},
            {"1e2", "007.50"}
        };
        StringBuilder csv = new StringBuilder("n,x\n");
        for (String[] c : cells) csv.append(c[0]).append(',').append(c[1]).append('\n');
        write("numbers.csv", csv.toString());
        try (Source s = open(Map.of("path", "numbers.csv", "schema", Map.of("n", "long", "x", "double")))) {
            List<RecordBatch> batches = drain(s, 100);
            List<Object> expected = new java.util.ArrayList<>();
            List<String> expectedRejected = new java.util.ArrayList<>();
            for (int line = 0; line < cells.length; line++) {
                String n = unquote(cells[line][0]);
                String x = unquote(cells[line][1]);
                try {
                    expected.add(List.of(FieldType.LONG.convert(n), FieldType.DOUBLE.convert(x)));
                } catch (IllegalArgumentException e) {
                    expectedRejected.add("numbers.csv line " + (line + 2));
                }
            }
            assertThat(records(batches))
                    .extracting(r -> (Object) List.of(r.get("n"), r.get("x")))
                    .containsExactlyElementsOf(expected);
            assertThat(rejections(batches))
                    .extracting(r -> r.reason().substring(0, r.reason().indexOf(':')))
                    .containsExactlyElementsOf(expectedRejected);
            // -0 is a long 0 but a double -0.0, as the text parsers have it
            assertThat(Double.doubleToRawLongBits(
                            (Double) records(batches).get(1).get("x")))
                    .isEqualTo(Double.doubleToRawLongBits(-0.0));
        }
    }

    private static String unquote(String cell) {
        return cell.startsWith("\"") ? cell.substring(1, cell.length() - 1).replace("\"\"", "\"") : cell;
    }

    @Test
    void invalidUtf8AndBrokenQuotesRejectOnlyTheirRow() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("id,name\n1,ok\n2,bad".getBytes(StandardCharsets.UTF_8));
        b.write(0xFF);
        b.write("\n3,\"b\"x\n4,fine\n5,\"never closed\n6,last\n".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("mixed.csv"), b.toByteArray());
        try (Source s = open(Map.of("path", "mixed.csv"))) {
            List<RecordBatch> batches = drain(s, 100);
            assertThat(records(batches)).extracting(x -> x.get("id")).containsExactly("1", "4", "6");
            assertThat(rejections(batches))
                    .extracting(Rejection::reason)
                    .containsExactly(
                            "mixed.csv line 3: field 'name' is not valid UTF-8",
                            "mixed.csv line 4: unexpected text after the closing quote of field 2",
                            "mixed.csv line 6: unterminated quoted field");
            assertThat(rejections(batches).get(1).record().get("raw")).isEqualTo("3,\"b\"x");
        }
    }

    @Test
    void withoutHeaderColumnsDefaultToC1ToCn() throws Exception {
        write("plain.csv", "a;b;c\nd;e;f\n\n");
        try (Source s = open(Map.of("path", "plain.csv", "header", false, "delimiter", ";"))) {
            List<Record> r = records(drain(s, 10));
            assertThat(r).hasSize(2);
            assertThat(r.get(0).asMap())
                    .containsExactly(Map.entry("c1", "a"), Map.entry("c2", "b"), Map.entry("c3", "c"));
        }
        try (Source s = open(
                Map.of("path", "plain.csv", "header", false, "delimiter", ";", "columns", List.of("x", "y", "z")))) {
            assertThat(records(drain(s, 10)).get(1).asMap()).containsEntry("z", "f");
        }
    }

    @Test
    void tabDelimiterAndEmptyLinesKeptWhenAsked() throws Exception {
        write("t.tsv", "k\n\na\n");
        try (Source s = open(Map.of("path", "t.tsv", "delimiter", "\\t", "skip_empty_lines", false))) {
            assertThat(records(drain(s, 10))).extracting(x -> x.get("k")).containsExactly("", "a");
        }
    }

    @Test
    void globReadsFilesInNameOrderWithPositions() throws Exception {
        write("data/b.csv", "id\n3\n4\n");
        write("data/a.csv", "id\n1\n2\n");
        write("data/notes.txt", "id\n9\n");
        try (Source s = open(Map.of("path", "data/*.csv"))) {
            List<RecordBatch> batches = drain(s, 3);
            assertThat(records(batches)).extracting(x -> x.get("id")).containsExactly("1", "2", "3", "4");
            assertThat(batches.get(0).position())
                    .isEqualTo(Map.of("file", dir.resolve("data/b.csv").toString(), "line", 2L));
            assertThat(batches.get(1).position())
                    .isEqualTo(Map.of("file", dir.resolve("data/b.csv").toString(), "line", 3L));
            assertThat(records(batches).get(0).fields())
                    .isSameAs(records(batches).get(3).fields());
        }
    }

    @Test
    void seekResumesAfterThePositionWhateverTheBatchSize() throws Exception {
        write("in/a.csv", "id,note\n1,\"x\ny\"\n2,b\n3,c\n");
        write("in/b.csv", "id,note\n4,d\n5,e\n");
        List<Object> all;
        try (Source s = open(Map.of("path", "in/*.csv"))) {
            all = records(drain(s, 1)).stream().map(r -> r.get("id")).toList();
        }
        assertThat(all).containsExactly("1", "2", "3", "4", "5");
        for (int cut = 1; cut < all.size(); cut++) {
            Map<String, Object> position;
            try (Source s = open(Map.of("path", "in/*.csv"))) {
                position = s.poll(cut).position();
            }
            try (Source s = open(Map.of("path", "in/*.csv"))) {
                s.seek(new HashMap<>(position));
                assertThat(records(drain(s, 2)))
                        .extracting(r -> r.get("id"))
                        .containsExactlyElementsOf(all.subList(cut, all.size()));
            }
        }
    }

    @Test
    void pollReturnsNullOnceEverythingIsRead() throws Exception {
        write("one.csv", "id\n1\n");
        try (Source s = open(Map.of("path", "one.csv"))) {
            assertThat(s.poll(10).size()).isEqualTo(1);
            assertThat(s.poll(10)).isNull();
            assertThat(s.poll(10)).isNull();
        }
    }

    @Test
    void aGlobMatchingNothingFailsAtCreateNamingThePattern() {
        assertThatThrownBy(() -> open(Map.of("path", "nowhere/*.csv")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nowhere/*.csv");
        assertThatThrownBy(() -> open(Map.of("path", "missing.csv")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.csv");
    }

    @Test
    void badOptionsAreRejectedBeforeRunning() {
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("path", "x.csv", "delimiter", "ab"), dir))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors().get(0).field())
                        .isEqualTo("delimiter"));
        assertThatThrownBy(() ->
                        SimplePluginContext.of(factory, Map.of("path", "x.csv", "schema", Map.of("a", "money")), dir))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors().get(0).field())
                        .isEqualTo("schema.a"));
    }

    @Test
    void rowsLongerThanTheBufferAreReadWhole() throws Exception {
        String big = "x".repeat(700_000);
        write("big.csv", "id,v\n1," + big + "\n2,\"" + big + "\"\n");
        try (Source s = open(Map.of("path", "big.csv"))) {
            List<Record> r = records(drain(s, 10));
            assertThat(r).extracting(x -> ((String) x.get("v")).length()).containsExactly(700_000, 700_000);
        }
    }
}
