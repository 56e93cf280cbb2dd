package io.dataflare.workflow.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.TestTasks;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.interpreter.EventType;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.dataflare.workflow.interpreter.VirtualClock;
import io.dataflare.workflow.validation.Definitions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finished executions older than the retention period lose their history; the others keep it. */
class HistoryRetentionTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aSweepDeletesOnlyFinishedHistoriesOlderThanTheRetention() throws Exception {
        StateMachine m = Definitions.parse(
                "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}",
                "p.json",
                false,
                TestTasks.CHECK);
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            StoreHistory h = new StoreHistory(store);
            // ended at T0, at T0 + 20 days; one started at T0 still running
            new DurableWorkflows(h, new TestTasks(), new VirtualClock(T0)).run(m, "old", MAPPER.createObjectNode());
            new DurableWorkflows(h, new TestTasks(), new VirtualClock(T0.plus(Duration.ofDays(20))))
                    .run(m, "recent", MAPPER.createObjectNode());
            h.append(
                    "running",
                    0,
                    HistoryEvent.of(EventType.ExecutionStarted, "", null)
                            .withExecution("running")
                            .withInput(MAPPER.createObjectNode())
                            .numbered(1, T0));
            HistoryRetention retention = new HistoryRetention(h, Duration.ofDays(30));
            List<String> told = new ArrayList<>();

            assertThat(retention.sweep(T0.plus(Duration.ofDays(29)), told::add)).isEmpty();
            assertThat(retention.sweep(T0.plus(Duration.ofDays(31)), told::add)).containsExactly("old");
            assertThat(told).containsExactly("old");
            assertThat(h.read("old")).isEmpty();
            assertThat(h.snapshot("old")).isEmpty();
            assertThat(h.statuses()).containsOnlyKeys("recent", "running");
            assertThat(h.read("recent")).isNotEmpty();

            // 100 days on: the recent one goes too, the running one never
            assertThat(retention.sweep(T0.plus(Duration.ofDays(100)), n -> {})).containsExactly("recent");
            assertThat(h.statuses()).containsOnlyKeys("running");
            assertThat(h.statuses().get("running")).isEqualTo(ExecutionStatus.RUNNING);
            assertThat(h.read("running")).hasSize(1);
        }
        // deleted for good: another store instance sees the same
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            StoreHistory h = new StoreHistory(store);
            assertThat(h.statuses()).containsOnlyKeys("running");
            assertThat(h.read("old")).isEmpty();
        }
    }

    @Test
    void theRetentionMustBePositive() {
        try (StateStore store = new FileStateStore(dir.resolve("s"))) {
            assertThatThrownBy(() -> new HistoryRetention(new StoreHistory(store), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
