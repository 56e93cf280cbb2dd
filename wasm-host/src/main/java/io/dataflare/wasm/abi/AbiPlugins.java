package io.dataflare.wasm.abi;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.wasm.module.LoadedModule;
import io.dataflare.wasm.sandbox.SandboxOptions;
import java.util.List;

/** The engine-facing plugin instances of a DataFlare-ABI module: one export call per batch (or per decision). */
public final class AbiPlugins {
    private AbiPlugins() {}

    /**
     * A processor, source, sink or policy of {@code kind} running {@code module}.
     *
     * @param wasi {@code wasi} and {@code wasi:dir:PATH} capabilities the stage granted (empty: no WASI)
     */
    public static AutoCloseable create(
            LoadedModule module,
            ComponentKind kind,
            SandboxOptions options,
            byte[] configJson,
            System.Logger log,
            List<String> wasi) {
        return create(module, kind, options, configJson, log, wasi, () -> null);
    }

    /**
     * As {@link #create(LoadedModule, ComponentKind, SandboxOptions, byte[], System.Logger, List)}, with the
     * module's {@code state_*} host functions backed by {@code state} (the engine's keyed state; asked for on
     * the first state call; null from it: an in-memory map).
     */
    public static AutoCloseable create(
            LoadedModule module,
            ComponentKind kind,
            SandboxOptions options,
            byte[] configJson,
            System.Logger log,
            List<String> wasi,
            java.util.function.Supplier<io.dataflare.api.state.ValueState<byte[]>> state) {
        AbiSession s = new AbiSession(module, options, configJson, log, wasi, state);
        return switch (kind) {
            case PROCESSOR -> new WasmProcessor(s);
            case SOURCE -> new AbiSource(s, module.exportsFunction(AbiSource.SEEK));
            case SINK -> new WasmSink(s);
            case RETRY_POLICY -> new AbiPolicies.Retry(s, log);
            case ERROR_POLICY -> new AbiPolicies.Errors(s);
            case KEY_ROUTER -> new AbiPolicies.Router(s);
        };
    }

    /** The {@code dataflare} host functions, for link checks (not bound to any instance). */
    public static java.util.List<com.dylibso.chicory.runtime.HostFunction> hostFunctionTypes() {
        return new AbiHost(new byte[0], System.getLogger("dataflare.wasm"), 1, 1).functions();
    }

    private record WasmProcessor(AbiSession session) implements Processor {
        @Override
        public RecordBatch process(RecordBatch batch) {
            return session.callWithBatch("df_process", batch);
        }

        @Override
        public void close() {
            session.close();
        }
    }

    private record WasmSink(AbiSession session) implements Sink {
        @Override
        public void write(RecordBatch batch, Rejections rejections) {
            for (Rejection r : session.callWithBatch("df_write", batch).rejections())
                rejections.reject(r.record(), r.reason());
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
