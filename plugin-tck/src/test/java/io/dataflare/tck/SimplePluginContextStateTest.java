package io.dataflare.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.PluginContext;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.api.state.StateType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimplePluginContextStateTest {
    private static final ProcessorFactory FACTORY = new ProcessorFactory() {
        @Override
        public String name() {
            return "counter";
        }

        @Override
        public Processor create(PluginContext context) {
            return b -> b;
        }
    };

    private final SimplePluginContext ctx = SimplePluginContext.of(FACTORY, Map.of(), Path.of("."));

    @Test
    void stateKeepsValuesAcrossCallsAndContextsOfTheSameInstance() {
        ctx.state().value("count", StateType.longs()).put("a", 3L);
        assertThat(ctx.state().value("count", StateType.longs()).get("a")).isEqualTo(3L);
        assertThat(ctx.withClock(Clock.systemUTC())
                        .state()
                        .value("count", StateType.longs())
                        .get("a"))
                .isEqualTo(3L);
        assertThat(ctx.asInstance(1, 2)
                        .state()
                        .value("count", StateType.longs())
                        .get("a"))
                .as("another instance has its own state")
                .isNull();
    }

    @Test
    void aFixedClockLetsATestExpireState() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        SimplePluginContext early = ctx.withClock(Clock.fixed(t0, ZoneOffset.UTC));
        early.state().value("seen", StateType.string(), Duration.ofMinutes(1)).put("id-1", "x");
        SimplePluginContext later = ctx.withClock(Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC));
        assertThat(early.state()
                        .value("seen", StateType.string(), Duration.ofMinutes(1))
                        .get("id-1"))
                .isEqualTo("x");
        assertThat(later.state()
                        .value("seen", StateType.string(), Duration.ofMinutes(1))
                        .get("id-1"))
                .isNull();
    }
}
