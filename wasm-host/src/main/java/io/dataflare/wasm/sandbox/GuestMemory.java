package io.dataflare.wasm.sandbox;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;

/** Bounds-checked access to a module's memory from host functions (addresses are unsigned i32). */
public final class GuestMemory {
    private GuestMemory() {}

    /** Checks that {@code [ptr, ptr + len)} lies inside the memory. */
    public static void check(Memory memory, long ptr, long len) {
        long size = (long) memory.pages() * Memory.PAGE_SIZE;
        if (ptr < 0 || len < 0 || ptr + len > size) {
            throw new WasmRuntimeException("out of bounds memory access: " + Long.toUnsignedString(ptr) + "+" + len
                    + " beyond " + size + " bytes");
        }
    }

    /** Reads {@code len} bytes at {@code ptr}, refusing more than {@code max} as a limit hit. */
    public static byte[] read(Memory memory, int ptr, int len, int max, String what) {
        long p = Integer.toUnsignedLong(ptr);
        long l = Integer.toUnsignedLong(len);
        if (l > max) throw new LimitExceededException(what + " of " + l + " bytes exceeds the limit of " + max);
        check(memory, p, l);
        return memory.readBytes((int) p, (int) l);
    }

    /** Writes at most {@code cap} bytes of {@code data} at {@code ptr}; returns the full length of {@code data}. */
    public static int writeUpTo(Memory memory, int ptr, int cap, byte[] data) {
        int n = Math.min(Math.max(cap, 0), data.length);
        if (n > 0) {
            check(memory, Integer.toUnsignedLong(ptr), n);
            memory.write(ptr, data, 0, n);
        }
        return data.length;
    }
}
