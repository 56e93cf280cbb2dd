package io.dataflare.wasm.module;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import io.dataflare.engine.host.ManifestReader;
import io.dataflare.wasm.sandbox.CappedTable;
import io.dataflare.wasm.sandbox.ExecutionMode;
import io.dataflare.wasm.sandbox.SandboxOptions;
import io.dataflare.wasm.sandbox.Watchdog;
import java.nio.file.Path;

/**
 * A checked module ready to instantiate: its manifest, its contract, its code, and the host services
 * (watchdog) its instances use. Instances get the memory cap of their {@link SandboxOptions}, tables
 * capped at {@link CappedTable#MAX_ENTRIES}, and only the imports they are given.
 */
public final class LoadedModule {
    private final ManifestReader.Parsed manifest;
    private final ModuleKind kind;
    private final ModuleCache.Entry entry;
    private final CompiledCode code;
    private final Watchdog watchdog;
    private final Path pluginDir;
    private final int minPages;
    private final int declaredMaxPages;

    LoadedModule(
            ManifestReader.Parsed manifest,
            ModuleKind kind,
            ModuleCache.Entry entry,
            CompiledCode code,
            Watchdog watchdog,
            Path pluginDir) {
        this.manifest = manifest;
        this.kind = kind;
        this.entry = entry;
        this.code = code;
        this.watchdog = watchdog;
        this.pluginDir = pluginDir;
        WasmModule m = entry.module();
        MemoryLimits limits = m.memorySection()
                .filter(s -> s.memoryCount() > 0)
                .map(s -> s.getMemory(0).limits())
                .orElse(null);
        this.minPages = limits == null ? 0 : limits.initialPages();
        this.declaredMaxPages = limits == null ? 0 : limits.maximumPages();
    }

    public ManifestReader.Parsed manifest() {
        return manifest;
    }

    /** The plugin as {@code id@version}. */
    public String label() {
        return manifest.manifest().label();
    }

    public ModuleKind kind() {
        return kind;
    }

    public WasmModule module() {
        return entry.module();
    }

    public CompiledCode code() {
        return code;
    }

    public Watchdog watchdog() {
        return watchdog;
    }

    /** The folder of the plugin file (WASI directories are granted relative to it). */
    public Path pluginDir() {
        return pluginDir;
    }

    /** The module's declared minimum memory, in pages. */
    public int minPages() {
        return minPages;
    }

    /** Whether the module exports a function of this name. */
    public boolean exportsFunction(String name) {
        return ModuleLoader.exportsFunction(entry.module(), name);
    }

    /**
     * A new instance: initialized, start function run (the caller times it). The memory keeps the
     * module's minimum and gets the lower of its own maximum and the cap.
     */
    public Instance instantiate(SandboxOptions options, ImportValues imports) {
        Instance.Builder b = Instance.builder(entry.module())
                .withMachineFactory(code.machine(options.mode() == ExecutionMode.COMPILED))
                .withImportValues(imports)
                // a WASI command's `_start` export is main(), not initialization: neither contract calls it
                // (the module's start section, if any, still runs)
                .withStart(false)
                // byte[] pages with VarHandle access: faster than the default ByteBuffer memory on the JVM
                .withMemoryFactory(ByteArrayMemory::new)
                .withTableFactory(CappedTable::new);
        if (declaredMaxPages > 0
                || minPages > 0
                || entry.module().memorySection().isPresent()) {
            b.withMemoryLimits(new MemoryLimits(minPages, effectiveMaxPages(options)));
        }
        return b.build();
    }

    /** The memory an instance may grow to, in pages. */
    public int effectiveMaxPages(SandboxOptions options) {
        return Math.max(minPages, Math.min(declaredMaxPages, options.maxMemoryPages()));
    }

    /** Whether an instance's memory has reached what it may grow to. */
    public boolean atMemoryLimit(Instance instance, SandboxOptions options) {
        Memory m = instance == null ? null : instance.memory();
        return m != null && m.pages() >= effectiveMaxPages(options);
    }

    /** Lets go of the compiled code (the cache drops it once no plugin uses it). */
    void release(ModuleCache cache) {
        cache.release(entry.hash());
    }
}
