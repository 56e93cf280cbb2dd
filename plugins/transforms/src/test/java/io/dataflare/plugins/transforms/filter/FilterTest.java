package io.dataflare.plugins.transforms.filter;

import static io.dataflare.plugins.transforms.Run.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.SimplePluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterTest {
    private final FilterFactory factory = new FilterFactory();
    private static final Fields F = Fields.of("id", "amount", "country", "unit price");

    private static Record rec(long id, Object amount, String country) {
        return Record.of(F, id, amount, country, 2.0);
    }

    @Test
    void keepsRecordsWhereTheExpressionIsTrue() throws Exception {
        RecordBatch out = process(factory, Map.of("expr", "amount > 10 && country == 'FR'"),
                RecordBatch.of(rec(1, 5L, "FR"), rec(2, 50L, "FR"), rec(3, 50L, "DE"), rec(4, 10.5, "FR")));
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(2L, 4L);
        assertThat(out.rejections()).isEmpty();
    }

    @Test
    void keptRecordsAreTheInputInstances() throws Exception {
        Record r = rec(1, 50L, "FR");
        assertThat(process(factory, Map.of("expr", "true"), RecordBatch.of(r)).get(0)).isSameAs(r);
    }

    @Test
    void theRecordVariableReachesFieldsWhoseNamesAreNotIdentifiers() throws Exception {
        RecordBatch out = process(factory, Map.of("expr", "record['unit price'] * amount >= 20"),
                RecordBatch.of(rec(1, 5L, "FR"), rec(2, 10L, "FR")));
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(2L);
    }

    @Test
    void anEvaluationErrorRejectsOnlyThatRecord() throws Exception {
        RecordBatch out = process(factory, Map.of("expr", "amount > 10"),
                RecordBatch.of(rec(1, 50L, "FR"), rec(2, null, "FR"), rec(3, 20L, "DE")));
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(1L, 3L);
        Rejection x = out.rejections().get(0);
        assertThat(x.record().get("id")).isEqualTo(2L);
        assertThat(x.errorClass()).isEqualTo("invalid_record");
        assertThat(x.reason()).isEqualTo("expression 'amount > 10' failed: variable 'amount' is null");
    }

    @Test
    void strictAboutUndefinedFieldsButNullComparisonsWork() throws Exception {
        RecordBatch out = process(factory, Map.of("expr", "missing == 1"), RecordBatch.of(rec(1, 5L, "FR")));
        assertThat(out.records()).isEmpty();
        assertThat(out.rejections().get(0).reason()).contains("'missing' is undefined");
        out = process(factory, Map.of("expr", "amount == null"), RecordBatch.of(rec(1, null, "FR"), rec(2, 1L, "FR")));
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(1L);
    }

    @Test
    void aNonBooleanResultRejectsTheRecord() throws Exception {
        RecordBatch out = process(factory, Map.of("expr", "amount + 1"), RecordBatch.of(rec(1, 5L, "FR")));
        assertThat(out.records()).isEmpty();
        assertThat(out.rejections().get(0).reason()).isEqualTo("filter 'amount + 1' gave '6' (long), not true or false");
    }

    @Test
    void aSyntaxErrorIsReportedOnExprBeforeRunning() {
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("expr", "amount >"), null))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors().get(0).field()).isEqualTo("expr");
                    assertThat(e.errors().get(0).message()).startsWith("does not parse: ");
                });
    }

    @Test
    void theSandboxRefusesHostAccessAndAssignments() throws Exception {
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("expr", "amount = 3"), null))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("expr", "new('java.io.File', '/')"), null))
                .isInstanceOf(ConfigException.class);
        RecordBatch out = process(factory, Map.of("expr", "''.class.forName('java.lang.Runtime') != null"),
                RecordBatch.of(rec(1, 5L, "FR")));
        assertThat(out.records()).isEmpty();
        assertThat(out.rejections()).hasSize(1);
    }
}
