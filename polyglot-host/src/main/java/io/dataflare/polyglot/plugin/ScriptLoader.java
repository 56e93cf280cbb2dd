package io.dataflare.polyglot.plugin;

import io.dataflare.api.config.ConfigOption;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.engine.host.Checksums;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.ManifestReader;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.polyglot.manifest.ScriptManifests;
import io.dataflare.polyglot.runtime.LanguageRuntime;
import io.dataflare.polyglot.runtime.ScriptLanguage;
import io.dataflare.polyglot.sandbox.GuestFailures;
import io.dataflare.polyglot.sandbox.GuestOutput;
import io.dataflare.polyglot.sandbox.SandboxSettings;
import io.dataflare.polyglot.sandbox.Watchdog;
import io.dataflare.polyglot.session.GuestValues;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.slf4j.LoggerFactory;

/**
 * Loads a script file as a plugin. A JavaScript module is evaluated once in a throwaway sandboxed context
 * (cheap with the shared engine): that checks its syntax, reads an exported {@code manifest} and checks
 * that it exports an entry point, so a broken script fails at load with its line. A Python script is not
 * run at load unless its manifest is computed: starting Python costs seconds, which listing a plugins folder
 * should not. {@link #describe} runs neither language unless the manifest is computed.
 */
public final class ScriptLoader {
    private static final List<String> ENTRY_POINTS = List.of("process", "map", "filter", "flatMap");

    private ScriptLoader() {}

    /** A script file as read. */
    private record ScriptFile(Path file, String name, String text, String checksum, Source source) {
        static ScriptFile read(ScriptLanguage language, Path file) throws PluginLoadException {
            try {
                String text = Files.readString(file);
                return new ScriptFile(
                        file, file.getFileName().toString(), text, Checksums.sha256(file), language.source(file, text));
            } catch (CharacterCodingException e) {
                throw new PluginLoadException("not UTF-8 text");
            } catch (IOException e) {
                throw new PluginLoadException("cannot read it: " + e.getMessage(), e);
            }
        }
    }

    /**
     * What {@code file} declares, read without running it: its literal {@code manifest}, else its leading
     * comment block, else the anonymous manifest. Only a computed {@code manifest} makes the script run.
     *
     * @throws PluginLoadException saying why the file is not a usable plugin
     */
    public static PluginManifest describe(LanguageRuntime runtime, Path file) throws PluginLoadException {
        ScriptFile f = ScriptFile.read(runtime.language(), file);
        ManifestReader.Parsed parsed = parsed(runtime.language(), f, declared(runtime, f));
        return parsed != null ? parsed.manifest() : ScriptManifests.anonymous(file, runtime.language(), f.checksum());
    }

    /**
     * Loads {@code file}.
     *
     * @throws PluginLoadException saying why the file is not a usable plugin
     */
    public static LoadedPlugin load(LanguageRuntime runtime, Path file) throws PluginLoadException {
        ScriptLanguage language = runtime.language();
        ScriptFile f = ScriptFile.read(language, file);
        Map<String, Object> declared = language == ScriptLanguage.JAVASCRIPT
                ? probe(runtime, f.source(), f.name(), true)
                : declared(runtime, f);
        ManifestReader.Parsed parsed = parsed(language, f, declared);
        PluginManifest manifest;
        ConfigSpec spec;
        if (parsed != null) {
            manifest = parsed.manifest();
            spec = withSandboxOptions(parsed.config(), f.name());
        } else {
            manifest = ScriptManifests.anonymous(file, language, f.checksum());
            spec = withSandboxOptions(
                    ConfigSpec.builder().allowUnknown().build(), f.name()); // a bare script takes any with:
        }
        ScriptPlugin plugin = new ScriptPlugin(runtime, file, f.source(), manifest, spec);
        return new LoadedPlugin(manifest, file, List.of(new ScriptProcessorFactory(plugin)), plugin::close);
    }

    /** The {@code manifest} the script defines: as a literal, else (computed) by running it; null when it defines none. */
    private static Map<String, Object> declared(LanguageRuntime runtime, ScriptFile f) throws PluginLoadException {
        ScriptLanguage language = runtime.language();
        if (!ScriptManifests.declaresManifest(language, f.text())) return null;
        Optional<Map<String, Object>> literal = ScriptManifests.literal(language, f.text());
        if (literal.isPresent()) return literal.get();
        LoggerFactory.getLogger(ScriptLoader.class)
                .info(
                        "{}: the manifest is computed: running the script to read it{}",
                        f.name(),
                        language == ScriptLanguage.PYTHON ? " (starts Python)" : "");
        return probe(runtime, f.source(), f.name(), false);
    }

    /** The manifest from the script's own {@code declared} one, else its comment block; null for an anonymous script. */
    private static ManifestReader.Parsed parsed(ScriptLanguage language, ScriptFile f, Map<String, Object> declared)
            throws PluginLoadException {
        Map<String, Object> map = declared != null
                ? declared
                : ScriptManifests.commentBlock(language, f.text(), f.name()).orElse(null);
        return map == null ? null : ScriptManifests.parse(map, f.file(), language, f.checksum());
    }

    /** Evaluates the script in a throwaway context; returns its manifest as plain values, or null. */
    private static Map<String, Object> probe(
            LanguageRuntime runtime, Source source, String name, boolean needEntryPoint) throws PluginLoadException {
        GuestOutput log = GuestOutput.toLogger(LoggerFactory.getLogger("dataflare.plugin." + name));
        SandboxSettings sandbox = SandboxSettings.DEFAULTS;
        Context c = runtime.newContext(sandbox, log, log);
        Watchdog.Guard guard = runtime.watchdog().arm(c, sandbox.initTimeoutMs(), sandbox.allocLimitBytes());
        try {
            Value exports = runtime.language().evalPlugin(c, source);
            if (needEntryPoint
                    && ENTRY_POINTS.stream()
                            .noneMatch(f ->
                                    exports.hasMember(f) && exports.getMember(f).canExecute())) {
                throw new PluginLoadException(
                        "it exports none of process(batch, ctx), map(record), filter(record), flatMap(record)"
                                + " (a .js file is an ES module: write `export function map(record) {...}`)");
            }
            Value m = exports.hasMember("manifest") ? exports.getMember("manifest") : null;
            if (m == null || m.isNull()) return null;
            if (!(GuestValues.toJava(m) instanceof Map<?, ?> map))
                throw new PluginLoadException("manifest " + name + ": must be an object");
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) map;
            return result;
        } catch (RuntimeException e) {
            throw new PluginLoadException(GuestFailures.of("it", e, guard).getMessage(), e);
        } finally {
            guard.close();
            try {
                c.close(true);
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }

    private static ConfigSpec withSandboxOptions(ConfigSpec own, String name) throws PluginLoadException {
        ConfigSpec.Builder b = ConfigSpec.builder();
        for (ConfigOption o : own.options()) {
            if (SandboxSettings.KEYS.contains(o.name())) {
                throw new PluginLoadException("manifest " + name + ": 'config." + o.name()
                        + "' is a sandbox option of every script;" + " choose another name");
            }
            b.option(o);
        }
        for (ConfigOption o : SandboxSettings.options()) b.option(o);
        if (own.allowsUnknown()) b.allowUnknown();
        return b.build();
    }
}
