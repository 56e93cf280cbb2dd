package io.dataflare.wasm.module;

import com.dylibso.chicory.wasm.WasmModule;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Parsed and compiled modules by content hash, so that the same module loaded twice (two folders, a
 * path reference and a scan) is parsed and compiled once. Chicory's machine factory is bound to the
 * {@link WasmModule} object it was compiled from, so the two are cached together. Entries are
 * reference-counted by the plugins using them: the last release drops the entry, and with it the
 * class loader of the compiled code.
 */
public final class ModuleCache implements AutoCloseable {
    /** A parsed module and, once compiled, its code. */
    public static final class Entry {
        private final String hash;
        private final WasmModule module;
        private final LongAdder compilations;
        private CompiledCode code;

        private Entry(String hash, WasmModule module, LongAdder compilations) {
            this.hash = hash;
            this.module = module;
            this.compilations = compilations;
        }

        public String hash() {
            return hash;
        }

        public WasmModule module() {
            return module;
        }

        /** The compiled code (compiling on first use). */
        public synchronized CompiledCode code(DiskCache disk) {
            if (code == null) {
                code = ModuleCompiler.compile(module, hash, disk);
                compilations.increment();
            }
            return code;
        }
    }

    // Entries live while a plugin holds them (no eviction: a module in use stays parsed and compiled); a plain map,
    // since a bounded cache library's classes cost every command's start-up, WASM or not.
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Integer> refs = new HashMap<>();
    private final LongAdder compilations = new LongAdder();
    private final DiskCache disk;

    /** A cache; {@code diskDir} (nullable) adds the on-disk bytecode cache. */
    public ModuleCache(Path diskDir) {
        this.disk = diskDir == null ? null : DiskCache.open(diskDir, ModuleCompiler.chicoryVersion());
    }

    /** The disk cache, or null. */
    public DiskCache disk() {
        return disk;
    }

    /** The entry for a module, parsing it if needed; the caller must {@link #release} it. */
    public synchronized Entry acquire(String hash, java.util.function.Supplier<WasmModule> parse) {
        Entry e = entries.computeIfAbsent(hash, h -> new Entry(h, parse.get(), compilations));
        refs.merge(hash, 1, Integer::sum);
        return e;
    }

    /** Gives back an entry; the last user drops it. */
    public synchronized void release(String hash) {
        Integer n = refs.computeIfPresent(hash, (k, v) -> v > 1 ? v - 1 : null);
        if (n == null) entries.remove(hash);
    }

    /** How many modules are cached (tests). */
    public synchronized long size() {
        return entries.size();
    }

    /** How many times module code was compiled (or read from the disk cache) since the cache was created (tests). */
    public long compilations() {
        return compilations.sum();
    }

    @Override
    public synchronized void close() {
        entries.clear();
        refs.clear();
    }
}
