package io.dataflare.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTreeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "[]",
                "{\"tasks\":[{\"id\":\"a\",\"state\":\"RUNNING\",\"in\":12,\"rate\":1.5,\"paused\":false,\"error\":null}]}",
                "[1, -2147483649, 9223372036854775807, 92233720368547758070, 0.1, -1e300, 2E-5, true, null]",
                "{\"nested\":{\"a\":[[],[{}],{\"b\":\"\\u00e9\\n\\\"q\\\"\"}]},\"dup\":1,\"dup\":2}",
                "\"just text\"",
                "42",
                "{\"a\":1} trailing"
            })
    void readsTheTreesAnObjectMapperReads(String text) throws IOException {
        assertThat(JsonTree.parse(text)).isEqualTo(MAPPER.readTree(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void nothingIsTheMissingNode(String text) throws IOException {
        assertThat(JsonTree.parse(text).isMissingNode()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "[1,", "{\"a\" 1}", "<html>"})
    void brokenJsonIsAnError(String text) {
        assertThatThrownBy(() -> JsonTree.parse(text)).isInstanceOf(IOException.class);
    }
}
