package io.dataflare.wasm.extism;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.host.Grants;
import io.dataflare.json.Decimals;
import io.dataflare.json.RecordJson;
import io.dataflare.wasm.module.LiveInstance;
import io.dataflare.wasm.module.LoadedModule;
import io.dataflare.wasm.sandbox.CallGuard;
import io.dataflare.wasm.sandbox.SandboxOptions;
import io.dataflare.wasm.sandbox.WasmPluginException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an Extism plugin as a processor, one guarded call per record. A non-zero return code rejects
 * that record with the plugin's error message; a trap, timeout or limit fails the batch and discards
 * the instance, like any WASM plugin.
 */
public final class ExtismProcessor implements Processor {
    private static final JsonFactory JSON = RecordJson.newFactory();

    private final LoadedModule module;
    private final ExtismOptions options;
    private final CallGuard guard;
    private final Map<String, byte[]> vars = new HashMap<>();
    private final ExtismKernel kernel;
    private final LiveInstance live;

    /**
     * @param grants what the stage granted ({@code http_request} reaches the {@code http:HOST} hosts only)
     * @param wasi   {@code wasi} and {@code wasi:dir:PATH} when granted, else empty
     */
    public ExtismProcessor(
            LoadedModule module,
            SandboxOptions sandbox,
            ExtismOptions options,
            System.Logger log,
            Grants grants,
            List<String> wasi) {
        this.module = module;
        this.options = options;
        this.guard = new CallGuard(module.watchdog(), sandbox.timeoutMs(), module.label());
        this.live = new LiveInstance(module, sandbox, log, wasi);
        this.kernel = new ExtismKernel(
                (long) sandbox.maxMemoryPages() * 65536,
                sandbox.maxOutputBytes(),
                options.config(),
                vars,
                log,
                new ExtismHttp(grants, sandbox.timeoutMs(), sandbox.maxOutputBytes()));
    }

    /** The {@code extism:host/env} host functions, for link checks (not bound to any instance). */
    public static List<HostFunction> hostFunctionTypes() {
        return new ExtismKernel(
                        1,
                        1,
                        Map.of(),
                        new HashMap<>(),
                        System.getLogger("dataflare.wasm"),
                        new ExtismHttp(Grants.defaults(), 1, 1))
                .functions();
    }

    @Override
    public RecordBatch process(RecordBatch batch) {
        RecordBatch.Builder out = RecordBatch.builder(batch.size());
        try {
            ensureInstance();
            for (Record r : batch) {
                byte[] in = input(r);
                int rc = guard.call(options.function(), live::atMemoryLimit, () -> {
                    kernel.reset(in); // inside the guard: an input too large for Extism memory is a limit hit
                    return (int) live.get().export(options.function()).apply()[0];
                });
                if (rc != 0) {
                    String error = kernel.error();
                    out.reject(
                            r,
                            new WasmPluginException(
                                    ErrorClass.PLUGIN_ERROR,
                                    module.label(),
                                    options.function() + " returned " + rc + (error == null ? "" : ": " + error),
                                    null));
                } else {
                    try {
                        Record result = output(r, kernel.output());
                        if (result != null) out.add(result);
                    } catch (WasmPluginException e) {
                        out.reject(r, e);
                    }
                }
            }
        } catch (RuntimeException e) {
            discard();
            throw e;
        }
        return out.build();
    }

    private void ensureInstance() {
        if (live.get() != null) return;
        guard.call("instantiate", live::atMemoryLimit, () -> {
            kernel.reset(new byte[0]);
            Instance instance = live.create(kernel.functions());
            // a WASI reactor (most PDKs) initializes its runtime here
            if (module.exportsFunction("_initialize"))
                instance.export("_initialize").apply();
            return null;
        });
    }

    private byte[] input(Record r) {
        if (options.inputField() == null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            try (JsonGenerator g = JSON.createGenerator(bytes)) {
                g.writeStartObject();
                for (int i = 0; i < r.size(); i++) {
                    g.writeFieldName(r.fieldName(i));
                    RecordJson.writeValue(g, r.value(i));
                }
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
        Object v = r.get(options.inputField());
        if (v == null) return new byte[0];
        if (v instanceof byte[] b) return b;
        if (v instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            RecordJson.writeValue(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The new record, or null to drop it (empty output in record mode). */
    private Record output(Record in, byte[] bytes) {
        if (options.outputField() != null) {
            Object before = in.get(options.outputField());
            Object v = parseOrString(bytes, before instanceof BigDecimal ? Decimals.EXACT : Decimals.DOUBLE);
            return in.toBuilder()
                    .set(options.outputField(), RecordJson.restoreLike(v, before))
                    .build();
        }
        if (bytes.length == 0) return null;
        Object v = parseOrString(bytes, Decimals.DOUBLE);
        if (!(v instanceof Map<?, ?> m)) {
            throw new WasmPluginException(
                    ErrorClass.PLUGIN_ERROR,
                    module.label(),
                    options.function() + " did not return a JSON object (output: record)",
                    null);
        }
        // a field that was a decimal going out is read again with its exact digits
        Map<?, ?> exact = hasDecimal(in) ? (Map<?, ?>) parseOrString(bytes, Decimals.EXACT) : Map.of();
        Record.Builder b = in.toBuilder();
        for (String f : in.fields().names()) b.remove(f);
        m.forEach((k, val) -> {
            String name = String.valueOf(k);
            Object before = in.get(name);
            b.set(name, RecordJson.restoreLike(before instanceof BigDecimal ? exact.get(k) : val, before));
        });
        return b.build();
    }

    private static boolean hasDecimal(Record r) {
        for (int i = 0; i < r.size(); i++) {
            if (r.value(i) instanceof BigDecimal) return true;
        }
        return false;
    }

    private static Object parseOrString(byte[] bytes, Decimals decimals) {
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != null) {
                Object v = RecordJson.readValue(p, decimals);
                if (p.nextToken() == null) return v;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: a string
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void discard() {
        live.discard();
    }

    @Override
    public void close() {
        discard();
    }
}
