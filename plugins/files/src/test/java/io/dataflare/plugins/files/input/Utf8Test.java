package io.dataflare.plugins.files.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
    private static boolean valid(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) bytes[i];
        return Utf8.isValid(b, 0, b.length) && Utf8.decode(b, 0, b.length) != null;
    }

    @Test
    void acceptsWellFormedText() {
        byte[] b = "aé€😀\uFFFD".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.decode(b, 0, b.length)).isEqualTo("aé€😀\uFFFD");
    }

    @Test
    void rejectsMalformedSequences() {
        assertThat(valid(0xFF)).isFalse();
        assertThat(valid(0xC3)).isFalse(); // truncated
        assertThat(valid(0xC0, 0xAF)).isFalse(); // overlong
        assertThat(valid(0xED, 0xA0, 0x80)).isFalse(); // surrogate
        assertThat(valid(0xF4, 0x90, 0x80, 0x80)).isFalse(); // past U+10FFFF
        assertThat(valid('a', 0x80)).isFalse(); // stray continuation
        assertThat(valid(0xE2, 0x82, 0xAC)).isTrue();
    }
}
