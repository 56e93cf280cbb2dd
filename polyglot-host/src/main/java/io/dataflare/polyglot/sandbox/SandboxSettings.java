package io.dataflare.polyglot.sandbox;

import io.dataflare.api.config.ConfigOption;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import java.util.List;
import java.util.Set;

/**
 * The sandbox keys of a script stage's {@code with:}: {@code timeout_ms}, the wall-clock limit of one call
 * (one batch), {@code statement_limit}, the guest statements one call may execute (0: no limit; counting
 * costs some speed, so it is off unless asked for), and {@code alloc_limit_mb}, the megabytes one call may
 * allocate (0, the default: a quarter of the JVM's maximum heap), which stops an allocation bomb before it
 * fills the heap that every context shares.
 *
 * @param timeoutMs      per-call time limit in milliseconds
 * @param statementLimit per-call statement budget, 0 for none
 * @param allocLimitMb   per-call allocation budget in MB, 0 for the default
 */
public record SandboxSettings(long timeoutMs, long statementLimit, long allocLimitMb) {
    public static final String TIMEOUT_MS = "timeout_ms";
    public static final String STATEMENT_LIMIT = "statement_limit";
    public static final String ALLOC_LIMIT_MB = "alloc_limit_mb";
    /** The option names, which a script's own config must not reuse. */
    public static final Set<String> KEYS = Set.of(TIMEOUT_MS, STATEMENT_LIMIT, ALLOC_LIMIT_MB);
    /** The default per-call time limit. */
    public static final long DEFAULT_TIMEOUT_MS = 1000;
    /** Defaults. */
    public static final SandboxSettings DEFAULTS = new SandboxSettings(DEFAULT_TIMEOUT_MS, 0, 0);

    /** Module initialisation (top-level code, imports) gets at least this long: Python imports take seconds. */
    private static final long MIN_INIT_TIMEOUT_MS = 30_000;

    public SandboxSettings {
        if (timeoutMs <= 0) throw new IllegalArgumentException(TIMEOUT_MS + " must be positive");
        if (statementLimit < 0) throw new IllegalArgumentException(STATEMENT_LIMIT + " must not be negative");
        if (allocLimitMb < 0) throw new IllegalArgumentException(ALLOC_LIMIT_MB + " must not be negative");
    }

    /** The settings in a validated stage config. */
    public static SandboxSettings from(PluginConfig config) {
        return new SandboxSettings(
                config.getLong(TIMEOUT_MS, DEFAULT_TIMEOUT_MS),
                config.getLong(STATEMENT_LIMIT, 0),
                config.getLong(ALLOC_LIMIT_MB, 0));
    }

    /** The allocation budget of one call in bytes. */
    public long allocLimitBytes() {
        return allocLimitMb > 0 ? allocLimitMb << 20 : Runtime.getRuntime().maxMemory() / 4;
    }

    /** The time limit for evaluating the script's top level when a context starts. */
    public long initTimeoutMs() {
        return Math.max(timeoutMs, MIN_INIT_TIMEOUT_MS);
    }

    /** The options every script component accepts. */
    public static List<ConfigOption> options() {
        return List.of(
                new ConfigOption(
                        TIMEOUT_MS,
                        ConfigType.LONG,
                        false,
                        DEFAULT_TIMEOUT_MS,
                        "time limit of one call (one batch) in milliseconds",
                        List.of()),
                new ConfigOption(
                        STATEMENT_LIMIT,
                        ConfigType.LONG,
                        false,
                        0L,
                        "guest statements one call may execute (0: no limit)",
                        List.of()),
                new ConfigOption(
                        ALLOC_LIMIT_MB,
                        ConfigType.LONG,
                        false,
                        0L,
                        "megabytes one call may allocate (0: a quarter of the JVM's maximum heap)",
                        List.of()));
    }
}
