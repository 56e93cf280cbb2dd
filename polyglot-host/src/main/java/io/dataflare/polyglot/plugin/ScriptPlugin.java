package io.dataflare.polyglot.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.polyglot.runtime.LanguageRuntime;
import io.dataflare.polyglot.runtime.ScriptLanguage;
import io.dataflare.polyglot.sandbox.GuestConsole;
import io.dataflare.polyglot.sandbox.GuestFailures;
import io.dataflare.polyglot.sandbox.GuestOutput;
import io.dataflare.polyglot.sandbox.SandboxSettings;
import io.dataflare.polyglot.session.ScriptProcessor;
import io.dataflare.polyglot.session.ScriptSession;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.slf4j.LoggerFactory;

/**
 * One loaded script: its source (parsed once per engine: the shared engine's code cache keys on it),
 * manifest and config spec, and the instances (contexts) started from it: processors, sources, sinks,
 * policies. Closing it (the
 * {@code LoadedPlugin} is closed on unload or reload) closes every context still open, so nothing of the
 * old version stays reachable.
 */
public final class ScriptPlugin implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LanguageRuntime runtime;
    private final Path file;
    private final Source source;
    private final PluginManifest manifest;
    private final ConfigSpec configSpec;
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile boolean syntaxChecked;

    ScriptPlugin(LanguageRuntime runtime, Path file, Source source, PluginManifest manifest, ConfigSpec configSpec) {
        this.runtime = runtime;
        this.file = file;
        this.source = source;
        this.manifest = manifest;
        this.configSpec = configSpec;
    }

    public PluginManifest manifest() {
        return manifest;
    }

    public ConfigSpec configSpec() {
        return configSpec;
    }

    public Path file() {
        return file;
    }

    /** {@code javascript plugin clean@1.0.0}: how messages name it. */
    public String label() {
        return runtime.language().pluginLanguage() + " plugin " + manifest.label();
    }

    /** Starts a processor instance with its own context. */
    ScriptProcessor newInstance(PluginContext ctx) {
        if (closed) throw new IllegalStateException(label() + " was unloaded");
        checkGrants(ctx);
        boolean wantsState = manifest.capabilities().contains("state");
        ScriptProcessor[] self = new ScriptProcessor[1];
        GuestConsole console =
                GuestConsole.toStderr(manifest.getPluginId(), ctx.pipeline(), ctx.stage(), ctx.instance());
        ScriptProcessor p = new ScriptProcessor(
                runtime, source, label(), ctx, scriptConfig(ctx), wantsState, console, () -> open.remove(self[0]));
        self[0] = p;
        open.add(p);
        if (closed) p.close(); // unloaded meanwhile
        return p;
    }

    /**
     * Starts a source, sink or policy instance: a session with its own context, started now when {@code eager}
     * (else on its first call).
     */
    ScriptSession newSession(PluginContext ctx, boolean eager) {
        if (closed) throw new IllegalStateException(label() + " was unloaded");
        checkGrants(ctx);
        ScriptSession[] self = new ScriptSession[1];
        GuestConsole console =
                GuestConsole.toStderr(manifest.getPluginId(), ctx.pipeline(), ctx.stage(), ctx.instance());
        ScriptSession s = new ScriptSession(
                runtime,
                source,
                label(),
                ctx,
                scriptConfig(ctx),
                manifest.capabilities().contains("state"),
                console,
                eager,
                () -> open.remove(self[0]));
        self[0] = s;
        open.add(s);
        if (closed) s.close(); // unloaded meanwhile
        return s;
    }

    /**
     * Refuses an instance whose manifest requests capabilities the stage is not granted: a plugin asks, the
     * person running the pipeline grants ({@code grants:}); only the plugin-local {@code log} and {@code state}
     * are granted by default.
     */
    private void checkGrants(PluginContext ctx) {
        Grants granted = Grants.of(ctx);
        List<String> missing = granted.missing(manifest.capabilities());
        if (!missing.isEmpty()) {
            throw new PluginException(
                    ErrorClass.PLUGIN_ERROR,
                    label() + " requests " + String.join(", ", missing) + ", which stage '" + ctx.stage()
                            + "' is not granted (requested: " + manifest.capabilities() + "; granted: "
                            + granted.all() + "): add what it needs to the stage's grants: list, or do not use it");
        }
    }

    /**
     * Parses the script without running it, once, so a syntax error is a validation error. JavaScript was
     * parsed at load already; Python is parsed here, when a pipeline uses the plugin.
     *
     * @throws ConfigException naming the script line
     */
    void checkSyntax() {
        if (syntaxChecked || runtime.language() == ScriptLanguage.JAVASCRIPT) return;
        GuestOutput log = GuestOutput.toLogger(LoggerFactory.getLogger("dataflare.plugin." + manifest.getPluginId()));
        try (Context c = runtime.newContext(SandboxSettings.DEFAULTS, log, log)) {
            c.parse(source);
            syntaxChecked = true;
        } catch (PolyglotException e) {
            if (!e.isSyntaxError()) throw e;
            throw new ConfigException(List.of(
                    new ConfigError("", GuestFailures.of(label(), e, null).getMessage())));
        }
    }

    /** How many instances (contexts) are open (tests of unload). */
    public int openInstances() {
        return open.size();
    }

    /** The stage's config without the sandbox keys, as JSON for the guest's {@code ctx.config}. */
    private static String scriptConfig(PluginContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>(ctx.config().asMap());
        m.keySet().removeAll(SandboxSettings.KEYS);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the config cannot be handed to the script: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (AutoCloseable p : open.toArray(new AutoCloseable[0])) {
            try {
                p.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(ScriptPlugin.class).debug("closing an instance of {} failed", label(), e);
            }
        }
        open.clear();
        runtime.keptContexts().forget(source); // the instances closed above kept theirs for a next run
    }
}
