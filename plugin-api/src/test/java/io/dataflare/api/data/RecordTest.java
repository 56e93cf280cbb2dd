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
        assertThat(r.get("price")).isEqualTo(new BigDecimal("12.50"));
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
    void aBuilderFromARecordNeverWritesIntoThatRecord() {
        // toBuilder shares the record's values until the first change: every kind of change must copy them
        Record base = Record.of(Fields.of("a", "b", "c"), 1L, 2L, 3L);
        Record byName = base.toBuilder().set("b", 20L).build();
        Record byPosition = base.toBuilder().set(2, 30L).build();
        Record renamed = base.toBuilder().rename("a", "x").set("x", 10L).build();
        Record removed = base.toBuilder().remove("a").set("b", 21L).build();
        Record added = base.toBuilder().set("d", 4L).set("a", 11L).set("e", 5L).build();
        Record unchanged = base.toBuilder().build();
        assertThat(base.asMap()).containsExactly(Map.entry("a", 1L), Map.entry("b", 2L), Map.entry("c", 3L));
        assertThat(byName.asMap()).containsExactly(Map.entry("a", 1L), Map.entry("b", 20L), Map.entry("c", 3L));
        assertThat(byPosition.asMap()).containsExactly(Map.entry("a", 1L), Map.entry("b", 2L), Map.entry("c", 30L));
        assertThat(renamed.asMap()).containsExactly(Map.entry("x", 10L), Map.entry("b", 2L), Map.entry("c", 3L));
        assertThat(removed.asMap()).containsExactly(Map.entry("b", 21L), Map.entry("c", 3L));
        assertThat(added.asMap())
                .containsExactly(
                        Map.entry("a", 11L),
                        Map.entry("b", 2L),
                        Map.entry("c", 3L),
                        Map.entry("d", 4L),
                        Map.entry("e", 5L));
        assertThat(unchanged).isEqualTo(base);
        // a builder made from a built record that then adds a field leaves the first one alone too
        Record.Builder twice = added.toBuilder();
        Record more = twice.set("f", 6L).build();
        assertThat(added.size()).isEqualTo(5);
        assertThat(more.get("f")).isEqualTo(6L);
    }

    @Test
    void bytesAreCopiedInAndOutSoNoHolderCanChangeARecord() {
        byte[] mine = {1, 2, 3};
        Record r = Record.builder().set("b", mine).key(new byte[] {9}).build();
        mine[0] = 42; // the creator goes on using its array
        assertThat(r.getBytes("b")).containsExactly(1, 2, 3);

        ((byte[]) r.get("b"))[1] = 42;
        ((byte[]) r.value(0))[1] = 42;
        r.getBytes("b")[1] = 42;
        ((byte[]) r.asMap().get("b"))[1] = 42;
        ((byte[]) r.key())[0] = 42;
        assertThat(r.getBytes("b")).containsExactly(1, 2, 3);
        assertThat((byte[]) r.key()).containsExactly(9);

        byte[] built = {5};
        Record viaOf = Record.of(Fields.of("b"), (Object) built);
        Record viaPosition = Record.builder(Fields.of("b")).set(0, built).build();
        built[0] = 6;
        assertThat(viaOf.getBytes("b")).containsExactly(5);
        assertThat(viaPosition.getBytes("b")).containsExactly(5);
    }

    @Test
    void decimalsKeepTheirDigitsAndCompareByValue() {
        Record r = Record.builder()
                .set("price", new BigDecimal("10.50"))
                .set("n", 3L)
                .set("s", "0.1")
                .set("big", new java.math.BigInteger("123456789012345678901234567890"))
                .build();
        assertThat(r.getDecimal("price").toString()).isEqualTo("10.50");
        assertThat(r.getDecimal("n")).isEqualTo(new BigDecimal("3"));
        assertThat(r.getDecimal("s")).isEqualTo(new BigDecimal("0.1"));
        // beyond the long range an integer is kept whole as a decimal, not rounded to a double
        assertThat(r.get("big")).isEqualTo(new BigDecimal("123456789012345678901234567890"));
        assertThat(r.getString("price")).isEqualTo("10.50");
        assertThat(r.getDouble("price")).isEqualTo(10.5);

        Record a = Record.builder().set("p", new BigDecimal("1.0")).build();
        Record b = Record.builder().set("p", new BigDecimal("1.00")).build();
        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a)
                .isNotEqualTo(Record.builder().set("p", new BigDecimal("1.01")).build());
        assertThat(a).isNotEqualTo(Record.builder().set("p", 1.0).build());
        assertThatThrownBy(() -> Record.builder().set("p", "abc").build().getDecimal("p"))
                .hasMessage("field 'p': 'abc' is not a decimal number");
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
    void fieldsGainedInTurnStayDistinctAndShared() {
        // the last child is remembered: alternating names must still give each its own, shared, Fields
        Fields base = Fields.of("id");
        Fields a = base.with("a");
        Fields b = base.with(new String("b"));
        assertThat(base.with("a")).isSameAs(a);
        assertThat(base.with("b")).isSameAs(b);
        assertThat(base.with(new String("a"))).isSameAs(a);
        assertThat(a.names()).containsExactly("id", "a");
        assertThat(b.names()).containsExactly("id", "b");
        assertThat(base.with("id")).isSameAs(base);
        assertThat(a.with("a")).isSameAs(a);
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
        assertThatThrownBy(() -> Record.builder().set("t", new Thread()))
                .hasMessageContaining("cannot hold a java.lang.Thread");
        assertThatThrownBy(() -> Fields.of("a", "a")).hasMessageContaining("'a' appears twice");
        // many names are checked through a set: the first name seen again is the one named
        String[] many = new String[20];
        for (int i = 0; i < many.length; i++) many[i] = "f" + i;
        many[17] = "f3";
        many[19] = "f1";
        assertThatThrownBy(() -> Fields.of(many)).hasMessageContaining("'f3' appears twice");
        many[17] = "";
        assertThatThrownBy(() -> Fields.of(many)).hasMessageContaining("field 18 has no name");
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
        RecordBatch b = RecordBatch.builder(2)
                .add(r)
                .reject(r, "bad")
                .position(Map.of("line", 3L))
                .build();
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
