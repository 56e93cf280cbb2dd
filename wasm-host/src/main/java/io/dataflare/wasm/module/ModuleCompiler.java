package io.dataflare.wasm.module;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import com.dylibso.chicory.compiler.internal.Compiler;
import com.dylibso.chicory.compiler.internal.CompilerResult;
import com.dylibso.chicory.compiler.internal.MachineFactory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.WasmModule;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a module to JVM bytecode with Chicory's compiler. Functions too large for a JVM method are
 * left to the interpreter by the compiler itself; if compilation fails as a whole the module runs
 * interpreted. Uses Chicory's compiler internals (rather than {@code MachineFactoryCompiler}) to learn
 * which functions stay interpreted and to store the bytecode in the {@link DiskCache} with its checks.
 */
final class ModuleCompiler {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleCompiler.class);

    private ModuleCompiler() {}

    static CompiledCode compile(WasmModule module, String hash, DiskCache disk) {
        if (disk != null) {
            DiskCache.Entry cached = disk.get(hash);
            if (cached != null) {
                try {
                    return new CompiledCode(load(module, cached), cached.interpreted(), null, true);
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("compile cache entry for {} does not load ({}); compiling again", hash, e.toString());
                }
            }
        }
        try {
            CompilerResult r = Compiler.builder(module)
                    .withClassCollectorFactory(ClassLoadingCollector::new)
                    .withInterpreterFallback(InterpreterFallback.SILENT)
                    .build()
                    .compile();
            ClassLoadingCollector c = (ClassLoadingCollector) r.collector();
            if (disk != null)
                disk.put(hash, new DiskCache.Entry(c.mainClassName(), c.classBytes(), r.interpretedFunctions()));
            return new CompiledCode(
                    new MachineFactory(module, c.machineFactory()), r.interpretedFunctions(), null, false);
        } catch (RuntimeException | LinkageError e) {
            // ClassTooLargeException, a verifier error...: the interpreter runs every valid module
            LOG.warn("module {} does not compile to JVM bytecode, it will be interpreted: {}", hash, e.toString());
            return new CompiledCode(null, Set.of(), e.toString(), false);
        }
    }

    private static MachineFactory load(WasmModule module, DiskCache.Entry e) {
        ClassLoadingCollector c = new ClassLoadingCollector();
        // as Chicory's own cache does: helper classes first, the main class last
        for (Map.Entry<String, byte[]> cls : e.classes().entrySet()) {
            if (!cls.getKey().equals(e.mainClass())) c.put(cls.getKey(), cls.getValue());
        }
        c.putMainClass(e.mainClass(), e.classes().get(e.mainClass()));
        return new MachineFactory(module, c.machineFactory());
    }

    /** The Chicory runtime version, part of the disk cache key. */
    static String chicoryVersion() {
        String v = Instance.class.getPackage().getImplementationVersion();
        if (v != null) return v;
        try (InputStream in =
                Instance.class.getResourceAsStream("/META-INF/maven/com.dylibso.chicory/runtime/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }
}
