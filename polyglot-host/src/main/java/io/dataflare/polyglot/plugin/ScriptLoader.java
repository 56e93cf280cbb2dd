package io.dataflare.polyglot.plugin;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.slf4j.LoggerFactory;

/**
 * Loads a script file as a plugin. A JavaScript module is evaluated once in a throwaway sandboxed context
 * (cheap with the shared engine): that checks its syntax, reads an exported {@code manifest} and checks
 * that it exports its kind's entry point ({@code map}... for a processor, {@code poll} for a source...), so a broken script fails at load with its line. A Python script is not
 * run at load unless its manifest is computed: starting Python costs seconds, which listing a plugins folder
 * should not. {@link #describe} runs neither language unless the manifest is computed.
 */
public final class ScriptLoader {
    private static final List<String> ENTRY_POINTS = List.of("process", "map", "filter", "flatMap");
    /** The function each kind of component must define (a processor: one of {@link #ENTRY_POINTS}). */
    private static final Map<ComponentKind, String> REQUIRED = Map.of(
            ComponentKind.SOURCE, "poll",
            ComponentKind.SINK, "write",
            ComponentKind.RETRY_POLICY, "decide",
            ComponentKind.ERROR_POLICY, "route",
            ComponentKind.KEY_ROUTER, "route");

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
        Probe probe = language == ScriptLanguage.JAVASCRIPT ? probe(runtime, f.source(), f.name()) : null;
        Map<String, Object> declared = probe != null ? probe.manifest() : declared(runtime, f);
        ManifestReader.Parsed parsed = parsed(language, f, declared);
        PluginManifest manifest;
        ConfigSpec spec;
        ComponentKind kind;
        if (parsed != null) {
            manifest = parsed.manifest();
            spec = withSandboxOptions(parsed.config(), f.name());
            kind = parsed.kind();
        } else {
            manifest = ScriptManifests.anonymous(file, language, f.checksum());
            spec = withSandboxOptions(
                    ConfigSpec.builder().allowUnknown().build(), f.name()); // a bare script takes any with:
            kind = ComponentKind.PROCESSOR;
        }
        if (probe != null) checkEntryPoint(kind, probe.functions());
        ScriptPlugin plugin = new ScriptPlugin(runtime, file, f.source(), manifest, spec);
        return new LoadedPlugin(manifest, file, List.of(factory(kind, plugin)), plugin::close);
    }

    private static PluginFactory<?> factory(ComponentKind kind, ScriptPlugin plugin) {
        return switch (kind) {
            case PROCESSOR -> new ScriptProcessorFactory(plugin);
            case SOURCE -> new ScriptComponentFactory.Sources(plugin);
            case SINK -> new ScriptComponentFactory.Sinks(plugin);
            case RETRY_POLICY -> new ScriptComponentFactory.RetryPolicies(plugin);
            case ERROR_POLICY -> new ScriptComponentFactory.ErrorPolicies(plugin);
            case KEY_ROUTER -> new ScriptComponentFactory.KeyRouters(plugin);
        };
    }

    /** A JavaScript module must define its kind's function: checked at load, so a wrong file fails early. */
    private static void checkEntryPoint(ComponentKind kind, Set<String> functions) throws PluginLoadException {
        if (kind == ComponentKind.PROCESSOR) {
            if (ENTRY_POINTS.stream().noneMatch(functions::contains)) {
                throw new PluginLoadException(
                        "it exports none of process(batch, ctx), map(record), filter(record), flatMap(record)"
                                + " (a .js file is an ES module: write `export function map(record) {...}`)");
            }
            return;
        }
        String required = REQUIRED.get(kind);
        if (!functions.contains(required)) {
            throw new PluginLoadException("a " + kind.label() + " script must export " + required + "(...)"
                    + " (a .js file is an ES module: write `export function " + required + "(...) {...}`)");
        }
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
        return probe(runtime, f.source(), f.name()).manifest();
    }

    /** The manifest from the script's own {@code declared} one, else its comment block; null for an anonymous script. */
    private static ManifestReader.Parsed parsed(ScriptLanguage language, ScriptFile f, Map<String, Object> declared)
            throws PluginLoadException {
        Map<String, Object> map = declared != null
                ? declared
                : ScriptManifests.commentBlock(language, f.text(), f.name()).orElse(null);
        return map == null ? null : ScriptManifests.parse(map, f.file(), language, f.checksum());
    }

    /** What evaluating a script tells: its manifest as plain values (or null) and the functions it defines. */
    private record Probe(Map<String, Object> manifest, Set<String> functions) {}

    /** Evaluates the script in a throwaway context. */
    private static Probe probe(LanguageRuntime runtime, Source source, String name) throws PluginLoadException {
        GuestOutput log = GuestOutput.toLogger(LoggerFactory.getLogger("dataflare.plugin." + name));
        SandboxSettings sandbox = SandboxSettings.DEFAULTS;
        Context c = runtime.newContext(sandbox, log, log);
        Watchdog.Guard guard = runtime.watchdog().arm(c, sandbox.initTimeoutMs(), sandbox.allocLimitBytes());
        try {
            Value exports = runtime.language().evalPlugin(c, source);
            Set<String> functions = new HashSet<>();
            for (String k : exports.getMemberKeys()) {
                Value m = exports.getMember(k);
                if (m != null && m.canExecute()) functions.add(k);
            }
            Value m = exports.hasMember("manifest") ? exports.getMember("manifest") : null;
            if (m == null || m.isNull()) return new Probe(null, functions);
            if (!(GuestValues.toJava(m) instanceof Map<?, ?> map))
                throw new PluginLoadException("manifest " + name + ": must be an object");
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) map;
            return new Probe(result, functions);
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
