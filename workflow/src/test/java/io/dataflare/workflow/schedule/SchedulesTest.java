package io.dataflare.workflow.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.schedule.Schedules.Missed;
import io.dataflare.workflow.schedule.Schedules.Schedule;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cron schedules on a controllable clock: runs on time, and each missed-run policy after a downtime. */
class SchedulesTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Instant CREATED = Instant.parse("2026-03-01T00:00:30Z");

    @TempDir
    Path dir;

    /** Starts by name idempotently, as the server does: a name started twice is one execution. */
    static final class Recorder implements Schedules.Starter {
        final Set<String> started = new LinkedHashSet<>();
        final List<JsonNode> inputs = new ArrayList<>();

        @Override
        public void start(String workflow, String execution, JsonNode input) {
            assertThat(workflow).isEqualTo("report");
            if (started.add(execution)) inputs.add(input);
        }
    }

    static Schedule hourly(String id, Missed missed) throws Exception {
        return new Schedule(
                id, "report", "0 * * * *", MAPPER.readTree("{\"kind\": \"hourly\"}"), missed, CREATED, CREATED, null);
    }

    @Test
    void aRunThatIsDueStartsOnceNamedAfterItsFireTime() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            Schedules s = new Schedules(store);
            s.put(hourly("r", Missed.SKIP));
            Recorder rec = new Recorder();
            assertThat(s.tick(Instant.parse("2026-03-01T00:59:59Z"), rec)).isEmpty();
            var t = s.tick(Instant.parse("2026-03-01T01:00:10Z"), rec);
            assertThat(t.get("r").started()).containsExactly("r-20260301T0100Z");
            assertThat(rec.inputs.get(0).path("kind").asText()).isEqualTo("hourly");
            // ticking again (or from another store instance, another server) starts nothing more
            assertThat(s.tick(Instant.parse("2026-03-01T01:00:20Z"), rec)).isEmpty();
            assertThat(new Schedules(store).tick(Instant.parse("2026-03-01T01:00:40Z"), rec))
                    .isEmpty();
            assertThat(s.get("r").orElseThrow().lastFire()).isEqualTo(Instant.parse("2026-03-01T01:00:00Z"));
            assertThat(Schedules.nextRun(s.get("r").orElseThrow(), Instant.parse("2026-03-01T01:00:40Z")))
                    .contains(Instant.parse("2026-03-01T02:00:00Z"));
        }
    }

    @Test
    void afterADowntimeSkipRunsNoneOfTheMissedRunsButTheOneOnTime() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            Schedules s = new Schedules(store);
            s.put(hourly("r", Missed.SKIP));
            Recorder rec = new Recorder();
            // down from 00:00:30 to 05:00:20: 01:00 to 04:00 were missed, 05:00 is on time
            var t = s.tick(Instant.parse("2026-03-01T05:00:20Z"), rec).get("r");
            assertThat(t.started()).containsExactly("r-20260301T0500Z");
            assertThat(t.skipped()).isEqualTo(4);
            // and down until 05:30: all missed, nothing runs
            Recorder rec2 = new Recorder();
            s.put(hourly("q", Missed.SKIP));
            assertThat(s.tick(Instant.parse("2026-03-01T05:30:00Z"), rec2)
                            .get("q")
                            .skipped())
                    .isEqualTo(5);
            assertThat(rec2.started).isEmpty();
        }
    }

    @Test
    void runOnceRunsTheLatestMissedRunAndRunAllEachUpToTheBound() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            Schedules s = new Schedules(store);
            s.put(hourly("once", Missed.RUN_ONCE));
            s.put(hourly("all", Missed.RUN_ALL));
            Recorder rec = new Recorder();
            var t = s.tick(Instant.parse("2026-03-01T04:30:00Z"), rec);
            assertThat(t.get("once").started()).containsExactly("once-20260301T0400Z");
            assertThat(t.get("once").skipped()).isEqualTo(3);
            assertThat(t.get("all").started())
                    .containsExactly(
                            "all-20260301T0100Z", "all-20260301T0200Z", "all-20260301T0300Z", "all-20260301T0400Z");
            assertThat(t.get("all").skipped()).isZero();

            // ten days down: run_all starts only the latest MAX_CATCH_UP of the 240 missed runs
            Recorder rec2 = new Recorder();
            var later = s.tick(Instant.parse("2026-03-11T04:30:00Z"), rec2).get("all");
            assertThat(later.started()).hasSize(Schedules.MAX_CATCH_UP);
            assertThat(later.skipped()).isEqualTo(240 - Schedules.MAX_CATCH_UP);
            assertThat(later.started().getLast()).isEqualTo("all-20260311T0400Z");
        }
    }

    @Test
    void aRunThatCannotStartIsTriedAgainAtTheNextTick() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            Schedules s = new Schedules(store);
            s.put(hourly("r", Missed.RUN_ALL));
            var t = s.tick(Instant.parse("2026-03-01T01:00:05Z"), (w, e, in) -> {
                throw new IllegalStateException("the server is stopping");
            });
            assertThat(t).isEmpty();
            assertThat(s.get("r").orElseThrow().lastError()).contains("the server is stopping");
            Recorder rec = new Recorder();
            assertThat(s.tick(Instant.parse("2026-03-01T01:00:30Z"), rec)
                            .get("r")
                            .started())
                    .containsExactly("r-20260301T0100Z");
            assertThat(s.get("r").orElseThrow().lastError()).isNull();
        }
    }

    @Test
    void schedulesAreKeptInTheStoreAndBadOnesRefused() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            new Schedules(store).put(hourly("kept", Missed.RUN_ONCE));
            assertThatThrownBy(() -> new Schedules(store)
                            .put(new Schedule(
                                    "bad", "report", "61 * * * *", null, Missed.SKIP, CREATED, CREATED, null)))
                    .hasMessageContaining("minute field");
            assertThatThrownBy(() -> new Schedules(store).put(hourly("no spaces", Missed.SKIP)))
                    .hasMessageContaining("schedule id");
            assertThatThrownBy(() -> Missed.of("sometimes")).hasMessageContaining("skip, run_once or run_all");
        }
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            Schedules s = new Schedules(store);
            assertThat(s.list()).extracting(Schedule::id).containsExactly("kept");
            assertThat(s.get("kept").orElseThrow().missed()).isEqualTo(Missed.RUN_ONCE);
            assertThat(s.delete("kept")).isTrue();
            assertThat(s.delete("kept")).isFalse();
            assertThat(s.list()).isEmpty();
        }
    }

    @Test
    void aScheduleInATimeZoneFiresAtItsLocalWallTimeAcrossADaylightSavingChange() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            Schedules s = new Schedules(store);
            Instant created = Instant.parse("2026-03-27T12:00:00Z");
            // 09:00 in Paris: 08:00Z in winter (UTC+1); from 29 March 2026 (clocks go forward) 07:00Z (UTC+2)
            s.put(new Schedule(
                    "paris",
                    "report",
                    null,
                    "0 9 * * *",
                    "Europe/Paris",
                    MAPPER.readTree("{}"),
                    Missed.SKIP,
                    created,
                    created,
                    null));
            Recorder rec = new Recorder();
            assertThat(s.tick(Instant.parse("2026-03-28T07:59:00Z"), rec)).isEmpty();
            assertThat(s.tick(Instant.parse("2026-03-28T08:00:10Z"), rec)
                            .get("paris")
                            .started())
                    .containsExactly("paris-20260328T0800Z");
            assertThat(Schedules.nextRun(s.get("paris").orElseThrow(), Instant.parse("2026-03-28T08:00:10Z")))
                    .contains(Instant.parse("2026-03-29T07:00:00Z"));
            assertThat(s.tick(Instant.parse("2026-03-29T06:59:00Z"), rec)).isEmpty();
            assertThat(s.tick(Instant.parse("2026-03-29T07:00:10Z"), rec)
                            .get("paris")
                            .started())
                    .containsExactly("paris-20260329T0700Z");
            // 08:00Z is 10:00 in Paris now: nothing
            assertThat(s.tick(Instant.parse("2026-03-29T08:00:10Z"), rec)).isEmpty();
            assertThat(rec.started).containsExactly("paris-20260328T0800Z", "paris-20260329T0700Z");

            assertThatThrownBy(() -> s.put(new Schedule(
                            "bad-zone",
                            "report",
                            null,
                            "0 9 * * *",
                            "Mars/Base",
                            null,
                            Missed.SKIP,
                            created,
                            created,
                            null)))
                    .hasMessageContaining("timezone 'Mars/Base'");
        }
    }

    @Test
    void aTaskScheduleStartsTheTaskAndSkipsAFireWhileItStillRuns() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            Schedules s = new Schedules(store);
            s.put(new Schedule("t", null, "nightly", "0 * * * *", null, null, Missed.SKIP, CREATED, CREATED, null));
            List<String> starts = new ArrayList<>();
            boolean[] running = {false};
            Schedules.Starter tasks = new Schedules.Starter() {
                @Override
                public void start(String workflow, String execution, JsonNode input) {
                    throw new AssertionError("a task schedule starts no execution");
                }

                @Override
                public String startTask(String task, String run) {
                    if (running[0]) return "task '" + task + "' is still RUNNING";
                    starts.add(task + "@" + run);
                    running[0] = true;
                    return null;
                }
            };
            assertThat(s.tick(Instant.parse("2026-03-01T01:00:10Z"), tasks)
                            .get("t")
                            .started())
                    .containsExactly("t-20260301T0100Z");
            var skipped = s.tick(Instant.parse("2026-03-01T02:00:10Z"), tasks).get("t");
            assertThat(skipped.started()).isEmpty();
            assertThat(skipped.skipped()).isEqualTo(1);
            assertThat(s.get("t").orElseThrow().lastError())
                    .isEqualTo("skipped t-20260301T0200Z: task 'nightly' is still RUNNING");
            // not tried again at the next tick: the next fire starts it
            assertThat(s.tick(Instant.parse("2026-03-01T02:00:40Z"), tasks)).isEmpty();
            running[0] = false;
            assertThat(s.tick(Instant.parse("2026-03-01T03:00:10Z"), tasks)
                            .get("t")
                            .started())
                    .containsExactly("t-20260301T0300Z");
            assertThat(s.get("t").orElseThrow().lastError()).isNull();
            assertThat(starts).containsExactly("nightly@t-20260301T0100Z", "nightly@t-20260301T0300Z");

            assertThatThrownBy(() -> s.put(new Schedule(
                            "both", "report", "nightly", "0 * * * *", null, null, Missed.SKIP, CREATED, CREATED, null)))
                    .hasMessageContaining("exactly one of workflow and task");
        }
    }
}
