package io.dataflare.wasm.module;

import java.nio.charset.StandardCharsets;

/**
 * Finds a custom section in a module's bytes by walking the section headers only (id, size): no code is
 * parsed, validated or compiled, so reading a manifest costs a scan of a few bytes per section.
 */
final class CustomSections {
    private static final byte[] HEADER = {0, 'a', 's', 'm', 1, 0, 0, 0};
    /** The highest section id WebAssembly defines (13: tags, of the exception-handling proposal). */
    private static final int MAX_SECTION_ID = 13;

    private CustomSections() {
    }

    /**
     * The content of the first custom section named {@code name}, or null when there is none.
     *
     * @throws IllegalArgumentException when the bytes are not a WebAssembly module (header, section ids and
     *                                  sizes)
     */
    static byte[] find(byte[] wasm, String name) {
        if (wasm.length < HEADER.length) throw new IllegalArgumentException("too short for a module header");
        for (int i = 0; i < HEADER.length; i++) {
            if (wasm[i] != HEADER[i]) throw new IllegalArgumentException("no WebAssembly 1 header (\\0asm, version 1)");
        }
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        int[] pos = {HEADER.length};
        while (pos[0] < wasm.length) {
            int id = wasm[pos[0]++] & 0xff;
            if (id > MAX_SECTION_ID) throw new IllegalArgumentException("unknown section id " + id + " at byte " + (pos[0] - 1));
            int size = u32(wasm, pos);
            int end = pos[0] + size;
            if (size < 0 || end > wasm.length || end < 0) throw new IllegalArgumentException("section " + id + " runs past the end of the module");
            if (id == 0) {
                int nameLength = u32(wasm, pos);
                int nameEnd = pos[0] + nameLength;
                if (nameLength < 0 || nameEnd > end || nameEnd < 0) throw new IllegalArgumentException("custom section name runs past its section");
                if (java.util.Arrays.equals(wasm, pos[0], nameEnd, wanted, 0, wanted.length)) {
                    return java.util.Arrays.copyOfRange(wasm, nameEnd, end);
                }
            }
            pos[0] = end;
        }
        return null;
    }

    /** An unsigned LEB128 32-bit number at {@code pos[0]}, advancing it. */
    private static int u32(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos[0] >= b.length) throw new IllegalArgumentException("truncated at byte " + pos[0]);
            int x = b[pos[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                if (v > Integer.MAX_VALUE) throw new IllegalArgumentException("size " + v + " is too large");
                return (int) v;
            }
        }
        throw new IllegalArgumentException("malformed LEB128 number at byte " + pos[0]);
    }
}
