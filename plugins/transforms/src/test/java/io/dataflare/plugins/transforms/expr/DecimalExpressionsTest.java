package io.dataflare.plugins.transforms.expr;

import static io.dataflare.plugins.transforms.Run.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.plugins.transforms.cast.CastFactory;
import io.dataflare.plugins.transforms.filter.FilterFactory;
import io.dataflare.plugins.transforms.map.MapFactory;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Arithmetic and comparisons on decimal fields keep decimals exact, in both expression modes. */
class DecimalExpressionsTest {
    private static final Fields F = Fields.of("id", "price");

    private static RecordBatch prices(String... prices) {
        Record[] rs = new Record[prices.length];
        for (int i = 0; i < prices.length; i++) rs[i] = Record.of(F, (long) i, new BigDecimal(prices[i]));
        return RecordBatch.of(rs);
    }

    private static Map<String, Object> config(boolean strict, String key, Object value) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(key, value);
        if (strict) c.put("strict", true);
        return c;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mapArithmeticOnADecimalStaysADecimal(boolean strict) throws Exception {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("double", "price * 2");
        set.put("plus", "price + 0.01");
        set.put("third", "price / 3");
        set.put("minus", "price - 1");
        RecordBatch out =
                process(new MapFactory(), config(strict, "set", set), prices("10.50", "0.1", "12345678901234567.89"));

        // 10.50 * 2 is a whole number: it must stay the decimal 21.00, not become the long 21
        assertThat(out.get(0).get("double")).isEqualTo(new BigDecimal("21.00"));
        assertThat(out.get(0).get("plus")).isEqualTo(new BigDecimal("10.51"));
        assertThat(out.get(0).get("minus")).isEqualTo(new BigDecimal("9.50"));
        assertThat((BigDecimal) out.get(0).get("third")).isEqualByComparingTo("3.5");
        assertThat(out.get(1).get("plus")).isEqualTo(new BigDecimal("0.11"));
        // beyond a double's 17 digits
        assertThat(out.get(2).get("double")).isEqualTo(new BigDecimal("24691357802469135.78"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void filterComparesDecimalsByValue(boolean strict) throws Exception {
        RecordBatch out = process(
                new FilterFactory(),
                config(strict, "expr", "price >= 10.5 && price * 2 == 21"),
                prices("10.50", "10.49", "10.5000"));
        assertThat(out.records()).extracting(r -> r.get("id")).containsExactly(0L, 2L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.50", "0.1", "-7", "12345678901234567.89"})
    void castToDecimalKeepsTheDigitsOfStringsAndConvertsNumbers(String text) throws Exception {
        Fields f = Fields.of("s", "l", "d");
        RecordBatch out = process(
                new CastFactory(),
                Map.of("schema", Map.of("s", "decimal", "l", "decimal", "d", "decimal")),
                RecordBatch.of(Record.of(f, text, 3L, 0.1)));
        assertThat(out.rejections()).isEmpty();
        Record r = out.get(0);
        assertThat(((BigDecimal) r.get("s")).toString()).isEqualTo(text);
        assertThat(r.get("l")).isEqualTo(new BigDecimal("3"));
        assertThat(r.get("d")).isEqualTo(new BigDecimal("0.1"));
        // and back to a string with the same text
        RecordBatch back = process(new CastFactory(), Map.of("schema", Map.of("s", "string")), out);
        assertThat(back.get(0).get("s")).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.2.3"})
    void castRejectsTextThatIsNoDecimal(String text) throws Exception {
        RecordBatch out = process(
                new CastFactory(),
                Map.of("schema", Map.of("p", "decimal")),
                RecordBatch.of(Record.of(Fields.of("p"), text)));
        assertThat(out.records()).isEmpty();
        assertThat(out.rejections())
                .extracting(r -> r.reason())
                .containsExactly("field 'p': '" + text + "' is not a decimal number");
        assertThat(List.of(out.rejections().get(0).record().get("p"))).containsExactly(text);
    }
}
