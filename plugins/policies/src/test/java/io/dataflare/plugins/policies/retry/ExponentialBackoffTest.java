package io.dataflare.plugins.policies.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.tck.SimplePluginContext;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {
    private final ExponentialBackoffFactory factory = new ExponentialBackoffFactory();

    private RetryPolicy policy(Map<String, ?> config) {
        return factory.create(SimplePluginContext.of(factory, config, null));
    }

    private static Failure failure(String errorClass, int attempts) {
        return new Failure(errorClass, "boom", null, attempts, "stage", "p@1.0.0");
    }

    private static Optional<Long> delayMs(RetryPolicy p, String cls, int attempts) {
        return p.nextDelay(failure(cls, attempts)).map(Duration::toMillis);
    }

    @Test
    void delaysGrowByTheMultiplierUntilMaxAttempts() {
        RetryPolicy p = policy(Map.of("max_attempts", 4, "initial_ms", 100, "jitter", "none"));
        assertThat(delayMs(p, "io", 1)).contains(100L);
        assertThat(delayMs(p, "io", 2)).contains(200L);
        assertThat(delayMs(p, "io", 3)).contains(400L);
        assertThat(delayMs(p, "io", 4)).isEmpty();
    }

    @Test
    void delaysAreCappedAtMaxMs() {
        RetryPolicy p = policy(
                Map.of("max_attempts", 10, "initial_ms", 1000, "max_ms", 5000, "multiplier", 10, "jitter", "none"));
        assertThat(delayMs(p, "io", 1)).contains(1000L);
        assertThat(delayMs(p, "io", 2)).contains(5000L);
        assertThat(delayMs(p, "io", 9)).contains(5000L);
    }

    @Test
    void fullJitterPicksUniformlyUpToTheComputedDelay() {
        RetryPolicy half = new ExponentialBackoff(5, 100, 5000, 2.0, true, null, Set.of(), () -> 0.5);
        assertThat(delayMs(half, "io", 3)).contains(200L);
        RetryPolicy p = policy(Map.of("max_attempts", 5, "initial_ms", 1000));
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long d = delayMs(p, "io", 2).orElseThrow();
            assertThat(d).isBetween(0L, 2000L);
            seen.add(d);
        }
        assertThat(seen).hasSizeGreaterThan(50);
    }

    @Test
    void retriesEveryClassButInvalidRecordByDefault() {
        RetryPolicy p = policy(Map.of());
        assertThat(delayMs(p, "io", 1)).isPresent();
        assertThat(delayMs(p, "plugin_error", 1)).isPresent();
        assertThat(delayMs(p, "invalid_record", 1)).isEmpty();
        assertThat(delayMs(p, "io", 3)).isEmpty();
    }

    @Test
    void retryOnLimitsTheClassesAndStarMeansAll() {
        RetryPolicy only = policy(Map.of("retry_on", List.of("timeout")));
        assertThat(delayMs(only, "timeout", 1)).isPresent();
        assertThat(delayMs(only, "io", 1)).isEmpty();
        RetryPolicy all = policy(Map.of("retry_on", "*"));
        assertThat(delayMs(all, "invalid_record", 1)).isPresent();
    }

    @Test
    void inconsistentOptionsAreRejected() {
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("initial_ms", 500, "max_ms", 100), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_ms");
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("max_attempts", 0), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_attempts");
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("jitter", "some"), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jitter");
    }

    @Test
    void stepFunctionsNamesWorkAndConflictWithTheirOlderNames() {
        RetryPolicy p = policy(Map.of(
                "max_attempts",
                5,
                "interval_ms",
                50,
                "backoff_rate",
                3,
                "max_delay_ms",
                400,
                "jitter",
                "none",
                "retry_on",
                List.of("io", "timeout")));
        assertThat(delayMs(p, "io", 1)).contains(50L);
        assertThat(delayMs(p, "timeout", 2)).contains(150L);
        assertThat(delayMs(p, "io", 3)).contains(400L);
        assertThat(delayMs(p, "plugin_error", 1)).isEmpty();
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("interval_ms", 10, "initial_ms", 10), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'initial_ms' is the older name of interval_ms");
    }
}
