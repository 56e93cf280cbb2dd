package io.dataflare.wasm.abi;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.wasm.codec.BatchCodec;
import io.dataflare.wasm.codec.JsonBatchCodec;
import io.dataflare.wasm.codec.MalformedOutputException;
import io.dataflare.wasm.module.LiveInstance;
import io.dataflare.wasm.module.LoadedModule;
import io.dataflare.wasm.sandbox.CallGuard;
import io.dataflare.wasm.sandbox.GuestMemory;
import io.dataflare.wasm.sandbox.SandboxOptions;
import io.dataflare.wasm.sandbox.WasmPluginException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One plugin instance's connection to a DataFlare-ABI module: a WASM instance created on first use
 * (so that a start function that hangs fails a batch, not the pipeline), one guarded call per batch,
 * and a fresh WASM instance after any trap, timeout or limit. Not thread-safe: the engine gives each
 * worker its own plugin instance.
 */
final class AbiSession implements AutoCloseable {
    static final int OK = 0, ERROR = 1, INVALID = 2, END = 3;

    private final LoadedModule module;
    private final SandboxOptions options;
    private final CallGuard guard;
    private final AbiHost host;
    private final LiveInstance live;
    private ExportFunction alloc;
    private BatchCodec codec;
    private Setup onNewInstance;

    /** Work done on every new WASM instance, after {@code df_init} and within its time limit. */
    interface Setup {
        void run(Instance instance);
    }

    AbiSession(
            LoadedModule module,
            SandboxOptions options,
            byte[] configJson,
            System.Logger log,
            List<String> wasi,
            java.util.function.Supplier<io.dataflare.api.state.ValueState<byte[]>> state) {
        this.module = module;
        this.options = options;
        this.guard = new CallGuard(module.watchdog(), options.timeoutMs(), module.label());
        this.host =
                new AbiHost(configJson, log, options.maxOutputBytes(), (long) options.maxMemoryPages() * 65536, state);
        this.live = new LiveInstance(module, options, log, wasi);
    }

    /** Sets the work done on every new WASM instance (a source seeks it to its last position). */
    void onNewInstance(Setup setup) {
        this.onNewInstance = setup;
    }

    /** The plugin as {@code id@version}. */
    String label() {
        return module.label();
    }

    /**
     * Calls {@code fn(ptr, len, extra...)} with {@code in} in a buffer from {@code df_alloc}, under the time
     * limit; returns its i32 result as it is (policies give it meanings of their own). The call's output is
     * then {@link #output()}, its error message {@link #reason()}.
     */
    int callWithBytes(String fn, byte[] in, long... extra) {
        ensureInstance();
        return invoke(fn, inst -> args(inst, in, in.length, extra));
    }

    /** Creates the WASM instance now if there is none (start function, {@code df_init}, the setup). */
    void start() {
        ensureInstance();
    }

    /** Calls {@code fn()} under the time limit; returns its i32 result as it is. */
    int callNoArgs(String fn) {
        ensureInstance();
        return invoke(fn, inst -> new long[0]);
    }

    /** The output of the last call, or null when it set none. */
    byte[] output() {
        return host.output;
    }

    /** Calls {@code fn(ptr, len)} on {@code instance} directly (within a guarded call already). */
    int callOn(Instance instance, String fn, byte[] in) {
        host.reset();
        return (int) instance.export(fn).apply(args(instance, in, in.length))[0];
    }

    /** The arguments {@code (ptr, len, extra...)} for the first {@code length} bytes of {@code in}, written there. */
    private long[] args(Instance inst, byte[] in, int length, long... extra) {
        int ptr = (int) alloc.apply(length)[0];
        GuestMemory.check(inst.memory(), Integer.toUnsignedLong(ptr), length);
        inst.memory().write(ptr, in, 0, length);
        long[] a = new long[2 + extra.length];
        a[0] = ptr;
        a[1] = length;
        System.arraycopy(extra, 0, a, 2, extra.length);
        return a;
    }

    /** Calls {@code fn(ptr, len)} with the encoded batch; returns the decoded output (records and rejections). */
    RecordBatch callWithBatch(String fn, RecordBatch batch) {
        ensureInstance();
        ByteBuffer in = codec.encodeShared(batch);
        int status = invoke(fn, inst -> args(inst, in.array(), in.limit()));
        return result(fn, status, batch);
    }

    /** Calls {@code fn(arg)}; returns the decoded output, or null when the module says END. */
    RecordBatch callWithInt(String fn, int arg) {
        ensureInstance();
        int status = invoke(fn, inst -> new long[] {arg});
        return status == END ? null : result(fn, status, null);
    }

    private interface Args {
        long[] prepare(Instance inst);
    }

    private int invoke(String fn, Args args) {
        try {
            return guard.call(fn, live::atMemoryLimit, () -> {
                host.reset();
                Instance instance = live.get();
                long[] r = instance.export(fn).apply(args.prepare(instance));
                return (int) r[0];
            });
        } catch (RuntimeException e) {
            discard();
            throw e;
        }
    }

    private RecordBatch result(String fn, int status, RecordBatch input) {
        switch (status) {
            case OK:
                if (host.output == null) return RecordBatch.EMPTY;
                try {
                    return codec.decode(host.output, input);
                } catch (MalformedOutputException e) {
                    throw new WasmPluginException(
                            ErrorClass.PLUGIN_ERROR,
                            module.label(),
                            fn + " returned malformed " + codec.name() + " output: " + e.getMessage(),
                            e);
                }
            case ERROR:
                throw new WasmPluginException(
                        ErrorClass.PLUGIN_ERROR, module.label(), fn + " failed: " + reason(), null);
            case INVALID:
                throw new WasmPluginException(
                        ErrorClass.INVALID_RECORD, module.label(), fn + " rejected the input: " + reason(), null);
            default:
                throw new WasmPluginException(
                        ErrorClass.PLUGIN_ERROR, module.label(), fn + " returned unknown status " + status, null);
        }
    }

    String reason() {
        return host.error == null ? "(no message)" : host.error;
    }

    /** Creates the WASM instance if there is none: start function, {@code df_encoding}, {@code df_init}, all timed. */
    private void ensureInstance() {
        if (live.get() != null) return;
        try {
            guard.call("instantiate", live::atMemoryLimit, () -> {
                Instance instance = live.create(host.functions());
                codec = module.exportsFunction("df_encoding")
                        ? BatchCodec.of((int) instance.export("df_encoding").apply()[0])
                        : new JsonBatchCodec();
                alloc = instance.export("df_alloc");
                if (module.exportsFunction("df_init")) {
                    host.reset();
                    int status = (int) instance.export("df_init").apply()[0];
                    if (status != OK)
                        throw new WasmPluginException(
                                ErrorClass.PLUGIN_ERROR, module.label(), "df_init failed: " + reason(), null);
                }
                if (onNewInstance != null) onNewInstance.run(instance);
                return null;
            });
        } catch (RuntimeException e) {
            discard();
            throw e;
        }
    }

    /** Drops the WASM instance: its state after a failure is unknown. The next call creates a new one. */
    void discard() {
        live.discard();
        alloc = null;
    }

    @Override
    public void close() {
        discard();
    }
}
