package io.dataflare.plugins.transforms.route;

import static io.dataflare.plugins.transforms.Run.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwitchTest {
    private final SwitchFactory factory = new SwitchFactory();
    private static final Fields F = Fields.of("id", "amount", "country");

    private static Record rec(long id, Object amount, String country) {
        return Record.of(F, id, amount, country);
    }

    private static final List<Map<String, Object>> CASES = List.of(
            Map.of("output", "high", "when", "amount >= 1000"),
            Map.of("output", "eu", "when", "country == 'DE' || country == 'FR'"));

    private static RecordBatch orders() {
        return RecordBatch.of(
                rec(1, 1500L, "DE"), // high and eu
                rec(2, 20L, "FR"), // eu
                rec(3, 5000L, "US"), // high
                rec(4, 10L, "US")); // none
    }

    private static Map<String, Object> config(Object... more) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cases", CASES);
        for (int i = 0; i < more.length; i += 2) m.put((String) more[i], more[i + 1]);
        return m;
    }

    /** (id, output) for every record of the batch, in order. */
    private static List<org.assertj.core.groups.Tuple> routed(RecordBatch out) {
        List<org.assertj.core.groups.Tuple> t = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) t.add(tuple(out.get(i).get("id"), out.output(i)));
        return t;
    }

    @Test
    void theFirstMatchingCaseWinsAndUnmatchedRecordsAreDroppedWithoutADefault() throws Exception {
        RecordBatch out = process(factory, config(), orders());
        assertThat(routed(out)).containsExactly(tuple(1L, "high"), tuple(2L, "eu"), tuple(3L, "high"));
        assertThat(out.rejections()).isEmpty();
    }

    @Test
    void allMatchesSendsARecordOnceToEveryMatchingOutput() throws Exception {
        RecordBatch out = process(factory, config("all_matches", true), orders());
        assertThat(routed(out)).containsExactly(tuple(1L, "high"), tuple(1L, "eu"), tuple(2L, "eu"), tuple(3L, "high"));
    }

    @Test
    void recordsMatchingNoCaseGoToTheDefault() throws Exception {
        RecordBatch out = process(factory, config("default", "rest"), orders());
        assertThat(routed(out))
                .containsExactly(tuple(1L, "high"), tuple(2L, "eu"), tuple(3L, "high"), tuple(4L, "rest"));
    }

    @Test
    void twoCasesForOneOutputDeliverAMatchingRecordThereOnce() throws Exception {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put(
                "cases",
                List.of(
                        Map.of("output", "flag", "when", "amount > 100"),
                        Map.of("output", "flag", "when", "country == 'DE'")));
        cfg.put("all_matches", true);
        RecordBatch out = process(factory, cfg, orders());
        assertThat(routed(out)).containsExactly(tuple(1L, "flag"), tuple(3L, "flag"));
    }

    @Test
    void aNullResultMatchesNothingByDefaultAndRejectsInStrictMode() throws Exception {
        RecordBatch in = RecordBatch.of(rec(1, null, "US"));
        RecordBatch lenient = process(factory, config("default", "rest"), in);
        assertThat(routed(lenient)).containsExactly(tuple(1L, "rest"));

        RecordBatch strict = process(factory, config("default", "rest", "strict", true), in);
        assertThat(strict.size()).isZero();
        assertThat(strict.rejections())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("amount >= 1000"));
    }

    @Test
    void aNonBooleanResultRejectsTheRecordWholeEvenWhenAnEarlierCaseMatched() throws Exception {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("cases", List.of(Map.of("output", "a", "when", "true"), Map.of("output", "b", "when", "country")));
        cfg.put("all_matches", true);
        RecordBatch out = process(factory, cfg, RecordBatch.of(rec(1, 1L, "US")));
        assertThat(out.size()).isZero();
        assertThat(out.rejections())
                .singleElement()
                .satisfies(r -> assertThat(r.reason())
                        .isEqualTo("switch case 'b' ('country') gave 'US' (string), not true or false"));
    }

    @Test
    void outputsAreTheCasesOnceInOrderThenTheDefault() {
        Map<String, Object> cfg = config("default", "rest");
        cfg.put(
                "cases",
                List.of(
                        Map.of("output", "high", "when", "amount >= 1000"),
                        Map.of("output", "eu", "when", "country == 'DE'"),
                        Map.of("output", "high", "when", "amount < 0")));
        assertThat(factory.outputs(factory.configSpec().validate(cfg))).containsExactly("high", "eu", "rest");
    }

    @Test
    void badCasesAreConfigErrorsNamingTheCase() {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put(
                "cases",
                List.of(
                        Map.of("output", "ok", "when", "amount >"),
                        Map.of("when", "true"),
                        Map.of("output", "a.b", "when", "true"),
                        Map.of("output", "x", "when", "true", "then", "y")));
        cfg.put("default", "no way");
        PluginConfig validated = factory.configSpec().validate(cfg);
        assertThatThrownBy(() -> factory.validate(validated))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors())
                        .extracting(err -> err.field())
                        .containsExactly(
                                "cases.0.when", "cases.1.output", "cases.2.output", "cases.3.then", "default"));
        assertThatThrownBy(() -> factory.validate(factory.configSpec().validate(Map.of("cases", List.of()))))
                .hasMessageContaining("at least one case");
    }
}
