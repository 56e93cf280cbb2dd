package io.dataflare.polyglot.plugin;

import io.dataflare.api.config.ConfigOption;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.engine.plugin.Checksums;
import io.dataflare.engine.plugin.LoadedPlugin;
import io.dataflare.engine.plugin.ManifestReader;
import io.dataflare.engine.plugin.PluginLoadException;
import io.dataflare.engine.plugin.PluginManifest;
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
 * should not.
 */
public final class ScriptLoader {
    private static final List<String> ENTRY_POINTS = List.of("process", "map", "filter", "flatMap");

    private ScriptLoader() {
    }

    /**
     * Loads {@code file}.
     *
     * @throws PluginLoadException saying why the file is not a usable plugin
     */
    public static LoadedPlugin load(LanguageRuntime runtime, Path file) throws PluginLoadException {
        ScriptLanguage language = runtime.language();
        String text;
        String checksum;
        try {
            text = Files.readString(file);
            checksum = Checksums.sha256(file);
        } catch (CharacterCodingException e) {
            throw new PluginLoadException("not UTF-8 text");
        } catch (IOException e) {
            throw new PluginLoadException("cannot read it: " + e.getMessage(), e);
        }
        String name = file.getFileName().toString();
        Source source = language.source(file, text);
        Optional<Map<String, Object>> comment = ScriptManifests.commentBlock(language, text, name);
        Map<String, Object> declared = null;
        if (language == ScriptLanguage.JAVASCRIPT) {
            declared = probe(runtime, source, name, true);
        } else if (ScriptManifests.declaresManifest(language, text)) {
            declared = ScriptManifests.pythonLiteral(text).orElse(null);
            if (declared == null) {
                LoggerFactory.getLogger(ScriptLoader.class).info("{}: the manifest is computed: starting Python to read it", name);
                declared = probe(runtime, source, name, false);
            }
        }
        Map<String, Object> map = declared != null ? declared : comment.orElse(null);
        PluginManifest manifest;
        ConfigSpec spec;
        if (map != null) {
            ManifestReader.Parsed parsed = ScriptManifests.parse(map, file, language, checksum);
            manifest = parsed.manifest();
            spec = withSandboxOptions(parsed.config(), name);
        } else {
            manifest = ScriptManifests.anonymous(file, language, checksum);
            spec = withSandboxOptions(ConfigSpec.builder().allowUnknown().build(), name); // a bare script takes any with:
        }
        ScriptPlugin plugin = new ScriptPlugin(runtime, file, source, manifest, spec);
        return new LoadedPlugin(manifest, file, List.of(new ScriptProcessorFactory(plugin)), plugin::close);
    }

    /** Evaluates the script in a throwaway context; returns its manifest as plain values, or null. */
    private static Map<String, Object> probe(LanguageRuntime runtime, Source source, String name, boolean needEntryPoint)
            throws PluginLoadException {
        GuestOutput log = GuestOutput.toLogger(LoggerFactory.getLogger("dataflare.plugin." + name));
        SandboxSettings sandbox = SandboxSettings.DEFAULTS;
        Context c = runtime.newContext(sandbox, log, log);
        Watchdog.Guard guard = runtime.watchdog().arm(c, sandbox.initTimeoutMs(), sandbox.allocLimitBytes());
        try {
            Value exports = runtime.language().evalPlugin(c, source);
            if (needEntryPoint && ENTRY_POINTS.stream().noneMatch(f -> exports.hasMember(f) && exports.getMember(f).canExecute())) {
                throw new PluginLoadException("it exports none of process(batch, ctx), map(record), filter(record), flatMap(record)"
                        + " (a .js file is an ES module: write `export function map(record) {...}`)");
            }
            Value m = exports.hasMember("manifest") ? exports.getMember("manifest") : null;
            if (m == null || m.isNull()) return null;
            if (!(GuestValues.toJava(m) instanceof Map<?, ?> map)) throw new PluginLoadException("manifest " + name + ": must be an object");
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
                throw new PluginLoadException("manifest " + name + ": 'config." + o.name() + "' is a sandbox option of every script;"
                        + " choose another name");
            }
            b.option(o);
        }
        for (ConfigOption o : SandboxSettings.options()) b.option(o);
        if (own.allowsUnknown()) b.allowUnknown();
        return b.build();
    }
}
