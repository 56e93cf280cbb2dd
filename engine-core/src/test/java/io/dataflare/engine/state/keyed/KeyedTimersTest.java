package io.dataflare.engine.state.keyed;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.state.FiredTimer;
import io.dataflare.api.state.TimeDomain;
import io.dataflare.engine.state.KeyGroups;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Timers kept in a keyed store: order, one per key and time, and an index rebuilt from the store. */
class KeyedTimersTest {
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);
    private final HeapKeyedStore store = new HeapKeyedStore();
    private final KeyedTimers timers = new KeyedTimers(store, clock);

    @Test
    void dueTimersComeInTimeOrderOncePerKeyAndTimeAndAreDeleted() {
        timers.registerEventTimer("b", 30);
        timers.registerEventTimer("a", 10);
        timers.registerEventTimer("a", 10); // the same timer
        timers.registerEventTimer(7, 20); // an Integer key comes back as a Long
        timers.registerEventTimer("c", 40);
        timers.deleteEventTimer("c", 40);
        timers.registerProcessingTimer("p", 900);
        timers.registerProcessingTimer("q", 1_001); // not due: the clock is at 1000
        timers.advanceWatermark(35);
        timers.advanceWatermark(5); // never back
        assertThat(timers.currentWatermark()).isEqualTo(35);
        assertThat(timers.takeDue())
                .containsExactly(
                        new FiredTimer("a", 10, TimeDomain.EVENT_TIME),
                        new FiredTimer(7L, 20, TimeDomain.EVENT_TIME),
                        new FiredTimer("b", 30, TimeDomain.EVENT_TIME),
                        new FiredTimer("p", 900, TimeDomain.PROCESSING_TIME));
        assertThat(timers.takeDue()).isEmpty();
        assertThat(timers.nextProcessingTime()).isEqualTo(1_001);
        timers.advanceWatermark(Long.MAX_VALUE);
        assertThat(timers.takeDue()).as("'c' was deleted").isEmpty();
    }

    @Test
    void theIndexAndTheWatermarkAreRebuiltFromTheStore() {
        timers.registerEventTimer("a", 10);
        timers.registerProcessingTimer("b", 5);
        timers.advanceWatermark(3);
        timers.flush();
        KeyedTimers restored = new KeyedTimers(store, clock); // as after a restore of the store
        assertThat(restored.nextProcessingTime()).as("stale until first used").isEqualTo(Long.MIN_VALUE);
        assertThat(restored.currentWatermark()).isEqualTo(3);
        assertThat(restored.nextProcessingTime()).isEqualTo(5);
        restored.advanceWatermark(10);
        assertThat(restored.takeDue())
                .containsExactly(
                        new FiredTimer("b", 5, TimeDomain.PROCESSING_TIME),
                        new FiredTimer("a", 10, TimeDomain.EVENT_TIME));
    }

    @Test
    void timersMoveWithTheirKeyGroup() {
        HeapKeyedStore other = new HeapKeyedStore();
        KeyedTimers target = new KeyedTimers(other, clock);
        target.advanceWatermark(0); // builds its (empty) index
        int groupA = KeyGroups.of("a", KeyGroups.DEFAULT_COUNT);
        String b = "b";
        for (int i = 0; KeyGroups.of(b, KeyGroups.DEFAULT_COUNT) == groupA; i++) b = "b" + i; // another group
        timers.registerEventTimer("a", 10);
        timers.registerEventTimer(b, 10);
        Set<Integer> groupOfA = Set.of(groupA);
        other.importEntries(store.exportGroups(groupOfA));
        store.dropGroups(groupOfA);
        timers.invalidate();
        target.invalidate();
        timers.advanceWatermark(100);
        target.advanceWatermark(100);
        List<FiredTimer> left = timers.takeDue();
        List<FiredTimer> moved = target.takeDue();
        assertThat(moved).containsExactly(new FiredTimer("a", 10, TimeDomain.EVENT_TIME));
        assertThat(left).containsExactly(new FiredTimer(b, 10, TimeDomain.EVENT_TIME));
    }
}
