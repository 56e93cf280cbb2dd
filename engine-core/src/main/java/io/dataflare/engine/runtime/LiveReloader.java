package io.dataflare.engine.runtime;

import com.github.zafarkhaja.semver.Version;
import io.dataflare.api.ComponentKind;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRole;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.plugin.ResolutionException;
import io.dataflare.engine.plugin.ResolvedComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the registry to running pipelines. Every run holds a lease on the plugins it uses, so a
 * removed or replaced plugin stays open until the runs using it stop. When the registry loads something
 * new, each running processor stage referenced by name is resolved again; if that gives a newer version
 * (or the same version reloaded because its file was replaced) whose {@code ConfigSpec} accepts the
 * stage's options, the run switches to it at the next batch boundary ({@link PipelineRun#rebind}). A
 * version that does not fit leaves the old one serving and is reported as
 * {@link PluginEvent.Kind#SWITCH_REJECTED}.
 *
 * <p>Sources, sinks and policies keep the version they started with until the run ends: they hold
 * positions and open output that a mid-run switch would lose or overwrite.
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

    /** The leases of one run: per processor stage (they change on a switch), and the rest. */
    private static final class Tracked {
        final PipelineRun run;
        final Map<String, LoadedPlugin> stages = new HashMap<>();
        final List<LoadedPlugin> fixed = new ArrayList<>();

        Tracked(PipelineRun run) {
            this.run = run;
        }
    }

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
                LoadedPlugin p = lease(s.component());
                if (s.role() == StageRole.PROCESSOR) t.stages.put(s.name(), p);
                else t.fixed.add(p);
            }
            for (ComponentPlan c : new ComponentPlan[] {plan.retry(), plan.errorPolicy(), plan.deadLetter()}) {
                if (c != null) t.fixed.add(lease(c));
            }
            for (StagePlan s : plan.stages()) {
                if (s.routing() != null) t.fixed.add(lease(s.routing().router()));
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
            t.stages.values().forEach(LoadedPlugin::release);
            t.fixed.forEach(LoadedPlugin::release);
            t.stages.clear();
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
                if (state == PipelineState.CREATED || state.isTerminal()) continue;
                for (StagePlan s : t.run.plan().stages()) {
                    if (s.role() == StageRole.PROCESSOR
                            && !s.definition().component().use().path()) refresh(t, s);
                }
            }
        }
    }

    private void refresh(Tracked t, StagePlan s) {
        LoadedPlugin current = t.stages.get(s.name());
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
        ComponentPlan plan;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> options =
                    (Map<String, Object>) s.definition().component().with().toPlain();
            PluginConfig config = next.factory().configSpec().validate(options);
            next.factory().validate(config);
            plan = new ComponentPlan(next, config, s.component().grants());
        } catch (RuntimeException e) {
            rejected(pipeline, s.name(), next, current, "it rejects the stage's options: " + e.getMessage());
            return;
        }
        // a new version gets the stage's grants, never more: one that requests more is not switched in
        List<String> missing = plan.grants().missing(next.plugin().manifest().capabilities());
        if (!missing.isEmpty()) {
            rejected(pipeline, s.name(), next, current, "it requests " + missing + ", which the stage is not granted");
            return;
        }
        if (!next.plugin().acquire()) return; // retired meanwhile; a later event brings its successor
        try {
            t.run.rebind(s.name(), plan).whenComplete((r, e) -> switched(t, s.name(), current, r));
            t.stages.put(s.name(), next.plugin());
        } catch (Exception e) {
            next.plugin().release();
            rejected(pipeline, s.name(), next, current, "its instances could not start: " + e.getMessage());
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
                + String.format(java.util.Locale.ROOT, "%.1f us", r.maxPauseNanos() / 1e3);
        LOG.info("pipeline '{}' stage '{}' now runs {} ({})", t.run.name(), stage, r.to(), detail);
        registry.publish(PluginEvent.stage(PluginEvent.Kind.SWITCHED, r.to(), t.run.name(), stage, detail));
    }

    private void rejected(String pipeline, String stage, ResolvedComponent next, LoadedPlugin current, String why) {
        String detail = next.pluginLabel() + " not used, " + current.label() + " keeps serving: " + why;
        LOG.warn("pipeline '{}' stage '{}': {}", pipeline, stage, detail);
        registry.publish(
                PluginEvent.stage(PluginEvent.Kind.SWITCH_REJECTED, next.pluginLabel(), pipeline, stage, detail));
    }

    /** Stops listening; leases end with their runs. */
    @Override
    public void close() {
        registry.removeListener(this);
    }
}
