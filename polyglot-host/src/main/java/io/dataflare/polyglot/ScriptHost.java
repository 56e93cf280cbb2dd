package io.dataflare.polyglot;

import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginHost;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.polyglot.plugin.ScriptLoader;
import io.dataflare.polyglot.runtime.LanguageRuntime;
import io.dataflare.polyglot.runtime.ScriptLanguage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@link PluginHost} of one script language (GraalVM Polyglot). Each host owns one shared engine for
 * its language, created when the first script of that language is used, and closes it with the registry.
 */
public abstract class ScriptHost implements PluginHost {
    private final LanguageRuntime runtime;

    protected ScriptHost(ScriptLanguage language) {
        this.runtime = new LanguageRuntime(language);
    }

    @Override
    public String language() {
        return runtime.language().pluginLanguage();
    }

    @Override
    public boolean handles(Path file) {
        return runtime.language().handles(file);
    }

    @Override
    public LoadedPlugin load(Path file, HostContext context) throws PluginLoadException {
        if (!Files.isRegularFile(file)) throw new PluginLoadException("not a file");
        return ScriptLoader.load(runtime, file.toAbsolutePath().normalize());
    }

    /**
     * Reads the manifest without running the script (a literal {@code manifest} or the comment block): no
     * Python context starts and no JavaScript is evaluated, unless the manifest is computed.
     */
    @Override
    public PluginManifest describe(Path file, HostContext context) throws PluginLoadException {
        if (!Files.isRegularFile(file)) throw new PluginLoadException("not a file");
        return ScriptLoader.describe(runtime, file.toAbsolutePath().normalize());
    }

    /** The language's shared engine and watchdog. */
    public LanguageRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        runtime.close();
    }
}
