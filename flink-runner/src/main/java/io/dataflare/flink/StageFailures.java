package io.dataflare.flink;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.policy.ErrorAction;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.runtime.HostedPlugins;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry and error policies of one operator instance, applied as a local run applies them: a failed attempt is
 * retried while the retry policy says so (invalid records never are), and a record that failed for good is
 * skipped, sent to the dead letters or aborts the run, as the error policy decides. An abort fails the Flink job
 * without restarts: it is the pipeline's decision, which a restart would only repeat.
 */
final class StageFailures {
    private static final Logger LOG = LoggerFactory.getLogger(StageFailures.class);

    private final String pipeline;
    private final String stage;
    private final String plugin;
    private final RetryPolicy retry;
    private final ErrorPolicy errors;
    private final boolean hasDeadLetterSink;
    private final Consumer<Record> deadLetters;
    private final StageCounters counters;
    private final Redactor redactor;
    private final Clock clock = Clock.systemUTC();

    StageFailures(
            String pipeline,
            String stage,
            String plugin,
            RetryPolicy retry,
            ErrorPolicy errors,
            boolean hasDeadLetterSink,
            Consumer<Record> deadLetters,
            StageCounters counters,
            Redactor redactor) {
        this.pipeline = pipeline;
        this.stage = stage;
        this.plugin = plugin;
        this.retry = retry;
        this.errors = errors;
        this.hasDeadLetterSink = hasDeadLetterSink;
        this.deadLetters = deadLetters;
        this.counters = counters;
        this.redactor = redactor;
    }

    /** The failure of attempt number {@code attempts} that threw {@code t}; a timeout is counted and logged. */
    Failure failure(Throwable t, int attempts) {
        Failure f = new Failure(HostedPlugins.errorClass(t), HostedPlugins.message(t), t, attempts, stage, plugin);
        if (ErrorClass.TIMEOUT.equals(f.errorClass())) {
            counters.increment(stage, Metrics.TIMEOUTS);
            HostedPlugins.logTimeout(LOG, pipeline, f, redactor);
        }
        return f;
    }

    /** A record left unprocessed because the plugin failed like {@code cause} on the records before it. */
    Failure notProcessed(Failure cause, int hungAfter) {
        return HostedPlugins.notProcessed(cause, hungAfter);
    }

    /** Counts a failed attempt; returns true (after sleeping the delay) when the retry policy wants another. */
    boolean retryAfter(Failure f) throws InterruptedException {
        counters.increment(stage, Metrics.ERRORS);
        if (ErrorClass.INVALID_RECORD.equals(f.errorClass())) return false;
        Optional<Duration> delay = retry.nextDelay(f);
        if (delay.isEmpty()) return false;
        counters.increment(stage, Metrics.RETRIES);
        long ms = delay.get().toMillis();
        if (ms > 0) Thread.sleep(ms);
        return true;
    }

    /** Hands each rejection to the error policy. */
    void rejected(List<Rejection> rejections) {
        for (Rejection r : rejections)
            fail(r.record(), new Failure(r.errorClass(), r.reason(), r.cause(), 1, stage, plugin));
    }

    /** A record failed for good: applies the error policy. */
    void fail(Record record, Failure f) {
        counters.increment(stage, Metrics.FAILED);
        ErrorAction action = errors.decide(f);
        switch (action) {
            case SKIP -> counters.increment(stage, Metrics.SKIPPED);
            case DEAD_LETTER -> {
                if (!hasDeadLetterSink) {
                    throw new SuppressRestartsException(new IllegalStateException(
                            "stage '" + stage + "': the error policy chose dead-letter but the pipeline has"
                                    + " no dead_letter sink; record failed with: " + f.message(),
                            f.error()));
                }
                deadLetters.accept(HostedPlugins.deadLetter(record, f, pipeline, clock.instant(), redactor));
            }
            case ABORT ->
                throw new SuppressRestartsException(new IllegalStateException(
                        "stage '" + stage + "' (" + plugin + "): " + f.errorClass() + ": " + f.message() + " [record "
                                + abbreviate(record) + "]",
                        f.error()));
        }
    }

    private static String abbreviate(Record r) {
        String s = r.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
