package io.dataflare.engine.state.keyed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.state.ListState;
import io.dataflare.api.state.MapState;
import io.dataflare.api.state.StateType;
import io.dataflare.api.state.ValueState;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyedStateAccessTest {
    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final HeapKeyedStore store = new HeapKeyedStore();
    private final KeyedStateAccess state = new KeyedStateAccess(store, clock);

    @Test
    void valuesAreKeptPerKeyAndPerName() {
        ValueState<Long> count = state.value("count", StateType.longs());
        ValueState<Long> other = state.value("other", StateType.longs());
        count.put("a", 1L);
        count.put("b", 2L);
        other.put("a", 10L);
        assertThat(count.get("a")).isEqualTo(1L);
        assertThat(count.get("b")).isEqualTo(2L);
        assertThat(other.get("a")).isEqualTo(10L);
        assertThat(count.get("c")).isNull();
        assertThat(count.getOrDefault("c", 7L)).isEqualTo(7L);
        count.delete("a");
        assertThat(count.get("a")).isNull();
        count.put("b", null);
        assertThat(count.get("b")).isNull();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void integerAndLongKeysOfOneValueAreOneKey() {
        ValueState<String> s = state.value("s", StateType.string());
        s.put(5, "five");
        assertThat(s.get(5L)).isEqualTo("five");
    }

    @Test
    void aValueExpiresItsTtlAfterItsLastWrite() {
        ValueState<String> seen = state.value("seen", StateType.string(), Duration.ofSeconds(10));
        seen.put("a", "x");
        clock.now = clock.now.plusSeconds(9);
        assertThat(seen.get("a")).isEqualTo("x");
        seen.put("a", "y"); // rewriting restarts the TTL
        clock.now = clock.now.plusSeconds(9);
        assertThat(seen.get("a")).isEqualTo("y");
        clock.now = clock.now.plusSeconds(1);
        assertThat(seen.get("a")).isNull();
        assertThat(store.size()).as("an expired value read is deleted").isZero();
    }

    @Test
    void theDefaultTtlAppliesToStatesWithoutTheirOwn() {
        KeyedStateAccess withDefault = new KeyedStateAccess(store, clock, 1_000);
        ValueState<String> v = withDefault.value("v", StateType.string());
        ValueState<String> own = withDefault.value("own", StateType.string(), Duration.ofSeconds(5));
        v.put("a", "x");
        own.put("a", "x");
        clock.now = clock.now.plusMillis(1_000);
        assertThat(v.get("a")).isNull();
        assertThat(own.get("a")).isEqualTo("x");
    }

    @Test
    void listsAppendInOrderAndClear() {
        ListState<Double> prices = state.list("prices", StateType.doubles());
        assertThat(prices.get("s")).isEmpty();
        prices.add("s", 1.5);
        prices.add("s", 2.5);
        prices.add("t", 9.0);
        assertThat(prices.get("s")).containsExactly(1.5, 2.5);
        prices.update("s", List.of(2.5, 3.5, 4.5));
        assertThat(prices.get("s")).containsExactly(2.5, 3.5, 4.5);
        prices.clear("s");
        assertThat(prices.get("s")).isEmpty();
        assertThat(prices.get("t")).containsExactly(9.0);
    }

    @Test
    void mapEntriesArePerKeyAndEntriesListsOnlyThatKeysMap() {
        MapState<String, Object> m = state.map("m", StateType.string(), StateType.json());
        m.put("k", "a", 1L);
        m.put("k", "b", Map.of("x", "y"));
        // "k1" starts with "k": its entries must not show in the map of "k"
        m.put("k1", "a", 99L);
        assertThat(m.get("k", "a")).isEqualTo(1L);
        assertThat(m.entries("k")).containsOnlyKeys("a", "b");
        assertThat(m.entries("k1")).containsExactly(Map.entry("a", 99L));
        m.remove("k", "a");
        assertThat(m.entries("k")).containsOnlyKeys("b");
        m.clear("k");
        assertThat(m.entries("k")).isEmpty();
        assertThat(m.get("k1", "a")).isEqualTo(99L);
    }

    @Test
    void mapEntriesExpireOneByOne() {
        MapState<String, String> m = state.map("m", StateType.string(), StateType.string(), Duration.ofSeconds(10));
        m.put("k", "old", "1");
        clock.now = clock.now.plusSeconds(5);
        m.put("k", "new", "2");
        clock.now = clock.now.plusSeconds(5);
        assertThat(m.entries("k")).containsExactly(Map.entry("new", "2"));
    }

    @Test
    void operatorStateIsOneValueOutsideEveryKeyGroup() {
        var total = state.operator("total", StateType.longs());
        total.put(42L);
        assertThat(total.get()).isEqualTo(42L);
        Set<Integer> all = new java.util.HashSet<>();
        for (int g = 0; g < 128; g++) all.add(g);
        assertThat(store.exportGroups(all)).isEmpty();
        total.delete();
        assertThat(total.get()).isNull();
    }

    @Test
    void jsonValuesRoundTrip() {
        ValueState<Object> v = state.value("v", StateType.json());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("n", 1L);
        doc.put("d", 2.5);
        doc.put("dec", new BigDecimal("12.340"));
        doc.put("s", "text");
        doc.put("t", Instant.parse("2026-03-04T05:06:07.123Z"));
        doc.put("l", List.of(true, false));
        doc.put("null", null);
        v.put("k", doc);
        assertThat(v.get("k")).isEqualTo(doc);
        assertThatThrownBy(() -> v.put("k", new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object is not a JSON-compatible state value");
    }

    @Test
    void keyGroupsExportToAnotherStoreAndDropFromThisOne() {
        ValueState<Long> count = state.value("count", StateType.longs());
        for (int i = 0; i < 1000; i++) count.put("key" + i, (long) i);
        Set<Integer> moving = Set.of(StateKeys.groupOf("key7"), StateKeys.groupOf("key42"));
        var exported = store.exportGroups(moving);

        HeapKeyedStore target = new HeapKeyedStore();
        target.importEntries(exported);
        store.dropGroups(moving);
        ValueState<Long> there = new KeyedStateAccess(target, clock).value("count", StateType.longs());
        for (int i = 0; i < 1000; i++) {
            String k = "key" + i;
            boolean moved = moving.contains(StateKeys.groupOf(k));
            assertThat(there.get(k)).isEqualTo(moved ? (Long) (long) i : null);
            assertThat(count.get(k)).isEqualTo(moved ? null : (Long) (long) i);
        }
        assertThat(target.size() + store.size()).isEqualTo(1000);
    }
}
