package io.dataflare.plugins.transforms.cast;

import static io.dataflare.plugins.transforms.Run.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.tck.SimplePluginContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CastTest {
    private final CastFactory factory = new CastFactory();
    private static final Fields F = Fields.of("id", "amount", "paid", "at", "blob", "note");
    private static final Map<String, Object> SCHEMA = Map.of(
            "id", "long", "amount", "double", "paid", "boolean", "at", "timestamp", "blob", "bytes", "note", "string");

    @Test
    void convertsEachTypedField() throws Exception {
        Record in = Record.of(F, "7", "12.50", "yes", "2024-03-04T05:06:07Z", "AQI=", 42L);
        Record out =
                process(factory, Map.of("schema", SCHEMA), RecordBatch.of(in)).get(0);
        assertThat(out.get("id")).isEqualTo(7L);
        assertThat(out.get("amount")).isEqualTo(12.5);
        assertThat(out.get("paid")).isEqualTo(true);
        assertThat(out.get("at")).isEqualTo(Instant.parse("2024-03-04T05:06:07Z"));
        assertThat(out.getBytes("blob")).containsExactly(1, 2);
        assertThat(out.get("note")).isEqualTo("42");
        assertThat(out.fields()).isSameAs(F);
    }

    @Test
    void aValueThatDoesNotConvertRejectsTheRecord() throws Exception {
        Fields f = Fields.of("amount");
        RecordBatch out = process(
                factory,
                Map.of("schema", Map.of("amount", "double")),
                RecordBatch.of(Record.of(f, "abc"), Record.of(f, "1")));
        assertThat(out.records()).extracting(r -> r.get("amount")).containsExactly(1.0);
        assertThat(out.rejections()).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo("field 'amount': 'abc' is not a number");
            assertThat(x.errorClass()).isEqualTo("invalid_record");
        });
    }

    @Test
    void requiredFieldsMustBePresentAndNotNullAfterCasting() throws Exception {
        Fields f = Fields.of("id", "n");
        RecordBatch out = process(
                factory,
                Map.of("schema", Map.of("n", "long"), "required", List.of("id", "n")),
                RecordBatch.of(
                        Record.of(f, 1L, "5"),
                        Record.of(f, null, "5"),
                        Record.of(f, 3L, ""),
                        Record.of(Fields.of("n"), "5")));
        assertThat(out.records()).extracting(r -> r.get("n")).containsExactly(5L);
        assertThat(out.rejections())
                .extracting(x -> x.reason())
                .containsExactly("field 'id' is required", "field 'n' is required", "field 'id' is required");
    }

    @Test
    void recordsThatNeedNoChangePassThrough() throws Exception {
        Record in = Record.of(Fields.of("id"), 7L);
        assertThat(process(factory, Map.of("schema", Map.of("id", "long")), RecordBatch.of(in))
                        .get(0))
                .isSameAs(in);
    }

    @Test
    void typeLabelsAreValidated() {
        assertThatThrownBy(
                        () -> SimplePluginContext.of(factory, Map.of("schema", Map.of("a", "money", "b", "map")), null))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.errors())
                                .extracting(x -> x.field())
                                .containsExactlyInAnyOrder("schema.a", "schema.b"));
    }
}
