package io.dataflare.engine.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread running one instance of a stage. Subclasses do the stage's loop in {@link #work()}; this
 * class contains failures (a failure fails the run, which cancels the other workers), closes the plugin
 * instance whatever happens, and signals end of output downstream when the run is not cancelled.
 */
abstract class Worker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    final PipelineRun run;
    final String stage;
    final int instance;
    final StageStats stats;
    final FailureHandler failures;
    private AutoCloseable plugin;
    private final Channel deadLetters;
    private boolean closed;
    private boolean deadLettersDone;

    Worker(
            PipelineRun run,
            String stage,
            int instance,
            StageStats stats,
            FailureHandler failures,
            AutoCloseable plugin,
            Channel deadLetters) {
        this.run = run;
        this.stage = stage;
        this.instance = instance;
        this.stats = stats;
        this.failures = failures;
        this.plugin = plugin;
        this.deadLetters = deadLetters;
    }

    /** The stage's loop; returns when its input (or source) is exhausted or the run stops. */
    abstract void work() throws Exception;

    /** Tells downstream stages this instance produces no more. */
    abstract void endOutput() throws InterruptedException;

    @Override
    public final void run() {
        try {
            work();
            closePlugin();
        } catch (InterruptedException e) {
            // cancelled: the run already knows why
        } catch (Throwable t) {
            run.fail(stage, t);
        } finally {
            try {
                closePlugin();
            } catch (Exception e) {
                LOG.warn("stage '{}': closing the plugin failed: {}", stage, e.toString());
            }
            if (!run.isCancelled()) {
                try {
                    endOutput();
                    deadLettersDone();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exited();
            run.workerExited();
        }
    }

    /** Called once when the worker ends, whatever the reason. */
    void exited() {}

    /** The plugin instance is now {@code next} (a version switch); the caller closes the old one. */
    final void replacePlugin(AutoCloseable next) {
        plugin = next;
    }

    /** This worker sends no more dead letters (once; the dead-letter sink ends when every worker said so). */
    final void deadLettersDone() throws InterruptedException {
        if (deadLettersDone || deadLetters == null) return;
        deadLettersDone = true;
        deadLetters.producerDone();
    }

    /** Closes the plugin instance once; failures propagate the first time. */
    final void closePlugin() throws Exception {
        if (closed) return;
        closed = true;
        plugin.close();
    }

    /** Time spent in the plugin. */
    final void busy(long startNanos) {
        stats.busyNanos.add(System.nanoTime() - startNanos);
    }
}
