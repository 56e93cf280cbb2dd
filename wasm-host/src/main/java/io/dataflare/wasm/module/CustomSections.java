package io.dataflare.wasm.module;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.types.SectionId;
import com.dylibso.chicory.wasm.types.UnknownCustomSection;
import java.io.ByteArrayInputStream;
import java.util.Arrays;

/**
 * Finds a custom section in a module's bytes with Chicory's parser told to decode custom sections only: the
 * other sections are skipped by their sizes, so no code is decoded, validated or compiled and reading a
 * manifest costs a walk over the section headers.
 */
final class CustomSections {
    private static final Parser CUSTOM_ONLY =
            Parser.builder().includeSectionId(SectionId.CUSTOM).build();
    private static final byte[] HEADER = {0, 'a', 's', 'm', 1, 0, 0, 0};

    private CustomSections() {}

    /**
     * The content of the first custom section named {@code name}, or null when there is none.
     *
     * @throws IllegalArgumentException when the bytes are not a WebAssembly module (header, section sizes)
     */
    static byte[] find(byte[] wasm, String name) {
        // checked here for a message that says what the file is not
        if (wasm.length < HEADER.length || !Arrays.equals(wasm, 0, HEADER.length, HEADER, 0, HEADER.length)) {
            throw new IllegalArgumentException("no WebAssembly 1 header (\\0asm, version 1)");
        }
        byte[][] found = {null};
        try {
            CUSTOM_ONLY.parse(new ByteArrayInputStream(wasm), s -> {
                if (found[0] == null
                        && s instanceof UnknownCustomSection c
                        && c.name().equals(name)) found[0] = c.bytes();
            });
        } catch (ChicoryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return found[0];
    }
}
