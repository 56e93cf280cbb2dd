package io.dataflare.polyglot;

import io.dataflare.polyglot.runtime.ScriptLanguage;

/** Loads {@code .js} and {@code .mjs} plugins (ES modules) into GraalJS. */
public final class JavaScriptHost extends ScriptHost {
    public JavaScriptHost() {
        super(ScriptLanguage.JAVASCRIPT);
    }
}
