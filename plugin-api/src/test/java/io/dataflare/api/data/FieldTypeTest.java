package io.dataflare.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldTypeTest {
    @ParameterizedTest
    @CsvSource({
        "long, 42, 42",
        "long, ' 7 ', 7",
        "long, 3.0, 3",
        "double, 2.5, 2.5",
        "boolean, yes, true",
        "boolean, 0, false",
        "string, 12, 12",
        "decimal, ' 10.50 ', 10.50",
        "decimal, 1e-3, 0.001",
    })
    void convertsStrings(String type, String in, String out) {
        assertThat(String.valueOf(FieldType.fromLabel(type).convert(in))).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource({"2024-01-02T03:04:05Z", "2024-01-02T03:04:05+00:00", "2024-01-02T03:04:05", "1704164645000"})
    void parsesTimestamps(String in) {
        assertThat(FieldType.TIMESTAMP.convert(in)).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    }

    @ParameterizedTest
    @CsvSource({
        "long, abc, 'abc' is not a long",
        "long, 2.5, not a whole number",
        "double, x1, 'x1' is not a number",
        "boolean, maybe, 'maybe' is not a boolean",
        "timestamp, noon, 'noon' is not a timestamp",
        "decimal, 1.2.3, '1.2.3' is not a decimal number",
        "decimal, 1e99999, has an exponent beyond"
    })
    void explainsFailures(String type, String in, String message) {
        assertThatThrownBy(() -> FieldType.fromLabel(type).convert(in))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"int, LONG", "float, DOUBLE", "str, STRING", "decimal, DECIMAL", "numeric, DECIMAL"})
    void acceptsCommonLabels(String label, FieldType type) {
        assertThat(FieldType.fromLabel(label)).isEqualTo(type);
    }

    @Test
    void convertsDecimalsWithoutLosingDigits() {
        assertThat(FieldType.of(new BigDecimal("1.5"))).isEqualTo(FieldType.DECIMAL);
        assertThat(FieldType.DECIMAL.convert(0.1)).isEqualTo(new BigDecimal("0.1"));
        assertThat(FieldType.DECIMAL.convert(42L)).isEqualTo(new BigDecimal("42"));
        assertThat(FieldType.LONG.convert(new BigDecimal("42.00"))).isEqualTo(42L);
        assertThat(FieldType.DOUBLE.convert(new BigDecimal("2.5"))).isEqualTo(2.5);
        assertThat(FieldType.STRING.convert(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThatThrownBy(() -> FieldType.LONG.convert(new BigDecimal("2.5")))
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> FieldType.DECIMAL.convert(Double.NaN)).hasMessageContaining("not a decimal number");
        assertThat(FieldType.normalize(new java.math.BigInteger("99999999999999999999")))
                .isEqualTo(new BigDecimal("99999999999999999999"));
    }
}
