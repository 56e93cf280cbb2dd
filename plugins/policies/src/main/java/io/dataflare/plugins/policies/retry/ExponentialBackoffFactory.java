package io.dataflare.plugins.policies.retry;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.api.policy.RetryPolicyFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.pf4j.Extension;

/**
 * The {@code exponential-backoff} retry policy, with AWS Step Functions' vocabulary: {@code max_attempts}
 * (total, first included), {@code interval_ms} (first delay), {@code backoff_rate}, {@code max_delay_ms},
 * {@code jitter} ({@code full} or {@code none}) and {@code retry_on} (error classes; default all but
 * {@code invalid_record}; {@code *} for all). {@code initial_ms}, {@code multiplier} and {@code max_ms} are
 * accepted as the older names of the same settings.
 */
@Extension
public final class ExponentialBackoffFactory implements RetryPolicyFactory {
    private static final String ALL = "*";

    @Override
    public String name() {
        return "exponential-backoff";
    }

    @Override
    public String description() {
        return "Retries failed calls with exponentially growing, jittered delays";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("max_attempts", ConfigType.LONG, 3L, "Attempts in all, the first included")
                .optional("interval_ms", ConfigType.LONG, null, "Delay before the first retry (default 100)")
                .optional("backoff_rate", ConfigType.DOUBLE, null, "Growth of the delay per attempt (default 2)")
                .optional("max_delay_ms", ConfigType.LONG, null, "Longest delay (default 5000)")
                .optional("initial_ms", ConfigType.LONG, null, "Older name of interval_ms")
                .optional("multiplier", ConfigType.DOUBLE, null, "Older name of backoff_rate")
                .optional("max_ms", ConfigType.LONG, null, "Older name of max_delay_ms")
                .oneOf("jitter", "full", List.of("full", "none"), "full: a uniform random delay up to the computed one")
                .optional(
                        "retry_on",
                        ConfigType.STRING_LIST,
                        null,
                        "Error classes to retry (io, timeout, plugin_error, limit, ...); default all but invalid_record; * for all")
                .build();
    }

    /** Each setting with its older name. */
    private static final String[][] ALIASES = {
        {"interval_ms", "initial_ms"}, {"backoff_rate", "multiplier"}, {"max_delay_ms", "max_ms"}
    };

    private static double setting(PluginConfig c, String name, String older, double fallback) {
        if (c.has(name)) return c.getDouble(name);
        return c.has(older) ? c.getDouble(older) : fallback;
    }

    @Override
    public void validate(PluginConfig c) {
        List<ConfigError> errors = new ArrayList<>();
        for (String[] a : ALIASES) {
            if (c.has(a[0]) && c.has(a[1]))
                errors.add(new ConfigError(a[1], "is the older name of " + a[0] + ": set only one of them"));
        }
        long attempts = c.getLong("max_attempts", 3);
        if (attempts < 1 || attempts > 1_000_000)
            errors.add(new ConfigError("max_attempts", "must be from 1 to 1000000, got " + attempts));
        double initial = setting(c, "interval_ms", "initial_ms", 100);
        if (initial < 0)
            errors.add(new ConfigError(
                    c.has("initial_ms") ? "initial_ms" : "interval_ms", "must not be negative, got " + (long) initial));
        double max = setting(c, "max_delay_ms", "max_ms", 5000);
        if (max < initial) {
            errors.add(new ConfigError(
                    c.has("max_ms") ? "max_ms" : "max_delay_ms",
                    "must be at least the first delay (" + (long) initial + "), got " + (long) max));
        }
        double multiplier = setting(c, "backoff_rate", "multiplier", 2.0);
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            errors.add(new ConfigError(
                    c.has("multiplier") ? "multiplier" : "backoff_rate", "must be 1 or more, got " + multiplier));
        }
        for (String cls : c.<String>getList("retry_on")) {
            if (cls.isBlank()) errors.add(new ConfigError("retry_on", "has an empty error class"));
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public RetryPolicy create(PluginContext ctx) {
        PluginConfig c = ctx.config();
        List<String> retryOn = c.getList("retry_on");
        Set<String> classes = !c.has("retry_on") || retryOn.contains(ALL) ? null : Set.copyOf(retryOn);
        Set<String> exclude = c.has("retry_on") ? Set.of() : Set.of(ErrorClass.INVALID_RECORD);
        SplittableRandom random = new SplittableRandom();
        return new ExponentialBackoff(
                c.getInt("max_attempts", 3),
                (long) setting(c, "interval_ms", "initial_ms", 100),
                (long) setting(c, "max_delay_ms", "max_ms", 5000),
                setting(c, "backoff_rate", "multiplier", 2.0),
                "full".equals(c.getString("jitter", "full")),
                classes,
                exclude,
                random::nextDouble);
    }
}
