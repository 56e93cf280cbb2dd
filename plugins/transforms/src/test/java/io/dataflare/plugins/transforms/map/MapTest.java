package io.dataflare.plugins.transforms.map;

import static io.dataflare.plugins.transforms.Run.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.SimplePluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
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
        Record in = Record.builder(F).set(0, 2.5).set(1, 4L).set(2, "x").key("k1").header("h", "v").build();
        RecordBatch out = process(factory, Map.of(
                "set", set("total", "price * qty", "qty", "qty + 1", "label", "'n=' + qty", "tags", "[1, 2]"),
                "remove", List.of("tmp")), RecordBatch.of(in, in));
        Record r = out.get(0);
        assertThat(r.fields().names()).containsExactly("price", "qty", "total", "label", "tags");
        // Every expression sees the input: label uses qty = 4, not the new 5.
        assertThat(r.asMap()).containsExactly(Map.entry("price", 2.5), Map.entry("qty", 5L), Map.entry("total", 10.0),
                Map.entry("label", "n=4"), Map.entry("tags", List.of(1L, 2L)));
        assertThat(r.key()).isEqualTo("k1");
        assertThat(r.header("h")).isEqualTo("v");
        assertThat(out.get(1).fields()).isSameAs(r.fields());
    }

    @Test
    void anEvaluationErrorRejectsOnlyThatRecord() throws Exception {
        Fields f = Fields.of("a");
        RecordBatch out = process(factory, Map.of("set", set("b", "a * 2")),
                RecordBatch.of(Record.of(f, 1L), Record.of(f, (Object) null), Record.of(f, 3L)));
        assertThat(out.records()).extracting(r -> r.get("b")).containsExactly(2L, 6L);
        assertThat(out.rejections()).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo("expression 'a * 2' failed: variable 'a' is null");
            assertThat(x.record().get("a")).isNull();
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
