package io.dataflare.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

    @Test
    void writesEveryTypeByTheConvention() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("when", Instant.parse("2024-05-06T07:08:09.123Z"));
        nested.put("raw", new byte[] {1, 2, 3});
        Record r = Record.builder()
                .set("l", 42L)
                .set("d", 3.0)
                .set("nan", Double.NaN)
                .set("inf", Double.POSITIVE_INFINITY)
                .set("ninf", Double.NEGATIVE_INFINITY)
                .set("price", new BigDecimal("10.50"))
                .set("tiny", new BigDecimal("0.00000001"))
                .set("huge", new BigDecimal("1E+60"))
                .set("big", new BigDecimal("123456789012345678901234567890.123456789"))
                .set("ts", Instant.parse("2024-05-06T07:08:09Z"))
                .set("raw", new byte[] {(byte) 0xff, 0, 1})
                .set("s", "x\"y")
                .set("b", true)
                .set("n", null)
                .set("list", List.of(1L, "a", new BigDecimal("2.50")))
                .set("map", nested)
                .build();

        assertThat(RecordJson.toJson(r))
                .isEqualTo("{\"l\":42,\"d\":3.0,\"nan\":\"NaN\",\"inf\":\"Infinity\","
                        + "\"ninf\":\"-Infinity\",\"price\":10.50,\"tiny\":0.00000001,\"huge\":1E+60,"
                        + "\"big\":123456789012345678901234567890.123456789,\"ts\":\"2024-05-06T07:08:09Z\","
                        + "\"raw\":\"/wAB\",\"s\":\"x\\\"y\",\"b\":true,\"n\":null,\"list\":[1,\"a\",2.50],"
                        + "\"map\":{\"when\":\"2024-05-06T07:08:09.123Z\",\"raw\":\"AQID\"}}");
    }

    @Test
    void readsIntegersAsLongsAndBeyondAsDecimals() throws IOException {
        assertThat(RecordJson.parse("42", Decimals.DOUBLE)).isEqualTo(42L);
        assertThat(RecordJson.parse("-9223372036854775808", Decimals.DOUBLE)).isEqualTo(Long.MIN_VALUE);
        assertThat(RecordJson.parse("9223372036854775808", Decimals.DOUBLE))
                .isEqualTo(new BigDecimal("9223372036854775808"));
    }

    @Test
    void readsFractionsAsDoublesOrExactDecimals() throws IOException {
        assertThat(RecordJson.parse("10.50", Decimals.DOUBLE)).isEqualTo(10.5);
        assertThat(RecordJson.parse("1e3", Decimals.DOUBLE)).isEqualTo(1000.0);
        Object exact = RecordJson.parse("10.50", Decimals.EXACT);
        assertThat(exact).isInstanceOf(BigDecimal.class);
        assertThat(((BigDecimal) exact).toString()).isEqualTo("10.50");
        assertThat(RecordJson.parse("12345678901234567890.000000000000000001", Decimals.EXACT))
                .isEqualTo(new BigDecimal("12345678901234567890.000000000000000001"));
        // an integer stays a long even when decimals are read exactly
        assertThat(RecordJson.parse("7", Decimals.EXACT)).isEqualTo(7L);
    }

    @Test
    void readsStringsBooleansNullsAndNestingAsThemselves() throws IOException {
        Object v = RecordJson.parse(
                "{\"s\":\"2024-05-06T07:08:09Z\",\"t\":true,\"f\":false,\"n\":null," + "\"a\":[1,2.5,{\"k\":\"NaN\"}]}",
                Decimals.DOUBLE);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "2024-05-06T07:08:09Z");
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", null);
        expected.put("a", List.of(1L, 2.5, Map.of("k", "NaN")));
        assertThat(v).isEqualTo(expected);
    }

    @Test
    void typeHintsRestoreEveryTopLevelFieldOfARecord() throws IOException {
        Record original = Record.builder()
                .set("id", 7L)
                .set("rate", 0.25)
                .set("nan", Double.NaN)
                .set("price", new BigDecimal("1000"))
                .set("cents", new BigDecimal("19.990"))
                .set("ts", Instant.parse("2024-05-06T07:08:09.000000001Z"))
                .set("raw", new byte[] {0, 1, 2, (byte) 0x80})
                .set("name", "n")
                .build();
        Map<String, String> hints = RecordJson.typeHints(original);
        assertThat(hints)
                .containsExactly(
                        Map.entry("nan", "double"),
                        Map.entry("price", "decimal"),
                        Map.entry("cents", "decimal"),
                        Map.entry("ts", "timestamp"),
                        Map.entry("raw", "bytes"));

        Record restored = RecordJson.readRecord(RecordJson.toJson(original), hints);

        assertThat(restored).isEqualTo(original);
        assertThat(restored.getDecimal("cents").scale()).isEqualTo(3);
        assertThat(restored.get("price")).isInstanceOf(BigDecimal.class);
        assertThat(restored.get("rate")).isEqualTo(0.25);
    }

    @Test
    void readRecordNamesAFieldThatDoesNotConvertToItsHint() {
        assertThatThrownBy(() -> RecordJson.readRecord("{\"at\": \"noon\"}", Map.of("at", "timestamp")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("field 'at' is not a timestamp: ");
        // without hints the values stay in their JSON form
        assertThatThrownBy(() -> RecordJson.readRecord("[1]", Map.of())).isInstanceOf(IOException.class);
    }

    @Test
    void aRecordWithoutSpecialTypesNeedsNoHints() {
        assertThat(RecordJson.typeHints(Record.builder()
                        .set("a", 1L)
                        .set("b", 2.5)
                        .set("c", "x")
                        .build()))
                .isEmpty();
    }

    @Test
    void refusesAValueThatIsNoRecordValue() {
        assertThatThrownBy(() -> RecordJson.toJson(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void parseRefusesTrailingContent() {
        assertThatThrownBy(() -> RecordJson.parse("1 2", Decimals.DOUBLE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("after the value");
    }

    @Test
    void restoreLikeGivesAGuestsStringOrNumberTheTypeTheFieldHadGoingOut() {
        Instant t = Instant.parse("2024-05-06T07:08:09Z");
        assertThat(RecordJson.restoreLike("2024-05-06T07:08:09Z", t)).isEqualTo(t);
        assertThat((byte[]) RecordJson.restoreLike("AQID", new byte[0])).containsExactly(1, 2, 3);
        assertThat(RecordJson.restoreLike("10.50", BigDecimal.ONE)).isEqualTo(new BigDecimal("10.50"));
        assertThat(RecordJson.restoreLike(21L, BigDecimal.ONE)).isEqualTo(new BigDecimal("21"));
        // what does not convert, or was no special type, stays as the guest made it
        assertThat(RecordJson.restoreLike("yesterday", t)).isEqualTo("yesterday");
        assertThat(RecordJson.restoreLike(5L, t)).isEqualTo(5L);
        assertThat(RecordJson.restoreLike("x", "y")).isEqualTo("x");
        assertThat(RecordJson.restoreLike("1", 2L)).isEqualTo("1");
    }
}
