package io.dataflare.plugins.files.input;

import java.nio.charset.StandardCharsets;

/** Decodes UTF-8 byte ranges into strings, telling valid text from malformed bytes. */
public final class Utf8 {
    private Utf8() {}

    /**
     * The text of {@code len} bytes at {@code off}, or null when they are not valid UTF-8.
     *
     * <p>The JDK decoder is fastest but silently substitutes U+FFFD for malformed bytes, so the bytes are
     * validated only when the result hints at it: a pure-ASCII result has as many chars as bytes and no
     * U+FFFD (and {@code indexOf} of a non-Latin-1 char in a Latin-1 string returns at once).
     */
    public static String decode(byte[] b, int off, int len) {
        String s = new String(b, off, len, StandardCharsets.UTF_8);
        if (s.length() == len && s.indexOf('\uFFFD') < 0) return s;
        return isValid(b, off, len) ? s : null;
    }

    /** The text of the bytes with malformed sequences replaced by U+FFFD (for raw rows in rejections). */
    public static String decodeLenient(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /** Whether {@code len} bytes at {@code off} are well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
    public static boolean isValid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + n >= end) return false;
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) return false;
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
            i += n + 1;
        }
        return true;
    }
}
