package io.dataflare.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyGroupsTest {
    @Test
    void equalKeysShareAGroupByValueAndGroupsSpreadEvenly() {
        assertThat(KeyGroups.of(new byte[] {1, 2}, 128)).isEqualTo(KeyGroups.of(new byte[] {1, 2}, 128));
        assertThat(KeyGroups.of("AAPL", 128)).isEqualTo(KeyGroups.of(new String("AAPL"), 128));
        assertThat(KeyGroups.of(null, 128)).isZero();
        Map<Integer, Integer> sizes = new HashMap<>();
        for (long k = 0; k < 128_000; k++) sizes.merge(KeyGroups.of(k, 128), 1, Integer::sum);
        assertThat(sizes).hasSize(128);
        assertThat(sizes.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
    }

    @Test
    void contiguousRangesCoverEveryInstance() {
        Map<Integer, Integer> owned = new HashMap<>();
        for (int g = 0; g < 128; g++) owned.merge(KeyGroups.instanceOf(g, 128, 3), 1, Integer::sum);
        assertThat(owned).containsOnlyKeys(0, 1, 2);
        assertThat(owned.values()).allSatisfy(n -> assertThat(n).isBetween(42, 43));
        assertThat(KeyGroups.instanceOf(0, 128, 4)).isZero();
        assertThat(KeyGroups.instanceOf(127, 128, 4)).isEqualTo(3);
    }
}
