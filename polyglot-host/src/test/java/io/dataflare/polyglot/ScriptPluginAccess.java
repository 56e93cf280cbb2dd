package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.plugin.LoadedPlugin;
import io.dataflare.polyglot.plugin.ScriptProcessorFactory;

/** Looks inside a loaded script plugin. */
final class ScriptPluginAccess {
    private ScriptPluginAccess() {
    }

    static void assertOpenInstances(LoadedPlugin p, int n) {
        assertThat(((ScriptProcessorFactory) p.components().get(0)).plugin().openInstances()).isEqualTo(n);
    }
}
