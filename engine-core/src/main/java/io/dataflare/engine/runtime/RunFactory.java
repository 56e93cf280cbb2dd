package io.dataflare.engine.runtime;

import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.plugin.PluginRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where the engine's runs are made, so that every run is leased and kept up to date the same way: a run
 * made here leases the plugin versions its plan uses (they stay loaded until it ends, its start is refused,
 * or it is closed unstarted) and its processors follow the newer versions the registry loads
 * ({@link LiveReloader}). The runs share one clock, one meter registry and one scheduler for progress ticks.
 * The engine holds the only one (a build rule checks that nothing else makes one).
 */
public final class RunFactory implements AutoCloseable {
    private final RunEnvironment environment;
    private final LiveReloader reloader;

    /**
     * Runs of plans resolved by {@code registry}, timed by {@code clock}, measured into {@code meters}, with a disk
     * budget over the spools of every run ({@code diskBytes}; 0: none): a buffered sink whose next batch would take
     * the spools past it holds its pipeline back until spools drain.
     */
    public RunFactory(PluginRegistry registry, Clock clock, MeterRegistry meters, long diskBytes) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "df-engine-scheduler");
            t.setDaemon(true);
            return t;
        });
        DiskBudget disk = diskBytes > 0 ? new DiskBudget("engine_disk", diskBytes) : null;
        this.environment = new RunEnvironment(clock, meters, scheduler, disk);
        if (disk != null) {
            Gauge.builder("dataflare.engine.disk.budget.bytes", disk, DiskBudget::limitBytes)
                    .description("the engine's disk budget over all spools")
                    .register(meters);
            Gauge.builder("dataflare.engine.disk.used.bytes", disk, DiskBudget::used)
                    .description("bytes all spools of the engine hold")
                    .register(meters);
        }
        this.reloader = new LiveReloader(registry);
    }

    /** Where run and plugin metrics are registered. */
    public MeterRegistry meters() {
        return environment.meters();
    }

    /**
     * A run of {@code plan}, not started: its plugins are leased and it follows hot reloads from now on.
     *
     * @throws StalePlanException when a plugin of the plan was unloaded since the plan was validated
     */
    public PipelineRun prepare(PipelinePlan plan, RunOptions options) {
        PipelineRun run = new PipelineRun(plan, environment, options);
        reloader.track(run);
        return run;
    }

    /** Stops the scheduler and stops following the registry; runs still going keep their leases until they end. */
    @Override
    public void close() {
        environment.scheduler().shutdownNow();
        reloader.close();
    }
}
