package io.dataflare.wasm.extism;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import io.dataflare.wasm.module.ImportPolicy;
import io.dataflare.wasm.sandbox.HostFunctions;
import io.dataflare.wasm.sandbox.LimitExceededException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Extism's host module ({@code extism:host/env}) implemented in Java: the "kernel" memory where the
 * plugin's input, output, config values and allocations live, addressed by 64-bit offsets (0 means
 * none), plus config, vars and log. Extism resets this memory before every call; so does this class.
 * Its size is capped like the module's own memory, and output like any call's output.
 */
final class ExtismKernel {
    private static final long BASE = 8;

    private final long maxBytes;
    private final int maxOutput;
    private final Map<String, String> config;
    private final Map<String, byte[]> vars;
    private final System.Logger log;
    private final ExtismHttp http;
    private final Map<Long, Long> blocks = new HashMap<>();
    private byte[] heap = new byte[64 * 1024];
    private long top = BASE;
    private long inputOffset;
    private long inputLength;
    private long outputOffset;
    private long outputLength;
    private long errorOffset;

    ExtismKernel(
            long maxBytes,
            int maxOutput,
            Map<String, String> config,
            Map<String, byte[]> vars,
            System.Logger log,
            ExtismHttp http) {
        this.maxBytes = Math.min(maxBytes, Integer.MAX_VALUE - 16L);
        this.maxOutput = maxOutput;
        this.config = config;
        this.vars = vars;
        this.log = log;
        this.http = http;
    }

    /** Frees everything and stores the next call's input. */
    void reset(byte[] input) {
        blocks.clear();
        top = BASE;
        outputOffset = outputLength = errorOffset = 0;
        inputOffset = write(input);
        inputLength = input.length;
    }

    /** The output the plugin set, or an empty array. */
    byte[] output() {
        return outputLength == 0
                ? new byte[0]
                : Arrays.copyOfRange(heap, (int) outputOffset, (int) (outputOffset + outputLength));
    }

    /** The error the plugin set, or null. */
    String error() {
        return errorOffset == 0 ? null : new String(block(errorOffset), StandardCharsets.UTF_8);
    }

    private long alloc(long n) {
        if (n < 0) throw new WasmRuntimeException("extism alloc of a negative size");
        long start = top;
        long end = (start + n + 7) & ~7L;
        if (end > maxBytes)
            throw new LimitExceededException("Extism memory of " + end + " bytes exceeds the limit of " + maxBytes);
        if (end > heap.length)
            heap = Arrays.copyOf(heap, (int) Math.min(Math.max(end, (long) heap.length * 2), maxBytes));
        blocks.put(start, n);
        top = end;
        return start;
    }

    private long write(byte[] data) {
        long p = alloc(data.length);
        System.arraycopy(data, 0, heap, (int) p, data.length);
        return p;
    }

    private void check(long offset, long len) {
        if (offset < BASE || len < 0 || offset + len > top) {
            throw new WasmRuntimeException("out of bounds Extism memory access at " + offset + "+" + len);
        }
    }

    private byte[] block(long offset) {
        Long len = blocks.get(offset);
        if (len == null) throw new WasmRuntimeException("no Extism memory block at " + offset);
        return Arrays.copyOfRange(heap, (int) offset, (int) (offset + len));
    }

    private String text(long offset) {
        return new String(block(offset), StandardCharsets.UTF_8);
    }

