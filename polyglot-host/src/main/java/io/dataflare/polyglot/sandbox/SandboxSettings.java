package io.dataflare.polyglot.sandbox;

import io.dataflare.api.config.ConfigOption;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import java.util.List;
import java.util.Set;

/**
 * The sandbox keys of a script stage's {@code with:}: {@code timeout_ms}, the wall-clock limit of one call
 * (one batch), and {@code statement_limit}, the guest statements one call may execute (0: no limit; counting
 * costs some speed, so it is off unless asked for).
 *
 * @param timeoutMs      per-call time limit in milliseconds
 * @param statementLimit per-call statement budget, 0 for none
 */
public record SandboxSettings(long timeoutMs, long statementLimit) {
    public static final String TIMEOUT_MS = "timeout_ms";
    public static final String STATEMENT_LIMIT = "statement_limit";
    /** The option names, which a script's own config must not reuse. */
    public static final Set<String> KEYS = Set.of(TIMEOUT_MS, STATEMENT_LIMIT);
    /** The default per-call time limit. */
    public static final long DEFAULT_TIMEOUT_MS = 1000;
    /** Defaults. */
    public static final SandboxSettings DEFAULTS = new SandboxSettings(DEFAULT_TIMEOUT_MS, 0);

    /** Module initialisation (top-level code, imports) gets at least this long: Python imports take seconds. */
    private static final long MIN_INIT_TIMEOUT_MS = 30_000;

    public SandboxSettings {
        if (timeoutMs <= 0) throw new IllegalArgumentException(TIMEOUT_MS + " must be positive");
        if (statementLimit < 0) throw new IllegalArgumentException(STATEMENT_LIMIT + " must not be negative");
    }

    /** The settings in a validated stage config. */
    public static SandboxSettings from(PluginConfig config) {
        return new SandboxSettings(config.getLong(TIMEOUT_MS, DEFAULT_TIMEOUT_MS), config.getLong(STATEMENT_LIMIT, 0));
    }

    /** The time limit for evaluating the script's top level when a context starts. */
    public long initTimeoutMs() {
        return Math.max(timeoutMs, MIN_INIT_TIMEOUT_MS);
    }

    /** The options every script component accepts. */
    public static List<ConfigOption> options() {
        return List.of(
                new ConfigOption(TIMEOUT_MS, ConfigType.LONG, false, DEFAULT_TIMEOUT_MS,
                        "time limit of one call (one batch) in milliseconds", List.of()),
                new ConfigOption(STATEMENT_LIMIT, ConfigType.LONG, false, 0L,
                        "guest statements one call may execute (0: no limit)", List.of()));
    }
}
