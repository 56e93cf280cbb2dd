package io.dataflare.wasm.sandbox;

import java.util.Locale;

/** How a module's code runs: compiled to JVM bytecode (the default) or interpreted. */
public enum ExecutionMode {
    COMPILED,
    INTERPRETED;

    /** The name used in {@code with: { mode: ... }}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label. */
    public static ExecutionMode of(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
