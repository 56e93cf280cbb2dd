package io.dataflare.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordTest {
    @Test
    void buildsTypedFieldsAndNormalizesJavaValues() {
        Record r = Record.builder()
                .set("id", 7)
                .set("price", new BigDecimal("12.50"))
                .set("name", new StringBuilder("ann"))
                .set("tags", List.of("a", 1))
                .set("when", java.util.Date.from(Instant.EPOCH))
                .key("k1")
                .header("source.file", "x.csv")
                .build();
        assertThat(r.get("id")).isEqualTo(7L);
        assertThat(r.get("price")).isEqualTo(12.5);
        assertThat(r.get("name")).isEqualTo("ann");
        assertThat(r.getList("tags")).containsExactly("a", 1L);
        assertThat(r.getTimestamp("when")).isEqualTo(Instant.EPOCH);
        assertThat(r.key()).isEqualTo("k1");
        assertThat(r.header("source.file")).isEqualTo("x.csv");
        assertThat(r.fields().names()).containsExactly("id", "price", "name", "tags", "when");
    }

    @Test
    void isImmutableAndToBuilderCopiesOnlyValues() {
        Record a = Record.builder().set("x", 1L).set("y", "b").build();
        Record b = a.toBuilder().set("x", 2L).build();
        assertThat(a.get("x")).isEqualTo(1L);
        assertThat(b.get("x")).isEqualTo(2L);
        assertThat(b.fields()).isSameAs(a.fields());
        List<Object> list = new ArrayList<>(List.of("q"));
        Record c = Record.builder().set("l", list).build();
        list.add("mutated");
        assertThat(c.getList("l")).containsExactly("q");
        assertThatThrownBy(() -> c.getList("l").add("z")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void recordsGainingTheSameFieldShareFields() {
        Fields base = Fields.of("id");
        Record r1 = Record.of(base, 1L).toBuilder().set("total", 1.0).build();
        Record r2 = Record.of(base, 2L).toBuilder().set("total", 2.0).build();
        assertThat(r1.fields()).isSameAs(r2.fields());
        assertThat(r1.fields().names()).containsExactly("id", "total");
    }

    @Test
    void removeAndRenameKeepOrder() {
        Record r = Record.builder().set("a", 1L).set("b", 2L).set("c", 3L).build();
        assertThat(r.toBuilder().remove("b").build().asMap()).containsExactly(Map.entry("a", 1L), Map.entry("c", 3L));
        assertThat(r.toBuilder().rename("b", "z").build().fields().names()).containsExactly("a", "z", "c");
    }

    @Test
    void typedGettersConvertOrExplain() {
        Record r = Record.builder().set("n", "42").set("d", 3L).set("s", "abc").build();
        assertThat(r.getLong("n")).isEqualTo(42L);
        assertThat(r.getDouble("d")).isEqualTo(3.0);
        assertThat(r.getString("d")).isEqualTo("3");
        assertThat(r.get("missing")).isNull();
        assertThatThrownBy(() -> r.getLong("s")).hasMessage("field 's': 'abc' is not a long");
    }

    @Test
    void rejectsValuesWithNoRecordType() {
        assertThatThrownBy(() -> Record.builder().set("t", new Thread())).hasMessageContaining("cannot hold a java.lang.Thread");
        assertThatThrownBy(() -> Fields.of("a", "a")).hasMessageContaining("'a' appears twice");
    }

    @Test
    void equalityIgnoresFieldOrderButNotValues() {
        Record a = Record.builder().set("x", 1L).set("y", new byte[] {1, 2}).build();
        Record b = Record.builder().set("y", new byte[] {1, 2}).set("x", 1L).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(b.toBuilder().set("x", 2L).build());
    }

    @Test
    void fieldsLookupWorksPastTheLinearThreshold() {
        String[] names = new String[20];
        for (int i = 0; i < names.length; i++) names[i] = "f" + i;
        Fields f = Fields.of(names);
        assertThat(f.indexOf("f17")).isEqualTo(17);
        assertThat(f.indexOf("nope")).isEqualTo(-1);
    }

    @Test
    void batchCarriesRejectionsAndPosition() {
        Record r = Record.builder().set("a", 1L).build();
        RecordBatch b = RecordBatch.builder(2).add(r).reject(r, "bad").position(Map.of("line", 3L)).build();
        assertThat(b.size()).isEqualTo(1);
        assertThat(b.rejections()).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo("bad");
            assertThat(x.errorClass()).isEqualTo("invalid_record");
        });
        assertThat(b.position()).containsEntry("line", 3L);
        assertThat(b.withoutRejections().rejections()).isEmpty();
        assertThatThrownBy(() -> RecordBatch.of((Record) null)).isInstanceOf(NullPointerException.class);
    }
}
