package io.dataflare.engine.runtime.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdaptiveBatchSizeTest {
    @Test
    void fullBatchesGrowItAdditivelyUpToTheMaximum() {
        AdaptiveBatchSize s = new AdaptiveBatchSize(1000, 10, 1250, 100);
        s.sent(1000, true);
        assertThat(s.size()).isEqualTo(1100);
        s.sent(1100, true);
        assertThat(s.size()).isEqualTo(1200);
        s.sent(1200, true);
        assertThat(s.size()).isEqualTo(1250);
        s.sent(1250, true);
        assertThat(s.size()).isEqualTo(1250);
    }

    @Test
    void aShortBatchHalvesItDownToTheMinimum() {
        AdaptiveBatchSize s = new AdaptiveBatchSize(1000, 100, 5000, 100);
        s.sent(3, false);
        assertThat(s.size()).isEqualTo(500);
        s.sent(3, false);
        s.sent(3, false);
        assertThat(s.size()).isEqualTo(125);
        s.sent(3, false);
        assertThat(s.size()).isEqualTo(100);
        s.sent(3, false);
        assertThat(s.size()).isEqualTo(100);
    }

    @Test
    void itSawtoothsBetweenLoadAndQuiet() {
        AdaptiveBatchSize s = new AdaptiveBatchSize(400, 1, 10_000, 100);
        for (int i = 0; i < 10; i++) s.sent(s.size(), true);
        assertThat(s.size()).isEqualTo(1400);
        s.sent(10, false);
        assertThat(s.size()).isEqualTo(700);
        s.sent(700, true);
        assertThat(s.size()).isEqualTo(800);
    }

    @Test
    void theInitialSizeIsBroughtWithinTheBoundsAndBadBoundsAreRefused() {
        assertThat(new AdaptiveBatchSize(5, 10, 20, 1).size()).isEqualTo(10);
        assertThat(new AdaptiveBatchSize(50, 10, 20, 1).size()).isEqualTo(20);
        assertThatThrownBy(() -> new AdaptiveBatchSize(5, 10, 5, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