    private long u64(long p) {
        check(p, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (heap[(int) p + i] & 0xff);
        return v;
    }

    private void putU64(long p, long v) {
        check(p, 8);
        for (int i = 0; i < 8; i++) heap[(int) p + i] = (byte) (v >>> (8 * i));
    }

    private long inputAt(long i, int width) {
        if (i < 0 || i + width > inputLength)
            throw new WasmRuntimeException("input read at " + i + " beyond " + inputLength + " bytes");
        return inputOffset + i;
    }

    List<HostFunction> functions() {
        HostFunctions f = new HostFunctions(ImportPolicy.EXTISM)
                .add("alloc", "i64", "i64", (inst, a) -> new long[] {alloc(a[0])})
                .add("free", "i64", "", (inst, a) -> {
                    blocks.remove(a[0]);
                    return null;
                })
                .add("length", "i64", "i64", (inst, a) -> new long[] {blocks.getOrDefault(a[0], 0L)})
                .add("length_unsafe", "i64", "i64", (inst, a) -> new long[] {blocks.getOrDefault(a[0], 0L)})
                .add("load_u8", "i64", "i32", (inst, a) -> {
                    check(a[0], 1);
                    return new long[] {heap[(int) a[0]] & 0xff};
                })
                .add("load_u64", "i64", "i64", (inst, a) -> new long[] {u64(a[0])})
                .add("store_u8", "i64 i32", "", (inst, a) -> {
                    check(a[0], 1);
                    heap[(int) a[0]] = (byte) a[1];
                    return null;
                })
                .add("store_u64", "i64 i64", "", (inst, a) -> {
                    putU64(a[0], a[1]);
                    return null;
                })
                .add("input_length", "", "i64", (inst, a) -> new long[] {inputLength})
                .add("input_offset", "", "i64", (inst, a) -> new long[] {inputOffset})
                .add("input_load_u8", "i64", "i32", (inst, a) -> new long[] {heap[(int) inputAt(a[0], 1)] & 0xff})
                .add("input_load_u64", "i64", "i64", (inst, a) -> new long[] {u64(inputAt(a[0], 8))})
                .add("output_set", "i64 i64", "", (inst, a) -> {
                    if (a[1] > maxOutput)
                        throw new LimitExceededException(
                                "output of " + a[1] + " bytes exceeds the limit of " + maxOutput);
                    check(a[0], a[1]);
                    outputOffset = a[0];
                    outputLength = a[1];
                    return null;
                })
                .add("error_set", "i64", "", (inst, a) -> {
                    errorOffset = a[0];
                    return null;
                })
                .add("config_get", "i64", "i64", (inst, a) -> {
                    String v = config.get(text(a[0]));
                    return new long[] {v == null ? 0 : write(v.getBytes(StandardCharsets.UTF_8))};
                })
                .add("var_get", "i64", "i64", (inst, a) -> {
                    byte[] v = vars.get(text(a[0]));
                    return new long[] {v == null ? 0 : write(v)};
                })
                .add("var_set", "i64 i64", "", (inst, a) -> {
                    String k = text(a[0]);
                    if (a[1] == 0) vars.remove(k);
                    else vars.put(k, block(a[1]));
                    if (vars.size() > 100_000) throw new LimitExceededException("more than 100000 Extism vars");
                    return null;
                })
                .add("get_log_level", "", "i32", (inst, a) -> new long[] {2})
                .add("http_request", "i64 i64", "i64", (inst, a) -> {
                    byte[] response = http.send(block(a[0]), a[1] == 0 ? null : block(a[1]));
                    return new long[] {response.length == 0 ? 0 : write(response)};
                })
                .add("http_status_code", "", "i32", (inst, a) -> new long[] {http.status()})
                // Extism hands response headers over only when its manifest allows it; this host never does
                .add("http_headers", "", "i64", (inst, a) -> new long[] {0});
        String[] levels = {"trace", "debug", "info", "warn", "error"};
        System.Logger.Level[] jul = {
            System.Logger.Level.TRACE,
            System.Logger.Level.DEBUG,
            System.Logger.Level.INFO,
            System.Logger.Level.WARNING,
            System.Logger.Level.ERROR
        };
        for (int i = 0; i < levels.length; i++) {
            System.Logger.Level level = jul[i];
            f.add("log_" + levels[i], "i64", "", (inst, a) -> {
                log.log(level, text(a[0]));
                return null;
            });
        }
        return f.list();
    }
}
