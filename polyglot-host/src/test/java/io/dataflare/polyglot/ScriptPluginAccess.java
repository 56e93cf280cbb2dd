package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.polyglot.plugin.ScriptProcessorFactory;

/** Looks inside a loaded script plugin. */
final class ScriptPluginAccess {
    private ScriptPluginAccess() {}

    /** The plugin's factory, taken while it is loaded (a closed LoadedPlugin lists no components). */
    static ScriptProcessorFactory factory(LoadedPlugin p) {
        return (ScriptProcessorFactory) p.components().get(0);
    }

    static void assertOpenInstances(ScriptProcessorFactory f, int n) {
        assertThat(f.plugin().openInstances()).isEqualTo(n);
    }
}
