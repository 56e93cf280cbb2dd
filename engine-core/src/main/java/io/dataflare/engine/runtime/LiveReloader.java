package io.dataflare.engine.runtime;

import com.github.zafarkhaja.semver.Version;
import io.dataflare.api.ComponentKind;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.ComponentUse;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRole;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.plugin.ResolutionException;
import io.dataflare.engine.plugin.ResolvedComponent;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the registry to running pipelines. Every run holds a lease on the plugins it uses, so a
 * removed or replaced plugin stays open until the runs using it stop. When the registry loads something
 * new, each running component referenced by name is resolved again; if that gives a newer version (or the
 * same version reloaded because its file was replaced) whose {@code ConfigSpec} accepts the component's
 * options, the run switches to it:
 *
 * <ul>
 *   <li>a processor stage at each worker's next batch boundary ({@link PipelineRun#rebind});
 *   <li>sources, sinks (the dead-letter sink too), the retry and error policies and key routers at a barrier
 *       ({@link PipelineRun#switchAtBarrier}, {@link BarrierSwitch}): the run quiesces as for a checkpoint, the
 *       new source seeks to the old one's position, the new sink continues the old one's output, policies are
 *       replaced between batches. All the changes one registry event brings to a run share one barrier.
 * </ul>
 *
 * <p>A version that does not fit, cannot start, or cannot take over (a source that cannot seek to the old
 * position, a sink that cannot restore the old one's state) leaves the old one serving and is reported as
 * {@link PluginEvent.Kind#SWITCH_REJECTED}; one that took is {@link PluginEvent.Kind#SWITCHED}, with the pause.
 */
final class LiveReloader implements Consumer<PluginEvent>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveReloader.class);

    private final PluginRegistry registry;
    private final List<Tracked> runs = new CopyOnWriteArrayList<>();

    /** A reloader listening to {@code registry}. */
    LiveReloader(PluginRegistry registry) {
        this.registry = registry;
        registry.addListener(this);
    }

    /**
     * The leases of one run, by {@link ComponentSlot#key} (processors under their kind too); a switch replaces
     * one. Guarded by the instance's lock.
     */
    private static final class Tracked {
        final PipelineRun run;
        final Map<String, LoadedPlugin> leases = new HashMap<>();
        /** Leases nobody switches (several routings may share a router: each stage leases its own). */
        final List<LoadedPlugin> fixed = new ArrayList<>();
        /** The run let go of its plugins: {@link #leases} were released. */
        boolean ended;
        /** A barrier switch of this run is under way; events meanwhile are looked at when it is over. */
        boolean switching;

        boolean recheck;
        /**
         * The version each slot refused (could not start, seek or take over): not offered again, so an unrelated
         * plugin event does not pause the run for a switch known to fail; a new file of it is a new version.
         */
        final Map<String, WeakReference<LoadedPlugin>> refused = new HashMap<>();

        Tracked(PipelineRun run) {
            this.run = run;
        }
    }

    /** A barrier change in progress: the lease it replaces and the one it takes. */
    private record Pending(ComponentSlot slot, LoadedPlugin current, LoadedPlugin next) {}

    /**
     * Leases the plugins of {@code run} (before it starts) and keeps it up to date until it lets go of them
     * ({@link PipelineRun#released()}: it ended, its start was refused, or it was closed unstarted).
     *
     * @throws StalePlanException when a plugin of the plan was unloaded since it was validated
     */
    void track(PipelineRun run) {
        Tracked t = new Tracked(run);
        PipelinePlan plan = run.plan();
        try {
            for (StagePlan s : plan.stages()) {
                if (s.role() == StageRole.PROCESSOR)
                    t.leases.put(ComponentSlot.key(ComponentKind.PROCESSOR, s.name()), lease(s.component()));
            }
            for (ComponentSlot slot : ComponentSlot.of(plan)) {
                LoadedPlugin p = lease(slot.in(plan));
                if (t.leases.putIfAbsent(slot.key(), p) != null) t.fixed.add(p);
            }
        } catch (StalePlanException e) {
            release(t);
            throw e;
        }
        runs.add(t);
        run.released().whenComplete((r, e) -> {
            runs.remove(t);
            release(t);
        });
    }

    private static LoadedPlugin lease(ComponentPlan c) {
        LoadedPlugin p = c.component().plugin();
        if (!p.acquire()) {
            throw new StalePlanException(
                    p.label() + " was unloaded after the pipeline was validated: validate it again");
        }
        return p;
    }

    private static void release(Tracked t) {
        synchronized (t) {
            t.ended = true;
            t.leases.values().forEach(LoadedPlugin::release);
            t.fixed.forEach(LoadedPlugin::release);
            t.leases.clear();
            t.fixed.clear();
        }
    }

    @Override
    public void accept(PluginEvent event) {
        if (event.kind() != PluginEvent.Kind.LOADED && event.kind() != PluginEvent.Kind.REPLACED) return;
        for (Tracked t : runs) {
            synchronized (t) {
                // a run not started yet has no instances to switch: it starts on the versions it leased
                PipelineState state = t.run.state();
                if (state == PipelineState.CREATED || state.isTerminal() || t.ended) continue;
                for (StagePlan s : t.run.plan().stages()) {
                    if (s.role() == StageRole.PROCESSOR
                            && !s.definition().component().use().path()) refresh(t, s);
                }
                if (t.switching) t.recheck = true;
                else refreshAtBarrier(t);
            }
        }
    }

    private void refresh(Tracked t, StagePlan s) {
        String key = ComponentSlot.key(ComponentKind.PROCESSOR, s.name());
        LoadedPlugin current = t.leases.get(key);
        ResolvedComponent next;
        try {
            next = registry.resolve(
                    ComponentKind.PROCESSOR,
                    s.definition().component().use(),
                    t.run.plan().definition().baseDir());
        } catch (ResolutionException e) {
            return; // nothing resolvable now: keep what runs
        }
        if (current == null || !newer(next.plugin(), current)) return;
        String pipeline = t.run.name();
        ComponentPlan plan =
                configured(next, s.definition().component(), s.component().grants(), pipeline, s.name(), current);
        if (plan == null) return;
        if (!sameOutputs(plan, s.component(), pipeline, s.name(), current)) return;
        if (!next.plugin().acquire()) return; // retired meanwhile; a later event brings its successor
        try {
            t.run.rebind(s.name(), plan).whenComplete((r, e) -> switched(t, s.name(), current, r));
            t.leases.put(key, next.plugin());
        } catch (Exception e) {
            next.plugin().release();
            rejected(
                    pipeline,
                    s.name(),
                    next.pluginLabel(),
                    current,
                    "its instances could not start: " + e.getMessage());
        }
    }

    /**
     * The plan of {@code next} for a stage: its options validated, and the stage's grants, never more (a version
     * that requests more than they cover is not switched in). Null, with a rejection event, when it does not fit.
     */
    private ComponentPlan configured(
            ResolvedComponent next,
            ComponentUse use,
            Grants grants,
            String pipeline,
            String stage,
            LoadedPlugin current) {
        ComponentPlan plan;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> options = (Map<String, Object>) use.with().toPlain();
            PluginConfig config = next.factory().configSpec().validate(options);
            next.factory().validate(config);
            plan = new ComponentPlan(next, config, grants);
        } catch (RuntimeException e) {
            rejected(pipeline, stage, next.pluginLabel(), current, "it rejects the stage's options: " + e.getMessage());
            return null;
        }
        List<String> missing = grants.missing(next.plugin().manifest().capabilities());
        if (!missing.isEmpty()) {
            rejected(
                    pipeline,
                    stage,
                    next.pluginLabel(),
                    current,
                    "it requests " + missing + ", which the stage is not granted");
            return null;
        }
        return plan;
    }

    /**
     * Whether {@code next} declares the named outputs the running version does: the stages reading them are
     * wired for the run, so a version with other outputs is not switched in (with a rejection event).
     */
    private boolean sameOutputs(
            ComponentPlan next, ComponentPlan running, String pipeline, String stage, LoadedPlugin current) {
        List<String> want;
        List<String> got;
        try {
            want = running.outputs();
            got = next.outputs();
        } catch (RuntimeException e) {
            rejected(pipeline, stage, next.pluginLabel(), current, "it cannot say its outputs: " + e.getMessage());
            return false;
        }
        if (want.equals(got)) return true;
        rejected(
                pipeline,
                stage,
                next.pluginLabel(),
                current,
                "its named outputs " + got + " are not the running version's " + want
                        + " (the stages reading them are wired for this run)");
        return false;
    }

    /** Offers every source, sink and policy of {@code t} that has a newer version, at one barrier. */
    private void refreshAtBarrier(Tracked t) {
        PipelinePlan plan = t.run.plan();
        String pipeline = t.run.name();
        List<BarrierSwitch.Change> changes = new ArrayList<>();
        Map<ComponentSlot, Pending> pending = new LinkedHashMap<>();
        for (ComponentSlot slot : ComponentSlot.of(plan)) {
            ComponentUse use = slot.use(plan);
            LoadedPlugin current = t.leases.get(slot.key());
            if (use == null || use.use().path() || current == null) continue;
            ResolvedComponent next;
            try {
                next = registry.resolve(
                        slot.kind(), use.use(), plan.definition().baseDir());
            } catch (ResolutionException e) {
                continue;
            }
            WeakReference<LoadedPlugin> refused = t.refused.get(slot.key());
            if (!newer(next.plugin(), current) || (refused != null && refused.get() == next.plugin())) continue;
            ComponentPlan configured = configured(next, use, slot.in(plan).grants(), pipeline, slot.stage(), current);
            if (configured == null || !next.plugin().acquire()) continue;
            changes.add(new BarrierSwitch.Change(slot, configured));
            pending.put(slot, new Pending(slot, current, next.plugin()));
            t.leases.put(slot.key(), next.plugin());
        }
        if (changes.isEmpty()) return;
        t.switching = true; // before: the switch may be over before switchAtBarrier returns
        try {
            t.run.switchAtBarrier(changes).whenComplete((outcomes, e) -> settle(t, pending, outcomes, e));
        } catch (IllegalStateException e) {
            t.switching = false;
            for (Pending p : pending.values()) {
                t.leases.put(p.slot().key(), p.current());
                p.next().release();
            }
        }
    }

    /** A barrier switch is over: each slot keeps the lease of the version that serves it; events go out. */
    private void settle(
            Tracked t, Map<ComponentSlot, Pending> pending, List<BarrierSwitch.Outcome> outcomes, Throwable failure) {
        String pipeline = t.run.name();
        List<BarrierSwitch.Outcome> done = outcomes == null ? List.of() : outcomes;
        synchronized (t) {
            for (Pending p : pending.values()) {
                boolean took = done.stream().anyMatch(o -> o.slot().equals(p.slot()) && o.switched());
                if (took || t.ended) {
                    p.current().release(); // when ended, the run's release let go of the new one
                } else {
                    t.leases.put(p.slot().key(), p.current());
                    p.next().release();
                }
                if (!took && done.stream().anyMatch(o -> o.slot().equals(p.slot()) && !o.switched() && !o.retryable()))
                    t.refused.put(p.slot().key(), new WeakReference<>(p.next())); // weak: it may be retired
            }
            t.switching = false;
        }
        if (failure != null) {
            LOG.warn("pipeline '{}': a version switch failed: {}", pipeline, failure.toString());
            for (Pending p : pending.values())
                rejected(pipeline, p.slot().stage(), p.next().label(), p.current(), failure.toString());
        }
        for (BarrierSwitch.Outcome o : done) {
            if (o.switched()) {
                String detail =
                        "from " + o.from() + "; " + o.slot().describe() + " switched at a barrier, pipeline paused "
                                + String.format(Locale.ROOT, "%.1f ms", o.pauseNanos() / 1e6);
                LOG.info("pipeline '{}' {} now runs {} ({})", pipeline, o.slot().describe(), o.to(), detail);
                registry.publish(PluginEvent.switched(
                        o.to(), pipeline, o.slot().stage(), detail, Duration.ofNanos(o.pauseNanos())));
            } else {
                rejected(pipeline, o.slot().stage(), o.to(), o.from(), o.refused());
            }
        }
        synchronized (t) {
            if (t.recheck && !t.ended && !t.switching) {
                t.recheck = false;
                refreshAtBarrier(t);
            }
        }
    }

    /** Whether a running stage should move from {@code current} to {@code candidate}. */
    private static boolean newer(LoadedPlugin candidate, LoadedPlugin current) {
        if (candidate == current) return false;
        int c = Version.parse(candidate.manifest().getVersion())
                .compareTo(Version.parse(current.manifest().getVersion()));
        // same version: only when the one running was replaced (new file content, or dependencies rebound)
        return c > 0 || (c == 0 && current.isRetired());
    }

    private void switched(Tracked t, String stage, LoadedPlugin old, SwitchResult r) {
        old.release();
        if (r == null) return;
        String detail = "from " + r.from() + "; " + r.adopted() + " instance(s) switched, longest pause "
                + String.format(Locale.ROOT, "%.1f us", r.maxPauseNanos() / 1e3);
        LOG.info("pipeline '{}' stage '{}' now runs {} ({})", t.run.name(), stage, r.to(), detail);
        registry.publish(
                PluginEvent.switched(r.to(), t.run.name(), stage, detail, Duration.ofNanos(r.maxPauseNanos())));
    }

    private void rejected(String pipeline, String stage, String next, LoadedPlugin current, String why) {
        rejected(pipeline, stage, next, current.label(), why);
    }

    private void rejected(String pipeline, String stage, String next, String current, String why) {
        String detail = next + " not used, " + current + " keeps serving: " + why;
        LOG.warn("pipeline '{}' stage '{}': {}", pipeline, stage, detail);
        registry.publish(PluginEvent.stage(PluginEvent.Kind.SWITCH_REJECTED, next, pipeline, stage, detail));
    }

    /** Stops listening; leases end with their runs. */
    @Override
    public void close() {
        registry.removeListener(this);
    }
}
