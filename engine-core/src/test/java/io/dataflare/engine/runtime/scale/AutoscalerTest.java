package io.dataflare.engine.runtime.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.pipeline.ElasticParallelism;
import org.junit.jupiter.api.Test;

class AutoscalerTest {
    private static final long S = 1_000_000_000L;
    private final Autoscaler a = new Autoscaler(ElasticParallelism.Autoscale.DEFAULTS);

    @Test
    void scalesUpOnlyAfterTheLoadStayedHighForTheWholeWindow() {
        assertThat(a.decide(0.9, 2, 2, 40, 0)).isEqualTo(2);
        assertThat(a.decide(0.9, 2, 2, 40, 29 * S)).isEqualTo(2);
        assertThat(a.decide(0.9, 2, 2, 40, 30 * S)).as("+2 below 10").isEqualTo(4);
        // the window starts again after a decision
        assertThat(a.decide(0.9, 4, 2, 40, 31 * S)).isEqualTo(4);
        assertThat(a.decide(0.9, 4, 2, 40, 61 * S)).isEqualTo(6);
    }

    @Test
    void aDipBelowTheThresholdRestartsTheWindow() {
        a.decide(0.9, 2, 2, 40, 0);
        a.decide(0.5, 2, 2, 40, 20 * S);
        assertThat(a.decide(0.9, 2, 2, 40, 31 * S)).isEqualTo(2);
        assertThat(a.decide(0.9, 2, 2, 40, 61 * S)).isEqualTo(4);
    }

    @Test
    void stepsAreTwentyPercentFromTenAndNeverPassTheMaximum() {
        ElasticParallelism.Autoscale s = ElasticParallelism.Autoscale.DEFAULTS;
        assertThat(s.up(9, 100)).isEqualTo(11);
        assertThat(s.up(10, 100)).isEqualTo(12);
        assertThat(s.up(20, 100)).isEqualTo(24);
        assertThat(s.up(11, 100)).as("20% of 11 rounded up").isEqualTo(14);
        assertThat(s.up(7, 8)).isEqualTo(8);
        a.decide(0.95, 8, 1, 8, 0);
        assertThat(a.decide(0.95, 8, 1, 8, 60 * S)).as("at the maximum").isEqualTo(8);
    }

    @Test
    void scalesDownOneStepAfterFiveQuietMinutesNotBelowTheFloor() {
        assertThat(a.decide(0.1, 5, 3, 10, 0)).isEqualTo(5);
        assertThat(a.decide(0.1, 5, 3, 10, 299 * S)).isEqualTo(5);
        assertThat(a.decide(0.1, 5, 3, 10, 300 * S)).isEqualTo(4);
        // the next window starts with the next look
        assertThat(a.decide(0.1, 4, 3, 10, 301 * S)).isEqualTo(4);
        assertThat(a.decide(0.1, 4, 3, 10, 601 * S)).isEqualTo(3);
        assertThat(a.decide(0.1, 3, 3, 10, 900 * S)).isEqualTo(3);
        assertThat(a.decide(0.1, 3, 3, 10, 1200 * S)).isEqualTo(3);
    }

    @Test
    void aLoadBetweenTheThresholdsChangesNothing() {
        for (int i = 0; i <= 1000; i++)
            assertThat(a.decide(0.5, 4, 1, 10, i * S)).isEqualTo(4);
    }
}
