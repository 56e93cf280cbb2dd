package io.dataflare.plugins.transforms.filter;

import static io.dataflare.plugins.transforms.Run.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.tck.SimplePluginContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilterTest {
    private final FilterFactory factory = new FilterFactory();
    private static final Fields F = Fields.of("id", "amount", "country", "unit price");

    private static Record rec(long id, Object amount, String country) {
        return Record.of(F, id, amount, country, 2.0);
    }

    @Test
    void keepsRecordsWhereTheExpressionIsTrue() throws Exception {
        RecordBatch out = process(
                factory,
                Map.of("expr", "amount > 10 && country == 'FR'"),
                RecordBatch.of(rec(1, 5L, "FR"), rec(2, 50L, "FR"), rec(3, 50L, "DE"), rec(4, 10.5, "FR")));
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(2L, 4L);
        assertThat(out.rejections()).isEmpty();
    }

    @Test
    void keptRecordsAreTheInputInstances() throws Exception {
        Record r = rec(1, 50L, "FR");
        assertThat(process(factory, Map.of("expr", "true"), RecordBatch.of(r)).get(0))
                .isSameAs(r);
    }

    @Test
    void theRecordVariableReachesFieldsWhoseNamesAreNotIdentifiers() throws Exception {
        RecordBatch out = process(
                factory,
                Map.of("expr", "record['unit price'] * amount >= 20"),
                RecordBatch.of(rec(1, 5L, "FR"), rec(2, 10L, "FR")));
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(2L);
    }

    /** Orders of three shapes: with a discount, with an explicit null one, and without the field at all. */
    private static RecordBatch mixedShapes() {
        Fields withDiscount = Fields.of("id", "discount", "name");
        Fields without = Fields.of("id");
        return RecordBatch.of(
                Record.of(withDiscount, 1L, 5L, "Ann"),
                Record.of(withDiscount, 2L, null, null),
                Record.of(without, 3L),
                Record.of(withDiscount, 4L, 0L, "BOB"));
    }

    private static Map<String, Object> strict(String expr) {
        return Map.of("expr", expr, "strict", true);
    }

    @Test
    void aMissingFieldIsNullSoRecordsOfEveryShapeAreTested() throws Exception {
        RecordBatch out = process(factory, Map.of("expr", "discount == null"), mixedShapes());
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(2L, 3L);
        assertThat(out.rejections()).isEmpty();
        out = process(factory, Map.of("expr", "discount != null"), mixedShapes());
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(1L, 4L);
        assertThat(out.rejections()).isEmpty();
    }

    @Test
    void comparingNullIsFalseNotAnErrorSoTheNullCheckIsOptional() throws Exception {
        for (String expr : new String[] {"discount > 0", "discount != null && discount > 0"}) {
            RecordBatch out = process(factory, Map.of("expr", expr), mixedShapes());
            assertThat(out.records()).as(expr).extracting(r -> r.get("id")).containsExactly(1L);
            assertThat(out.rejections()).as(expr).isEmpty();
        }
        RecordBatch out = process(factory, Map.of("expr", "discount <= 0"), mixedShapes());
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(4L);
    }

    @Test
    void aNullResultDoesNotMatch() throws Exception {
        RecordBatch out = process(factory, Map.of("expr", "discount * 2 == 10 || discount + 1"), mixedShapes());
        // 1: true; 2, 3: null || null = null, dropped; 4: 0 * 2 == 10 is false, 0 + 1 = 1 is not a boolean.
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(1L);
        assertThat(out.rejections()).singleElement().satisfies(x -> {
            assertThat(x.record().get("id")).isEqualTo(4L);
            assertThat(x.reason())
                    .isEqualTo("filter 'discount * 2 == 10 || discount + 1' gave '1' (long), not true or false");
        });
    }

    @Test
    void methodCallsOnNullGiveNull() throws Exception {
        RecordBatch out = process(factory, Map.of("expr", "name.toLowerCase() == 'bob'"), mixedShapes());
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(4L);
        assertThat(out.rejections()).isEmpty();
    }

    @Test
    void strictRejectsMissingFieldsNullOperandsAndNullResults() throws Exception {
        RecordBatch out = process(factory, strict("discount > 0"), mixedShapes());
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(1L);
        assertThat(out.rejections()).extracting(x -> x.record().get("id")).containsExactly(2L, 3L);
        assertThat(out.rejections())
                .extracting(Rejection::reason)
                .containsExactly(
                        "expression 'discount > 0' failed: variable 'discount' is null",
                        "expression 'discount > 0' failed: variable 'discount' is undefined");
        out = process(factory, strict("discount == null"), mixedShapes());
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(2L);
        assertThat(out.rejections()).extracting(x -> x.record().get("id")).containsExactly(3L);
        out = process(factory, strict("name.toLowerCase() == 'bob'"), mixedShapes());
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(4L);
        assertThat(out.rejections()).extracting(x -> x.record().get("id")).containsExactly(2L, 3L);
        out = process(factory, strict("discount != null && discount > 0"), mixedShapes());
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(1L);
        assertThat(out.rejections()).extracting(x -> x.record().get("id")).containsExactly(3L);
    }

    @Test
    void strictRejectsANullResult() throws Exception {
        RecordBatch out =
                process(factory, strict("discount"), RecordBatch.of(Record.of(Fields.of("discount"), (Object) null)));
        assertThat(out.records()).isEmpty();
        assertThat(out.rejections())
                .singleElement()
                .satisfies(x -> assertThat(x.reason()).isEqualTo("filter 'discount' gave null, not true or false"));
    }

    @Test
    void anEvaluationErrorRejectsOnlyThatRecord() throws Exception {
        RecordBatch out = process(
                factory,
                strict("amount > 10"),
                RecordBatch.of(rec(1, 50L, "FR"), rec(2, null, "FR"), rec(3, 20L, "DE")));
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(1L, 3L);
        Rejection x = out.rejections().get(0);
        assertThat(x.record().get("id")).isEqualTo(2L);
        assertThat(x.errorClass()).isEqualTo("invalid_record");
        assertThat(x.reason()).isEqualTo("expression 'amount > 10' failed: variable 'amount' is null");
        out = process(
                factory,
                Map.of("expr", "amount / (amount - 50) > 0"),
                RecordBatch.of(rec(1, 50L, "FR"), rec(2, 60L, "FR")));
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(2L);
        assertThat(out.rejections())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).startsWith("expression 'amount / (amount - 50) > 0' failed"));
    }

    @Test
    void aNonBooleanResultRejectsTheRecord() throws Exception {
        RecordBatch out = process(factory, Map.of("expr", "amount + 1"), RecordBatch.of(rec(1, 5L, "FR")));
        assertThat(out.records()).isEmpty();
        assertThat(out.rejections().get(0).reason())
                .isEqualTo("filter 'amount + 1' gave '6' (long), not true or false");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aSyntaxErrorIsReportedOnExprBeforeRunning(boolean strict) {
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("expr", "amount >", "strict", strict), null))
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
        String hostAccess = "''.class.forName('java.lang.Runtime') != null";
        RecordBatch out = process(factory, strict(hostAccess), RecordBatch.of(rec(1, 5L, "FR")));
        assertThat(out.records()).isEmpty();
        assertThat(out.rejections()).hasSize(1);
        // By default the refused call is null, as any method a value does not have.
        out = process(factory, Map.of("expr", hostAccess.replace("!=", "==")), RecordBatch.of(rec(1, 5L, "FR")));
        assertThat(out.records()).hasSize(1);
        assertThat(out.rejections()).isEmpty();
    }
}
