package io.dataflare.engine.runtime.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LoadRateTest {
    private static final long MS = 1_000_000L;

    @Test
    void theFormulaWeighsBusyQueueAndLatencyAndCapsEachTerm() {
        assertThat(LoadRate.of(0, 0, 0)).isZero();
        assertThat(LoadRate.of(1, 1000, 100)).isCloseTo(1.0, within(1e-9));
        assertThat(LoadRate.of(1, 50_000, 10_000)).as("terms capped").isCloseTo(1.0, within(1e-9));
        assertThat(LoadRate.of(0.5, 500, 50)).isCloseTo(0.25 + 0.15 + 0.1, within(1e-9));
        assertThat(LoadRate.of(0.8, 0, 20)).isCloseTo(0.4 + 0 + 0.04, within(1e-9));
    }

    @Test
    void busyOverTotalIsTheInstancesTimeInThePluginSinceTheOldestBatch() {
        LoadRate l = new LoadRate(100);
        // two instances, each busy 50 ms of the 100 ms since t=0
        l.batch(50 * MS, 50 * MS);
        l.batch(100 * MS, 50 * MS);
        l.batch(50 * MS, 50 * MS);
        l.batch(100 * MS, 50 * MS);
        assertThat(l.busyFraction(100 * MS, 2)).isCloseTo(1.0, within(1e-9));
        assertThat(l.busyFraction(100 * MS, 4)).isCloseTo(0.5, within(1e-9));
        assertThat(l.averageLatencyMs()).isCloseTo(50, within(1e-9));
        // no batches for another 300 ms: the stage cools down
        assertThat(l.busyFraction(400 * MS, 2)).isCloseTo(0.25, within(1e-9));
        assertThat(l.at(400 * MS, 2, 200)).isCloseTo(0.5 * 0.25 + 0.3 * 0.2 + 0.2 * 0.5, within(1e-9));
    }

    @Test
    void onlyTheLastBatchesOfTheWindowCount() {
        LoadRate l = new LoadRate(2);
        l.batch(10 * MS, 10 * MS); // pushed out
        l.batch(100 * MS, 90 * MS);
        l.batch(200 * MS, 90 * MS);
        assertThat(l.batches()).isEqualTo(2);
        assertThat(l.averageLatencyMs()).isCloseTo(90, within(1e-9));
        assertThat(l.busyFraction(200 * MS, 1)).isCloseTo(180.0 / 190, within(1e-9));
        l.clear();
        assertThat(l.at(300 * MS, 1, 0)).isZero();
    }
}
