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
 * The {@code exponential-backoff} retry policy: {@code max_attempts} (total, first included),
 * {@code initial_ms}, {@code max_ms}, {@code multiplier}, {@code jitter} ({@code full} or {@code none})
 * and {@code retry_on} (error classes; default all but {@code invalid_record}; {@code *} for all).
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
                .optional("initial_ms", ConfigType.LONG, 100L, "Delay before the first retry")
                .optional("max_ms", ConfigType.LONG, 5000L, "Longest delay")
                .optional("multiplier", ConfigType.DOUBLE, 2.0, "Growth of the delay per attempt")
                .oneOf("jitter", "full", List.of("full", "none"), "full: a uniform random delay up to the computed one")
                .optional("retry_on", ConfigType.STRING_LIST, null,
                        "Error classes to retry (io, timeout, plugin_error, limit, ...); default all but invalid_record; * for all")
                .build();
    }

    @Override
    public void validate(PluginConfig c) {
        List<ConfigError> errors = new ArrayList<>();
        long attempts = c.getLong("max_attempts", 3);
        if (attempts < 1 || attempts > 1_000_000) errors.add(new ConfigError("max_attempts", "must be from 1 to 1000000, got " + attempts));
        long initial = c.getLong("initial_ms", 100);
        if (initial < 0) errors.add(new ConfigError("initial_ms", "must not be negative, got " + initial));
        long max = c.getLong("max_ms", 5000);
        if (max < initial) errors.add(new ConfigError("max_ms", "must be at least initial_ms (" + initial + "), got " + max));
        double multiplier = c.getDouble("multiplier", 2.0);
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            errors.add(new ConfigError("multiplier", "must be 1 or more, got " + multiplier));
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
        return new ExponentialBackoff(c.getInt("max_attempts", 3), c.getLong("initial_ms", 100), c.getLong("max_ms", 5000),
                c.getDouble("multiplier", 2.0), "full".equals(c.getString("jitter", "full")), classes, exclude,
                random::nextDouble);
    }
}
