package io.dataflare.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonObjectReaderTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void membersBecomeFieldsInOrderAndOneShapeSharesItsFields() throws Exception {
        JsonObjectReader reader = new JsonObjectReader(Decimals.DOUBLE);
        Record a = reader.read(utf8("{\"id\":1,\"name\":\"Zoë\",\"amount\":2.5,\"tags\":[1,\"x\"],\"m\":{\"k\":null}}"))
                .build();
        Record b = reader.read(utf8("{\"id\":2,\"name\":\"b\",\"amount\":1,\"tags\":[],\"m\":{}}"))
                .build();
        assertThat(a.fields().names()).containsExactly("id", "name", "amount", "tags", "m");
        assertThat(a.asMap())
                .containsEntry("id", 1L)
                .containsEntry("name", "Zoë")
                .containsEntry("amount", 2.5)
                .containsEntry("tags", List.of(1L, "x"));
        assertThat(a.getMap("m")).containsEntry("k", null);
        assertThat(b.fields()).isSameAs(a.fields());
        Record other = reader.read(utf8("{\"name\":\"c\",\"id\":3}")).build();
        assertThat(other.fields().names()).containsExactly("name", "id");
        assertThat(reader.read(utf8("{\"id\":4,\"name\":\"d\",\"amount\":0,\"tags\":[],\"m\":{}}"))
                        .build()
                        .getLong("id"))
                .isEqualTo(4L);
    }

    @Test
    void exactDecimalsWhenAsked() throws Exception {
        Record r = new JsonObjectReader(Decimals.EXACT)
                .read(utf8("{\"amount\":12.30}"))
                .build();
        assertThat(r.get("amount")).isEqualTo(new BigDecimal("12.30"));
    }

    @Test
    void whatIsNotOneObjectWithDistinctMembersIsRefusedWithWhy() {
        JsonObjectReader reader = new JsonObjectReader(Decimals.DOUBLE);
        assertThatThrownBy(() -> reader.read(utf8("[1,2]")))
                .isInstanceOf(JsonObjectReader.NotAnObjectException.class)
                .hasMessage("not a JSON object");
        assertThatThrownBy(() -> reader.read(utf8("{\"a\":1} {\"b\":2}")))
                .isInstanceOf(JsonObjectReader.NotAnObjectException.class)
                .hasMessageContaining("after the JSON object");
        assertThatThrownBy(() -> reader.read(utf8("{\"a\":1,\"a\":2}")))
                .isInstanceOf(JsonObjectReader.NotAnObjectException.class)
                .hasMessageContaining("a");
        assertThatThrownBy(() -> reader.read("{\"a\":1}".getBytes(StandardCharsets.UTF_16BE)))
                .hasMessage("not UTF-8 JSON (a NUL byte)");
        assertThatThrownBy(() -> reader.read(utf8("{\"a\":")))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(JsonObjectReader.NotAnObjectException.class);
    }
}
