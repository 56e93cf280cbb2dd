package io.dataflare.wasm.module;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.dataflare.api.ComponentKind;
import io.dataflare.engine.host.ManifestReader;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.wasm.sandbox.Watchdog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns a {@code .wasm} file into a {@link LoadedModule}: finds the manifest (the {@code .wasm.yaml}
 * beside it, else the {@code dataflare.manifest} custom section, else, for an Extism plugin, one made from
 * its file name: {@link AsIsManifest}), parses and validates the module,
 * checks its imports against the granted capabilities, its memories and its exports, and compiles it
 * (through the {@link ModuleCache}). Every refusal is a {@link PluginLoadException} naming the plugin.
 */
public final class ModuleLoader {
    /** The custom section that may hold the manifest. */
    public static final String MANIFEST_SECTION = "dataflare.manifest";

    private final ModuleCache cache;
    private final Watchdog watchdog;

    public ModuleLoader(ModuleCache cache, Watchdog watchdog) {
        this.cache = cache;
        this.watchdog = watchdog;
    }

    /**
     * What the module in {@code file} declares: its sidecar manifest, else its {@code dataflare.manifest}
     * section, found by walking the section headers. Nothing is compiled or cached: the registry describes
     * every file on every scan that sees it changed, and loads only those it can use. A module with neither is
     * parsed, to see whether it is an Extism plugin that runs without a manifest.
     */
    public ManifestReader.Parsed describe(Path file) throws PluginLoadException {
        byte[] bytes = read(file);
        String hash = sha256(bytes);
        Path sidecar = sidecar(file);
        if (sidecar != null) return readSidecar(sidecar, hash);
        byte[] section;
        try {
            section = CustomSections.find(bytes, MANIFEST_SECTION);
        } catch (IllegalArgumentException e) {
            throw new PluginLoadException(
                    file.getFileName() + ": not a valid WebAssembly module (" + e.getMessage() + ")", e);
        }
        if (section == null) {
            WasmModule m = parse(bytes, file.getFileName().toString());
            if (AsIsManifest.applies(m)) return AsIsManifest.of(file, m, hash);
        }
        return readSection(section, file, hash);
    }

    private static WasmModule parse(byte[] bytes, String who) throws PluginLoadException {
        try {
            return Parser.parse(bytes);
        } catch (ChicoryException | IllegalArgumentException e) {
            throw new PluginLoadException(who + ": not a valid WebAssembly module (" + e.getMessage() + ")", e);
        }
    }

