package io.dataflare.flink;

import io.dataflare.api.processor.Processor;
import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.RuntimeSettings;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRole;
import io.dataflare.engine.runtime.HostedPlugins;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What of a valid pipeline cannot run on Flink (yet), found before anything runs so that a pipeline never runs
 * differently from a local run without saying so. How the rest maps is {@link JobTranslator}'s business.
 */
public final class FlinkSupport {
    /** The plugin holding the built-in key routers. */
    static final String ROUTERS_PLUGIN = "dataflare-policies";
    /** Routers that keep each key on one instance, in order: Flink's keyBy does that (by key group). */
    static final Set<String> KEYED_ROUTERS = Set.of("hash", "sticky");
    /** The router that spreads records over the instances in turn: Flink's rebalance. */
    static final String ROUND_ROBIN = "round_robin";

    private FlinkSupport() {}

    /** The problems that keep {@code plan} from running on Flink; empty when it can. */
    public static List<Problem> problems(PipelinePlan plan) {
        List<Problem> problems = new ArrayList<>();
        RuntimeSettings rt = plan.definition().runtime();
        Location file = Location.of(plan.definition().source());
        if (rt.adaptiveBatch() != null) {
            problems.add(new Problem(
                    file,
                    "runtime.batch (adaptive batching) is not supported with --engine flink: batches inside a Flink"
                            + " operator have the fixed runtime.batch_size; remove runtime.batch"));
        }
        if (rt.stopWhenIdleMs() > 0) {
            problems.add(new Problem(
                    file,
                    "runtime.stop_when_idle_ms is not supported with --engine flink: stop the Flink job instead"
                            + " (Ctrl-C, or cancel it on the cluster)"));
        }
        for (StagePlan s : plan.stages()) {
            if (s.definition().elastic() != null) {
                problems.add(new Problem(
                        s.definition().location(),
                        "processor '" + s.name() + "': elastic parallelism (parallelism: {min, max, ...}) is not"
                                + " supported with --engine flink: give a number (Flink rescales a job by restarting it"
                                + " from a savepoint)"));
            }
            if (s.role() == StageRole.PROCESSOR && usesTimers(plan, s)) {
                problems.add(new Problem(
                        s.definition().location(),
                        "processor '" + s.name() + "': " + s.component().describe()
                                + " uses timers, which are not mapped to Flink's timers yet: run this pipeline with"
                                + " the local engine"));
            }
            if (s.routing() != null && s.instances() > 1 && routing(s.routing().router()) == null) {
                ComponentPlan r = s.routing().router();
                problems.add(new Problem(
                        s.definition().location(),
                        "processor '" + s.name() + "': routing.strategy '"
                                + r.component().name() + "' ("
                                + r.pluginLabel() + ") cannot run on Flink, which places keys itself: use hash or"
                                + " sticky (a key stays on one instance, by Flink's key groups) or round_robin"));
            }
        }
        return problems;
    }

    /**
     * Whether a Java plugin's processor asks for timers when it starts (as the window processor does): one instance
     * is made, with keyed state as on Flink, and closed again to find out. Script and WASM processors are not
     * started here (a script context costs seconds); one that asks for timers fails the job, naming the stage.
     */
    private static boolean usesTimers(PipelinePlan plan, StagePlan s) {
        java.nio.file.Path file = s.component().component().plugin().file();
        if (file != null && !file.getFileName().toString().endsWith(".jar")) return false;
        PluginKeyedState state = new PluginKeyedState(s.name(), 0, 0);
        try {
            Object p = HostedPlugins.create(
                    s.component(),
                    Processor.class,
                    plan.definition(),
                    s.name(),
                    0,
                    s.instances(),
                    Clock.systemUTC(),
                    new SimpleMeterRegistry(),
                    state.states());
            if (p instanceof AutoCloseable c) c.close();
            return false;
        } catch (Exception e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof UnsupportedOperationException
                        && String.valueOf(c.getMessage()).contains("timers are not available")) {
                    return true;
                }
            }
            return false; // any other failure to start is reported by the run, as locally
        } finally {
            state.close();
        }
    }

    /** How a router maps: {@code "keyBy"}, {@code "rebalance"}, or null when it does not. */
    static String routing(ComponentPlan router) {
        if (!ROUTERS_PLUGIN.equals(router.component().plugin().manifest().getPluginId())) return null;
        String name = router.component().name();
        if (KEYED_ROUTERS.contains(name)) return "keyBy";
        if (ROUND_ROBIN.equals(name)) return "rebalance";
        return null;
    }
}
