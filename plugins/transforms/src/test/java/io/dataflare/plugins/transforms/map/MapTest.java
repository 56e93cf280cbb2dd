package io.dataflare.plugins.transforms.map;

import static io.dataflare.plugins.transforms.Run.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.tck.SimplePluginContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MapTest {
    private final MapFactory factory = new MapFactory();
    private static final Fields F = Fields.of("price", "qty", "tmp");

    private static Map<String, Object> set(String... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void setsAndRemovesFieldsWithExpressionsOverTheInputRecord() throws Exception {
        Record in = Record.builder(F)
                .set(0, 2.5)
                .set(1, 4L)
                .set(2, "x")
                .key("k1")
                .header("h", "v")
                .build();
        RecordBatch out = process(
                factory,
                Map.of(
                        "set", set("total", "price * qty", "qty", "qty + 1", "label", "'n=' + qty", "tags", "[1, 2]"),
                        "remove", List.of("tmp")),
                RecordBatch.of(in, in));
        Record r = out.get(0);
        assertThat(r.fields().names()).containsExactly("price", "qty", "total", "label", "tags");
        // Every expression sees the input: label uses qty = 4, not the new 5.
        assertThat(r.asMap())
                .containsExactly(
                        Map.entry("price", 2.5),
                        Map.entry("qty", 5L),
                        Map.entry("total", 10.0),
                        Map.entry("label", "n=4"),
                        Map.entry("tags", List.of(1L, 2L)));
        assertThat(r.key()).isEqualTo("k1");
        assertThat(r.header("h")).isEqualTo("v");
        assertThat(out.get(1).fields()).isSameAs(r.fields());
    }

    @Test
    void setsHeadersToExpressionsKeepingTheOthersAndNullRemovesOne() throws Exception {
        Record in = Record.builder(F)
                .set(0, 2.5)
                .set(1, 4L)
                .set(2, "x")
                .header("source.file", "eu.csv")
                .header("drop", "me")
                .build();
        RecordBatch out = process(
                factory,
                Map.of("headers", set("origin", "'shop-' + tmp", "qty", "qty * 2", "drop", "null")),
                RecordBatch.of(in));
        Record r = out.get(0);
        assertThat(r.headers())
                .containsOnly(Map.entry("source.file", "eu.csv"), Map.entry("origin", "shop-x"), Map.entry("qty", "8"));
        assertThat(r.asMap()).isEqualTo(in.asMap());
    }

    @Test
    void aMapWithNothingToDoIsAConfigError() {
        assertThatThrownBy(() -> process(factory, Map.of(), RecordBatch.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("at least one of set, headers or remove");
    }

    /** Mixed-shape JSON as it arrives: a qty, an explicit null qty, no qty (nor name) at all. */
    private static RecordBatch mixedShapes() {
        Fields full = Fields.of("id", "price", "qty", "name");
        return RecordBatch.of(
                Record.of(full, 1L, 2.5, 4L, "Ann"),
                Record.of(full, 2L, 2.5, null, null),
                Record.of(Fields.of("id", "price"), 3L, 2.5));
    }

    private static final Map<String, Object> NULL_PRONE = set(
            "total",
            "price * qty",
            "label",
            "'n=' + qty",
            "big",
            "qty > 3",
            "known",
            "qty != null",
            "lower",
            "name.toLowerCase()",
            "qty_or_zero",
            "qty ?? 0");

    @Test
    void nullPropagatesIntoNullFieldsByDefault() throws Exception {
        RecordBatch out = process(factory, Map.of("set", NULL_PRONE), mixedShapes());
        assertThat(out.rejections()).isEmpty();
        assertThat(out.get(0).asMap())
                .containsAllEntriesOf(Map.of(
                        "total", 10.0, "label", "n=4", "big", true, "known", true, "lower", "ann", "qty_or_zero", 4L));
        for (Record r : List.of(out.get(1), out.get(2))) {
            assertThat(r.fields().names())
                    .as("id %s", r.get("id"))
                    .contains("total", "label", "big", "known", "lower", "qty_or_zero");
            assertThat(r.get("total")).isNull();
            assertThat(r.get("label")).isNull();
            assertThat(r.get("lower")).isNull();
            assertThat(r.get("big")).isEqualTo(false);
            assertThat(r.get("known")).isEqualTo(false);
            assertThat(r.get("qty_or_zero")).isEqualTo(0L);
        }
        assertThat(out.get(2).has("qty")).isFalse();
    }

    @Test
    void strictRejectsWhatTheDefaultTurnsIntoNull() throws Exception {
        RecordBatch out = process(factory, Map.of("set", set("total", "price * qty"), "strict", true), mixedShapes());
        assertThat(out.records()).extracting(r -> r.get("total")).containsExactly(10.0);
        assertThat(out.rejections())
                .extracting(x -> x.reason())
                .containsExactly(
                        "expression 'price * qty' failed: variable 'qty' is null",
                        "expression 'price * qty' failed: variable 'qty' is undefined");
        out = process(factory, Map.of("set", set("lower", "name.toLowerCase()"), "strict", true), mixedShapes());
        assertThat(out.records()).extracting(r -> r.get("lower")).containsExactly("ann");
        assertThat(out.rejections()).hasSize(2);
    }

    @Test
    void anEvaluationErrorRejectsOnlyThatRecord() throws Exception {
        Fields f = Fields.of("a");
        RecordBatch out = process(
                factory,
                Map.of("set", set("b", "6 / a")),
                RecordBatch.of(Record.of(f, 1L), Record.of(f, 0L), Record.of(f, 3L)));
        assertThat(out.records()).extracting(r -> r.get("b")).containsExactly(6L, 2L);
        assertThat(out.rejections()).singleElement().satisfies(x -> {
            assertThat(x.reason()).startsWith("expression '6 / a' failed: ");
            assertThat(x.record().get("a")).isEqualTo(0L);
        });
    }

    @Test
    void parseErrorsAreReportedOnTheirSetKey() {
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("set", set("ok", "1", "bad", "a +")), null))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).hasSize(1);
                    assertThat(e.errors().get(0).field()).isEqualTo("set.bad");
                });
    }
}
