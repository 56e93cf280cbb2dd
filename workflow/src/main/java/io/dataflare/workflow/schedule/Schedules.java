package io.dataflare.workflow.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dataflare.engine.state.StateConflictException;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.Versioned;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Cron schedules that start executions of a workflow or runs of a pipeline task, kept in the state store
 * ({@code workflow.schedules}: id to the schedule). {@link #tick} starts what is due: every fire time of the
 * schedule's cron expression, read at the wall time of the schedule's time zone (UTC by default), after the last
 * one it handled and at or before {@code now}. A fire time less than {@link #ON_TIME} old runs; older ones were
 * missed (the server was down or busy) and the schedule's policy decides: {@code skip} runs none of them,
 * {@code run_once} runs the latest, {@code run_all} runs each, at most {@link #MAX_CATCH_UP} (the latest ones).
 * Each run is an execution named {@code ID-yyyyMMddTHHmmZ} after its fire time, started idempotently by that
 * name, so a tick repeated after a crash (or by another server on the same store) never starts a run twice. A task
 * schedule starts the task's run ({@link Starter#startTask}); a fire that finds the task still running is skipped
 * and said so in the schedule's {@code lastError}.
 */
public final class Schedules {
    public static final String NAMESPACE = "workflow.schedules";
    /** How old a fire time may be and still count as on time (the ticker runs far more often). */
    public static final Duration ON_TIME = Duration.ofMinutes(1);
    /** The most missed runs {@code run_all} starts after a downtime. */
    public static final int MAX_CATCH_UP = 100;
    /** A schedule's id. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** How many fire times one tick looks at, at most (a year of a cron running every minute). */
    private static final int MAX_SCAN = 600_000;

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** What a schedule does with the runs it missed. */
    public enum Missed {
        @JsonProperty("skip")
        SKIP,
        @JsonProperty("run_once")
        RUN_ONCE,
        @JsonProperty("run_all")
        RUN_ALL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The policy named {@code s} ({@code skip}, {@code run_once}, {@code run_all}). */
        public static Missed of(String s) {
            for (Missed m : values()) if (m.wireName().equals(s)) return m;
            throw new IllegalArgumentException("missed must be skip, run_once or run_all, got '" + s + "'");
        }
    }

    /**
     * A schedule: of a workflow (its runs are executions) or of a pipeline task (each fire starts the task), exactly
     * one of the two.
     *
     * @param task      the pipeline task it starts (null: it starts executions of {@code workflow})
     * @param timezone  the IANA time zone whose wall time the cron expression reads (null: UTC)
     * @param lastFire  the latest fire time handled (started or skipped); the creation time at first
     * @param lastError why the latest run could not be started, or was skipped (null: it was started)
     */
    public record Schedule(
            String id,
            String workflow,
            String task,
            String cron,
            String timezone,
            JsonNode input,
            Missed missed,
            Instant createdAt,
            Instant lastFire,
            String lastError) {

        @com.fasterxml.jackson.annotation.JsonCreator
        public Schedule {}

        /** A schedule of a workflow's executions, in UTC. */
        public Schedule(
                String id,
                String workflow,
                String cron,
                JsonNode input,
                Missed missed,
                Instant createdAt,
                Instant lastFire,
                String lastError) {
            this(id, workflow, null, cron, null, input, missed, createdAt, lastFire, lastError);
        }

        /** The time zone of its cron expression. */
        public ZoneId zone() {
            return Schedules.zone(timezone);
        }

        Schedule handled(Instant fire, String error) {
            return new Schedule(id, workflow, task, cron, timezone, input, missed, createdAt, fire, error);
        }
    }

    /**
     * The time zone {@code id} names (null: UTC).
     *
     * @throws IllegalArgumentException naming the field when it is not a time zone id
     */
    public static ZoneId zone(String id) {
        if (id == null) return ZoneOffset.UTC;
        try {
            return ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException(
                    "timezone '" + id + "' is not an IANA time zone id (such as Europe/Paris or UTC)", e);
        }
    }

    /** Starts the runs of schedules. */
    @FunctionalInterface
    public interface Starter {
        /** Starts the execution {@code execution} of {@code workflow}; does nothing when it exists already. */
        void start(String workflow, String execution, JsonNode input);

        /**
         * Starts the pipeline task {@code task} for the fire named {@code run}.
         *
         * @return null when it started, or why the fire is skipped (the task is still running)
         */
        default String startTask(String task, String run) {
            throw new IllegalStateException("no pipeline tasks can be started here (task '" + task + "')");
        }
    }

    /** What a tick did: the executions it started and how many missed runs it skipped, per schedule. */
    public record Tick(List<String> started, int skipped) {}

    private final StateStore store;

    public Schedules(StateStore store) {
        this.store = store;
    }

    /**
     * Stores {@code s} (replacing the schedule of its id).
     *
     * @throws IllegalArgumentException for a bad id or cron expression
     */
    public void put(Schedule s) {
        if (!ID.matcher(s.id()).matches())
            throw new IllegalArgumentException(
                    "schedule id must be 1 to 100 letters, digits, '.', '_' or '-' (not first), got '" + s.id() + "'");
        if ((s.workflow() == null) == (s.task() == null))
            throw new IllegalArgumentException("a schedule names exactly one of workflow and task");
        CronExpression.parse(s.cron());
        s.zone();
        store.put(NAMESPACE, s.id(), write(s));
    }

    public Optional<Schedule> get(String id) {
        if (!ID.matcher(id).matches()) return Optional.empty();
        return store.get(NAMESPACE, id).map(this::read);
    }

    /** Every schedule, by id. */
    public List<Schedule> list() {
        List<Schedule> out = new ArrayList<>();
        new java.util.TreeMap<>(store.list(NAMESPACE)).values().forEach(json -> out.add(read(json)));
        return out;
    }

    /** @return whether there was such a schedule */
    public boolean delete(String id) {
        return ID.matcher(id).matches() && store.delete(NAMESPACE, id);
    }

    /** The schedule's next fire time after {@code now} (and after the last one it handled). */
    public static Optional<Instant> nextRun(Schedule s, Instant now) {
        Instant from = s.lastFire() != null && s.lastFire().isAfter(now) ? s.lastFire() : now;
        return CronExpression.parse(s.cron()).next(from, s.zone());
    }

    /** The name of the run of schedule {@code id} at {@code fireTime}. */
    public static String runName(String id, Instant fireTime) {
        return id + "-" + RUN_TIME.format(fireTime);
    }

    /** Starts every schedule's runs due at {@code now}; returns what each did, by id. */
    public java.util.Map<String, Tick> tick(Instant now, Starter starter) {
        java.util.Map<String, Tick> out = new java.util.TreeMap<>();
        for (var e : new java.util.TreeMap<>(store.list(NAMESPACE)).entrySet()) {
            Optional<Versioned> v = store.getVersioned(NAMESPACE, e.getKey());
            if (v.isEmpty()) continue; // deleted meanwhile
            Tick t = tick(read(v.get().value()), v.get().version(), now, starter);
            if (!t.started().isEmpty() || t.skipped() > 0) out.put(e.getKey(), t);
        }
        return out;
    }

    private Tick tick(Schedule s, long version, Instant now, Starter starter) {
        CronExpression cron = CronExpression.parse(s.cron());
        java.time.ZoneId zone = s.zone();
        Instant onTimeFrom = now.minus(ON_TIME);
        List<Instant> onTime = new ArrayList<>();
        Deque<Instant> missed = new ArrayDeque<>();
        int missedCount = 0;
        Instant t = s.lastFire();
        Instant last = null;
        for (int i = 0; i < MAX_SCAN; i++) {
            Optional<Instant> n = cron.next(t, zone);
            if (n.isEmpty() || n.get().isAfter(now)) break;
            t = n.get();
            last = t;
            if (t.isAfter(onTimeFrom)) onTime.add(t);
            else {
                missedCount++;
                missed.addLast(t);
                if (missed.size() > MAX_CATCH_UP) missed.removeFirst();
            }
        }
        if (last == null) return new Tick(List.of(), 0);
        List<Instant> runs = new ArrayList<>();
        switch (s.missed()) {
            case SKIP -> {}
            case RUN_ONCE -> {
                if (!missed.isEmpty()) runs.add(missed.getLast());
            }
            case RUN_ALL -> runs.addAll(missed);
        }
        runs.addAll(onTime);
        int skipped = missedCount - (runs.size() - onTime.size());
        List<String> started = new ArrayList<>();
        Instant handled = last;
        String error = null;
        for (Instant run : runs) {
            String name = runName(s.id(), run);
            try {
                if (s.task() == null) starter.start(s.workflow(), name, s.input());
                else {
                    String why = starter.startTask(s.task(), name);
                    if (why != null) { // not tried again: the next fire starts the task
                        skipped++;
                        error = "skipped " + name + ": " + why;
                        continue;
                    }
                    error = null;
                }
                started.add(name);
            } catch (RuntimeException ex) {
                // kept for the next tick to try again (a workflow deleted, the server stopping)
                error = "could not start " + name + ": " + ex.getMessage();
                handled = run.minusSeconds(1);
                break;
            }
        }
        Schedule after = s.handled(handled, error);
        try {
            store.transaction()
                    .expectVersion(NAMESPACE, s.id(), version)
                    .put(NAMESPACE, s.id(), write(after))
                    .commit();
        } catch (StateConflictException ex) {
            // replaced, deleted or ticked by another server meanwhile: its runs were started by name, idempotently
        }
        return new Tick(started, skipped);
    }

    private static String write(Schedule s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a schedule did not serialise: " + e.getOriginalMessage(), e);
        }
    }

    private Schedule read(String json) {
        try {
            return MAPPER.readValue(json, Schedule.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "a schedule in " + store.describe() + " does not read: " + e.getOriginalMessage(), e);
        }
    }
}
