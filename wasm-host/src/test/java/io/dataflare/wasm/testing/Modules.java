package io.dataflare.wasm.testing;

import java.nio.charset.StandardCharsets;

/** Small DataFlare-ABI modules in WAT, for tests: healthy ones and hostile ones. */
public final class Modules {
    private Modules() {}

    /** A module around {@code body}: a memory, a bump {@code df_alloc} at 64 KiB, the imports given. */
    public static String abi(String imports, String body) {
        return """
                (module
                  %s
                  (memory (export "memory") 2)
                  (func (export "df_alloc") (param i32) (result i32) (i32.const 65536))
                  %s)
                """.formatted(imports, body);
    }

    public static final String OUTPUT = "(import \"dataflare\" \"output\" (func $output (param i32 i32)))";

    /** A processor returning its input: every record comes back linked to itself by {@code $in}. */
    public static final String IDENTITY = abi(OUTPUT, """
            (func (export "df_process") (param $p i32) (param $n i32) (result i32)
              (call $output (local.get $p) (local.get $n))
              (i32.const 0))
            """);

    public static String manifest(String id, String kind, String extra) {
        return "id: " + id + "\nversion: 1.0.0\nkind: " + kind + "\n" + extra;
    }

    /** Appends a custom section to a module. */
    public static byte[] withCustomSection(byte[] module, String name, String text) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        leb(payload, n.length);
        payload.writeBytes(n);
        payload.writeBytes(t);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(module);
        out.write(0);
        leb(out, payload.size());
        out.writeBytes(payload.toByteArray());
        return out.toByteArray();
    }

    private static void leb(java.io.ByteArrayOutputStream out, int v) {
        do {
            int b = v & 0x7f;
            v >>>= 7;
            out.write(v == 0 ? b : b | 0x80);
        } while (v != 0);
    }
}
