package io.dataflare.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSpecTest {
    private final ConfigSpec spec = ConfigSpec.builder()
            .required("path", ConfigType.STRING, "Input file")
            .optional("header", ConfigType.BOOLEAN, true, "First line names the columns")
            .optional("limit", ConfigType.LONG, null, "Stop after this many")
            .optional("fields", ConfigType.STRING_LIST, null, "Fields")
            .oneOf("format", "csv", List.of("csv", "jsonl"), "Format")
            .build();

    @Test
    void appliesDefaultsAndCoercesStringsFromEnvironmentSubstitution() {
        PluginConfig c = spec.validate(Map.of("path", "in.csv", "limit", "10", "fields", "email"));
        assertThat(c.getString("path")).isEqualTo("in.csv");
        assertThat(c.getBoolean("header", false)).isTrue();
        assertThat(c.getLong("limit")).isEqualTo(10L);
        assertThat(c.<String>getList("fields")).containsExactly("email");
        assertThat(c.getString("format")).isEqualTo("csv");
    }

    @Test
    void reportsEveryErrorWithItsField() {
        assertThatThrownBy(() -> spec.validate(
                        Map.of("limt", 5, "header", "sometimes", "format", "xml", "fields", List.of("a", Map.of()))))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.errors())
                                .extracting(ConfigError::toString)
                                .containsExactlyInAnyOrder(
                                        "'limt' is not an option of this plugin (did you mean 'limit'?); options: fields, format, header, limit, path",
                                        "'path' is required (Input file)",
                                        "'header' must be true or false, got \"sometimes\"",
                                        "'format' must be one of csv, jsonl, got \"xml\"",
                                        "'fields' item 2 must be a string, got a map"));
    }

    @Test
    void rejectsDeclaringAnOptionTwice() {
        assertThatThrownBy(() -> ConfigSpec.builder()
                        .required("a", ConfigType.STRING, "")
                        .required("a", ConfigType.LONG, ""))
                .hasMessageContaining("declared twice");
    }

    @Test
    void tuningOptionsAreDeclaredOptionsMarkedAsSuch() {
        ConfigSpec spec = ConfigSpec.builder()
                .required("path", ConfigType.STRING, "")
                .optional("capacity", ConfigType.LONG, 10L, "")
                .tuning("capacity")
                .build();
        assertThat(spec.isTuning("capacity")).isTrue();
        assertThat(spec.isTuning("path")).isFalse();
        assertThat(ConfigSpec.empty().isTuning("capacity")).isFalse();
        assertThatThrownBy(() -> ConfigSpec.builder().tuning("nope")).hasMessageContaining("'nope' is not declared");
    }
}
