package io.dataflare.polyglot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.polyglot.sandbox.SandboxSettings;
import java.io.ByteArrayOutputStream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedEnginesTest {
    @AfterEach
    void unset() {
        System.clearProperty(LanguageRuntime.SHARED_ENGINES_PROPERTY);
    }

    @Test
    void eachRuntimeHasItsOwnEngineByDefault() {
        try (LanguageRuntime a = new LanguageRuntime(ScriptLanguage.JAVASCRIPT);
                LanguageRuntime b = new LanguageRuntime(ScriptLanguage.JAVASCRIPT)) {
            assertThat(a.engine()).isNotSameAs(b.engine());
        }
    }

    @Test
    void aLongLivedJvmKeepsOneEnginePerLanguageAcrossRuntimesAndTheirClosing() {
        System.setProperty(LanguageRuntime.SHARED_ENGINES_PROPERTY, "true");
        Engine first;
        try (LanguageRuntime a = new LanguageRuntime(ScriptLanguage.JAVASCRIPT)) {
            first = a.engine();
        }
        try (LanguageRuntime b = new LanguageRuntime(ScriptLanguage.JAVASCRIPT)) {
            assertThat(b.engine()).isSameAs(first);
            // still usable after the first runtime closed: a later command's scripts run on it
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (Context c = b.newContext(SandboxSettings.DEFAULTS, out, out)) {
                assertThat(c.eval("js", "6 * 7").asInt()).isEqualTo(42);
            }
        }
    }
}
