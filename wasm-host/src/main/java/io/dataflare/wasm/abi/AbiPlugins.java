package io.dataflare.wasm.abi;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.wasm.module.LoadedModule;
import io.dataflare.wasm.sandbox.SandboxOptions;

/** The engine-facing plugin instances of a DataFlare-ABI module: one export call per batch. */
public final class AbiPlugins {
    private AbiPlugins() {}

    /** A processor, source or sink (per the manifest's kind) running {@code module}. */
    public static AutoCloseable create(
            LoadedModule module, SandboxOptions options, byte[] configJson, System.Logger log) {
        AbiSession s = new AbiSession(module, options, configJson, log);
        ComponentKind kind = module.manifest().kind();
        return switch (kind) {
            case PROCESSOR -> new WasmProcessor(s);
            case SOURCE -> new WasmSource(s);
            case SINK -> new WasmSink(s);
            default -> throw new IllegalArgumentException(kind.label());
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

    private record WasmSource(AbiSession session) implements Source {
        @Override
        public RecordBatch poll(int maxRecords) {
            return session.callWithInt("df_poll", maxRecords);
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
