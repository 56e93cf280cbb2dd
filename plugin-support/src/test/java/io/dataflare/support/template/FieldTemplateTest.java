package io.dataflare.support.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldTemplateTest {
    private static final Fields F = Fields.of("id", "country", "tags");

    @Test
    void fillsEachPlaceholderWithItsFieldThroughTheEncoder() {
        FieldTemplate t = FieldTemplate.parse("a-{country}/{ id }.b", "path");
        assertThat(t.fields()).containsExactly("country", "id");
        assertThat(t.isConstant()).isFalse();
        assertThat(t.prefix()).isEqualTo("a-");
        assertThat(t.suffix()).isEqualTo(".b");
        assertThat(t.sample()).isEqualTo("a-x/x.b");
        assertThat(t.expand(Record.of(F, 7L, "de", null), (field, v) -> field + "=" + v))
                .isEqualTo("a-country=de/id=7.b");
    }

    @Test
    void aConstantTemplateGivesTheSameInstanceWithoutARecord() {
        FieldTemplate t = FieldTemplate.parse("out.csv", "path");
        assertThat(t.isConstant()).isTrue();
        assertThat(t.expand(null, ValueEncoders.plain())).isSameAs(t.expand(null, ValueEncoders.plain()));
    }

    @Test
    void syntaxErrorsNameThePosition() {
        assertThatThrownBy(() -> FieldTemplate.parse("ab{id", "url"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("has a '{' without '}' at position 3");
        assertThatThrownBy(() -> FieldTemplate.parse("ab}", "url")).hasMessage("has a '}' without '{' at position 3");
        assertThatThrownBy(() -> FieldTemplate.parse("x{ }", "url"))
                .hasMessage("has an empty or nested placeholder at position 2");
        assertThatThrownBy(() -> FieldTemplate.parse("x{a{b}}", "url"))
                .hasMessage("has an empty or nested placeholder at position 2");
    }

    @Test
    void aMissingOrNullFieldIsRefusedNamingTheFieldAndTemplate() {
        FieldTemplate url = FieldTemplate.parse("https://h/{country}", "url");
        assertThatThrownBy(() -> url.expand(Record.of(Fields.of("id"), 1L), ValueEncoders.plain()))
                .isInstanceOf(TemplateRejection.class)
                .hasMessage("field 'country' is missing or null; url https://h/{country} needs it");
        FieldTemplate header = FieldTemplate.parse("v-{country}", "");
        assertThatThrownBy(() -> header.expand(Record.of(F, 1L, null, null), ValueEncoders.plain()))
                .hasMessage("field 'country' is missing or null; v-{country} needs it");
    }

    @Test
    void percentEncodingKeepsTheUrlStructureAndRefusesLists() {
        String text = "https://h/{country}?q={id}";
        FieldTemplate t = FieldTemplate.parse(text, "url");
        FieldTemplate.ValueEncoder enc = ValueEncoders.percentEncoded(text);
        assertThat(t.expand(Record.of(F, new BigDecimal("1E+2"), "a/b c?", null), enc))
                .isEqualTo("https://h/a%2Fb%20c%3F?q=100");
        assertThatThrownBy(() -> t.expand(Record.of(F, 1L, List.of("x"), null), enc))
                .isInstanceOf(TemplateRejection.class)
                .hasMessage("field 'country' is not a single value; url " + text + " needs one");
    }

    @Test
    void aFileNamePartRefusesValuesThatLeadElsewhere() {
        FieldTemplate t = FieldTemplate.parse("out/{country}.csv", "path");
        FieldTemplate.ValueEncoder enc = ValueEncoders.fileNamePart("out/{country}.csv", "/data/out");
        assertThat(t.expand(Record.of(F, 1L, 42L, null), enc)).isEqualTo("out/42.csv");
        for (String bad : List.of("", ".", "..", "a/b", "a\\b", "a\0b")) {
            assertThatThrownBy(() -> t.expand(Record.of(F, 1L, bad, null), enc))
                    .as(bad)
                    .isInstanceOf(TemplateRejection.class)
                    .hasMessageStartingWith(
                            "field 'country' value '" + bad + "' cannot be part of path out/{country}.csv")
                    .hasMessageEndingWith("stays in /data/out");
        }
    }

    @Test
    void aRejectionCarriesNoStackTrace() {
        assertThat(new TemplateRejection("x").getStackTrace()).isEmpty();
    }
}
