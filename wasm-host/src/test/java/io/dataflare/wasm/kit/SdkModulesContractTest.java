package io.dataflare.wasm.kit;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.tck.ComponentCase;
import io.dataflare.tck.PluginContractTest;
import io.dataflare.tck.PluginLoaders;
import io.dataflare.tck.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;

/**
 * The plugin test kit (plugin-tck) on the SDK's example modules as committed, each loaded from its file
 * through the WASM host ({@link PluginLoaders#file}) the way a WASM plugin author runs it (ABI.md).
 */
@Timeout(60)
class SdkModulesContractTest {
    static final Path SDK = Path.of("..", "sdk-examples", "wasm");

    /** Records {@code id} 0..n-1 with {@code key} "k" + id % 3. */
    static RecordBatch ids(int n) {
        List<Record> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i);
            m.put("key", "k" + i % 3);
            out.add(Record.fromMap(m));
        }
        return RecordBatch.of(out);
    }

    /** One module of sdk-examples/wasm, by its path there. */
    abstract static class Module extends PluginContractTest {
        private final String file;

        Module(String file) {
            this.file = file;
        }

        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return PluginLoaders.file(SDK.resolve(file));
        }
    }

    @Nested
    class CTag extends Module {
        CTag() {
            super("c/c-tag-1.0.0.wasm");
        }

        @Override
        protected List<ComponentCase> components() {
            List<Record> in = new ArrayList<>(ids(10).records());
            in.add(Record.fromMap(Map.of("name", "no id"))); // rejected by the module
            return List.of(ComponentCase.processor("c-tag")
                    .config(Map.of("prefix", "n-"))
                    .input(RecordBatch.of(in))
                    .shape(Shape.FILTERS)
                    .rejects(Map.of("prefix", List.of(1)), "prefix")
                    .rejects(Map.of("mode", "jit"), "mode")
                    .rejects(Map.of("max_memory_pages", 0), "max_memory_pages"));
        }
    }

    @Nested
    class CCount extends Module {
        CCount() {
            super("c/c-count-1.0.0.wasm");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.source("c-count")
                    .config(Map.of("count", 30))
                    .rejects(Map.of("count", "many"), "count"));
        }
    }

    @Nested
    class CCheck extends Module {
        CCheck() {
            super("c/c-check-1.0.0.wasm");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.sink("c-check").input(ids(20)).rejects(Map.of("max_id", "big"), "max_id"));
        }
    }

    @Nested
    class ExtismPdkExampleWithoutManifest extends Module {
        ExtismPdkExampleWithoutManifest() {
            super("extism-as/as-pdk-example-1.0.0.wasm");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.processor("as-pdk-example")
                    .config(Map.of("function", "count_vowels", "input", "field:key", "output", "field:vowels"))
                    .input(ids(5)));
        }
    }

    @Nested
    class AssemblyScriptSquare extends Module {
        AssemblyScriptSquare() {
            super("assemblyscript/as-square-1.0.0.wasm");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.processor("as-square")
                    .input(ids(20))
                    .rejects(Map.of("timeout_ms", "soon"), "timeout_ms"));
        }
    }

    @Nested
    class RustKeys extends Module {
        RustKeys() {
            super("rust/rust-keys-1.0.0.wasm");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.processor("rust-keys").input(ids(20)));
        }
    }

    @Nested
    class ExtismGreet extends Module {
        ExtismGreet() {
            super("extism-c/extism-greet-1.0.0.wasm");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.processor("extism-greet")
                    .config(Map.of(
                            "function",
                            "greet",
                            "input",
                            "field:key",
                            "output",
                            "field:greeting",
                            "config",
                            Map.of("greeting", "hi")))
                    .rejects(Map.of("function", "nope"), "function")
                    .rejects(Map.of("function", "greet", "input", "somewhere"), "input")
                    .input(ids(5)));
        }
    }

    /** A policy module: its retry policy, error policy and key router, all named by the manifest id. */
    abstract static class Policies extends Module {
        private final String id;

        Policies(String file, String id) {
            super(file);
            this.id = id;
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.retryPolicy(id), ComponentCase.errorPolicy(id), ComponentCase.keyRouter(id));
        }
    }

    @Nested
    class CPolicies extends Policies {
        CPolicies() {
            super("c/c-policies-1.0.0.wasm", "c-policies");
        }
    }

    @Nested
    class RustPolicies extends Policies {
        RustPolicies() {
            super("rust/rust-policies-1.0.0.wasm", "rust-policies");
        }
    }

    @Nested
    class AssemblyScriptPolicies extends Policies {
        AssemblyScriptPolicies() {
            super("assemblyscript/as-policies-1.0.0.wasm", "as-policies");
        }
    }
}