    /** Loads and checks the module in {@code file}; the caller {@linkplain #release releases} it when unloaded. */
    public LoadedModule load(Path file) throws PluginLoadException {
        byte[] bytes = read(file);
        String hash = sha256(bytes);
        Path sidecar = sidecar(file);
        ManifestReader.Parsed manifest = sidecar == null ? null : readSidecar(sidecar, hash);
        String who = manifest == null
                ? file.getFileName().toString()
                : manifest.manifest().label();
        ModuleCache.Entry entry;
        try {
            entry = cache.acquire(hash, () -> Parser.parse(bytes));
        } catch (ChicoryException | IllegalArgumentException e) {
            throw new PluginLoadException(who + ": not a valid WebAssembly module (" + e.getMessage() + ")", e);
        }
        try {
            if (manifest == null) {
                byte[] section = CustomSections.find(bytes, MANIFEST_SECTION);
                manifest = section == null && AsIsManifest.applies(entry.module())
                        ? AsIsManifest.of(file, entry.module(), hash)
                        : readSection(section, file, hash);
            }
            who = manifest.manifest().label();
            ModuleKind kind = ImportPolicy.kind(entry.module());
            check(entry.module(), kind, manifest);
            CompiledCode code = entry.code(cache.disk());
            return new LoadedModule(
                    manifest, kind, entry, code, watchdog, file.toAbsolutePath().getParent());
        } catch (PluginLoadException e) {
            cache.release(hash);
            throw e.getMessage().startsWith(who) ? e : new PluginLoadException(who + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cache.release(hash);
            throw new PluginLoadException(who + ": " + e, e);
        }
    }

    /** Gives a module's compiled code back to the cache. */
    public void release(LoadedModule module) {
        module.release(cache);
    }

    private static void check(WasmModule m, ModuleKind kind, ManifestReader.Parsed manifest)
            throws PluginLoadException {
        ImportPolicy.check(m, kind, manifest.manifest().capabilities());
        int memories = m.memorySection().map(s -> s.memoryCount()).orElse(0);
        if (memories > 1) throw new PluginLoadException("defines " + memories + " memories: one at most is supported");
        if (kind == ModuleKind.EXTISM) {
            if (manifest.kind() != ComponentKind.PROCESSOR) {
                throw new PluginLoadException("an Extism plugin runs as a processor, but the manifest says kind: "
                        + manifest.kind().manifestKind());
            }
            return;
        }
        String required = switch (manifest.kind()) {
            case PROCESSOR -> "df_process";
            case SOURCE -> "df_poll";
            case SINK -> "df_write";
            case RETRY_POLICY, ERROR_POLICY, KEY_ROUTER -> {
                if (PolicyExports.of(m).isEmpty()) {
                    throw new PluginLoadException("a policy module must export at least one of "
                            + String.join(", ", PolicyExports.NAMES) + " (see ABI.md)");
                }
                yield "df_alloc";
            }
        };
        if (manifest.kind() == ComponentKind.SOURCE
                && exportsFunction(m, "df_seek") != exportsFunction(m, "df_position"))
            throw new PluginLoadException(
                    "a source that resumes must export both df_position and df_seek (see ABI.md)");
        for (String export : new String[] {"df_alloc", required}) {
            if (!exportsFunction(m, export)) {
                throw new PluginLoadException("a " + manifest.kind().manifestKind() + " module must export '" + export
                        + "' (see ABI.md), or import extism:host/env to run as an Extism plugin");
            }
        }
        if (memories == 0 || !exports(m, "memory"))
            throw new PluginLoadException("must define and export its memory as 'memory'");
    }

    static boolean exportsFunction(WasmModule m, String name) {
        for (int i = 0; i < m.exportSection().exportCount(); i++) {
            var e = m.exportSection().getExport(i);
            if (e.name().equals(name) && e.exportType() == com.dylibso.chicory.wasm.types.ExternalType.FUNCTION)
                return true;
        }
        return false;
    }

    private static boolean exports(WasmModule m, String name) {
        for (int i = 0; i < m.exportSection().exportCount(); i++) {
            if (m.exportSection().getExport(i).name().equals(name)) return true;
        }
        return false;
    }

    /** The manifest file beside a module ({@code x.wasm.yaml} or {@code x.wasm.yml}), or null. */
    static Path sidecar(Path file) {
        for (String ext : new String[] {".yaml", ".yml"}) {
            Path p = file.resolveSibling(file.getFileName() + ext);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static ManifestReader.Parsed readSidecar(Path sidecar, String hash) throws PluginLoadException {
        try {
            return ManifestReader.parse(
                    Files.readString(sidecar), sidecar.getFileName().toString(), "wasm", hash);
        } catch (IOException e) {
            throw new PluginLoadException("cannot read " + sidecar + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) throws PluginLoadException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PluginLoadException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The manifest in the {@code dataflare.manifest} section's content ({@code section}: null when there is none). */
    private static ManifestReader.Parsed readSection(byte[] section, Path file, String hash)
            throws PluginLoadException {
        if (section == null) {
            throw new PluginLoadException(file.getFileName() + ": no manifest: put it beside the module as "
                    + file.getFileName() + ".yaml or in a custom section named " + MANIFEST_SECTION);
        }
        return ManifestReader.parse(
                new String(section, StandardCharsets.UTF_8), file.getFileName() + "#" + MANIFEST_SECTION, "wasm", hash);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
