package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.policy.Failure;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.PipelineDefinition;
import io.dataflare.engine.state.keyed.RunStates;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;

/**
 * What a runner that hosts a pipeline's stages outside the engine's own workers (a cluster runner) needs to
 * behave as a local run: plugin instances made with the same context, failures classified and worded the same
 * way, and dead letters of the same form. Instances made here have keyed state only when the runner hands them a
 * {@link RunStates} (else their context's {@code state()} refuses), and no timers.
 */
public final class HostedPlugins {
    private HostedPlugins() {}

    /**
     * A new instance of {@code component} for instance {@code instance} of {@code instances} of {@code stage}.
     *
     * @throws Exception naming the stage and the component when the factory fails or makes something else
     */
    public static <T> T create(
            ComponentPlan component,
            Class<T> type,
            PipelineDefinition pipeline,
            String stage,
            int instance,
            int instances,
            Clock clock,
            MeterRegistry meters)
            throws Exception {
        return create(component, type, pipeline, stage, instance, instances, clock, meters, null);
    }

    /**
     * As {@link #create(ComponentPlan, Class, PipelineDefinition, String, int, int, Clock, MeterRegistry)}, with the
     * instance's keyed state ({@code ctx.state()}) in {@code states}, which the runner saves and restores with its own
     * checkpoints; null: none. Timers ({@code ctx.timers()}) are refused: the runner does not fire them.
     */
    public static <T> T create(
            ComponentPlan component,
            Class<T> type,
            PipelineDefinition pipeline,
            String stage,
            int instance,
            int instances,
            Clock clock,
            MeterRegistry meters,
            RunStates states)
            throws Exception {
        return create(
                component,
                type,
                new StageContext(component, pipeline, stage, instance, instances, clock, meters, states, false));
    }

    /** A new instance of {@code component} with {@code ctx} as its context. */
    static <T> T create(ComponentPlan component, Class<T> type, StageContext ctx) throws Exception {
        Object o;
        try {
            o = component.component().factory().create(ctx);
        } catch (Exception | LinkageError e) {
            throw new Exception(
                    "stage '" + ctx.stage() + "': " + component.describe() + " could not start: "
                            + ErrorClassifier.message(e),
                    e);
        }
        if (!type.isInstance(o)) {
            throw new Exception("stage '" + ctx.stage() + "': " + component.describe() + " created a "
                    + (o == null ? "null" : o.getClass().getName()) + ", not a " + type.getSimpleName());
        }
        return type.cast(o);
    }

    /** The error class of a failure that threw {@code t}, as retry and error policies see it. */
    public static String errorClass(Throwable t) {
        return ErrorClassifier.classify(t);
    }

    /** The words a failure that threw {@code t} is reported with. */
    public static String message(Throwable t) {
        return ErrorClassifier.message(t);
    }

    /** Rethrows what must not be contained: the JVM is in trouble, or the thread is being stopped. */
    public static void rethrowFatal(Throwable t) throws InterruptedException {
        ErrorClassifier.rethrowFatal(t);
    }

    /** A record left unprocessed because the plugin failed like {@code cause} on the {@code hungAfter} before it. */
    public static Failure notProcessed(Failure cause, int hungAfter) {
        return new Failure(
                cause.errorClass(),
                "not processed: the plugin failed with " + cause.errorClass() + " on " + hungAfter
                        + " records in a row (" + cause.message() + ")",
                null,
                cause.attempts(),
                cause.stage(),
                cause.plugin());
    }

    /** Logs a call that overran its time limit: a timeout is never silent, whatever happens to it next. */
    public static void logTimeout(org.slf4j.Logger log, String pipeline, Failure f, Redactor redactor) {
        log.warn(
                "pipeline '{}', stage '{}' ({}): a call timed out (attempt {}): {}",
                pipeline,
                f.stage(),
                f.plugin(),
                f.attempts(),
                redactor.redact(f.message()));
    }

    /** The dead letter of {@code original}: the record with why, where and when it failed. */
    public static Record deadLetter(Record original, Failure failure, String pipeline, Instant at, Redactor redactor) {
        return DeadLetters.of(original, failure, pipeline, at, redactor);
    }
}
