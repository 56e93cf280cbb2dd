package io.dataflare.plugins.transforms.fields;

import static io.dataflare.plugins.transforms.Run.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.tck.SimplePluginContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldsProcessorsTest {
    private static final Fields F = Fields.of("a", "b", "c");

    private static Record rec(Object a, Object b, Object c) {
        return Record.builder(F)
                .set(0, a)
                .set(1, b)
                .set(2, c)
                .key("key")
                .header("source", "t")
                .build();
    }

    @Test
    void selectKeepsListedFieldsInListedOrder() throws Exception {
        RecordBatch out = process(
                new SelectFactory(),
                Map.of("fields", List.of("c", "missing", "a")),
                RecordBatch.of(rec(1L, 2L, 3L), rec(4L, 5L, 6L)));
        assertThat(out.get(0).asMap()).containsExactly(Map.entry("c", 3L), Map.entry("a", 1L));
        assertThat(out.get(0).key()).isEqualTo("key");
        assertThat(out.get(0).header("source")).isEqualTo("t");
        assertThat(out.get(1).fields()).isSameAs(out.get(0).fields());
    }

    @Test
    void selectOfAllFieldsInOrderPassesRecordsThrough() throws Exception {
        Record r = rec(1L, 2L, 3L);
        assertThat(process(new SelectFactory(), Map.of("fields", List.of("a", "b", "c")), RecordBatch.of(r))
                        .get(0))
                .isSameAs(r);
    }

    @Test
    void dropRemovesListedFields() throws Exception {
        RecordBatch out =
                process(new DropFactory(), Map.of("fields", List.of("b", "zz")), RecordBatch.of(rec(1L, 2L, 3L)));
        assertThat(out.get(0).asMap()).containsExactly(Map.entry("a", 1L), Map.entry("c", 3L));
        Record noneDropped = Record.of(Fields.of("x"), 1L);
        assertThat(process(new DropFactory(), Map.of("fields", List.of("b")), RecordBatch.of(noneDropped))
                        .get(0))
                .isSameAs(noneDropped);
    }

    @Test
    void renameKeepsPositionsSwapsAndReusesOneFieldsPerShape() throws Exception {
        RecordBatch out = process(
                new RenameFactory(),
                Map.of("fields", Map.of("a", "b", "b", "a")),
                RecordBatch.of(rec(1L, 2L, 3L), rec(4L, 5L, 6L)));
        assertThat(out.get(0).asMap()).containsExactly(Map.entry("b", 1L), Map.entry("a", 2L), Map.entry("c", 3L));
        assertThat(out.get(1).fields()).isSameAs(out.get(0).fields());
        assertThat(out.get(0).key()).isEqualTo("key");
    }

    @Test
    void aRenamedFieldReplacesAFieldOfItsNewName() throws Exception {
        RecordBatch out =
                process(new RenameFactory(), Map.of("fields", Map.of("a", "c")), RecordBatch.of(rec(1L, 2L, 3L)));
        assertThat(out.get(0).asMap()).containsExactly(Map.entry("c", 1L), Map.entry("b", 2L));
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() ->
                        SimplePluginContext.of(new RenameFactory(), Map.of("fields", Map.of("a", "x", "b", "x")), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> SimplePluginContext.of(new SelectFactory(), Map.of("fields", List.of("a", "a")), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("twice");
    }
}
