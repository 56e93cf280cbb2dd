package io.dataflare.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
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
    @CsvSource({"long, abc, 'abc' is not a long", "long, 2.5, not a whole number", "double, x1, 'x1' is not a number",
        "boolean, maybe, 'maybe' is not a boolean", "timestamp, noon, 'noon' is not a timestamp"})
    void explainsFailures(String type, String in, String message) {
        assertThatThrownBy(() -> FieldType.fromLabel(type).convert(in)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"int, LONG", "float, DOUBLE", "str, STRING"})
    void acceptsCommonLabels(String label, FieldType type) {
        assertThat(FieldType.fromLabel(label)).isEqualTo(type);
    }
}
