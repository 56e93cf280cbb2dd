package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.policy.ErrorAction;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.engine.config.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry and error policies of one worker instance (thread-confined). Decides whether a failed
 * attempt is retried (and sleeps the delay), and where a record that failed for good goes: skipped,
 * collected for the dead-letter sink (sent once per batch by {@link #flush()}), or the pipeline aborts.
 * A version switch of a policy replaces it while the run is quiet at a barrier, from another thread.
 */
final class FailureHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
    private volatile RetryPolicy retry;
    private volatile ErrorPolicy errors;
    private final Channel deadLetters;
    private final RunCounters counters;
    private final StageStats stats;
    private final String pipeline;
    private final String stage;
    private String plugin;
    private final Clock clock;
    private final Redactor redactor;
    private RecordBatch.Builder pending;

    FailureHandler(
            RetryPolicy retry,
            ErrorPolicy errors,
            Channel deadLetters,
            RunCounters counters,
            StageStats stats,
            String pipeline,
            String stage,
            String plugin,
            Clock clock,
            Redactor redactor) {
        this.retry = retry;
        this.errors = errors;
        this.deadLetters = deadLetters;
        this.counters = counters;
        this.stats = stats;
        this.pipeline = pipeline;
        this.stage = stage;
        this.plugin = plugin;
        this.clock = clock;
        this.redactor = redactor;
    }

    /** The plugin is now {@code label} (a version switch): later failures name it. */
    void plugin(String label) {
        this.plugin = label;
    }

    /** Switches to {@code next} (another version of the retry policy); returns the one replaced. */
    RetryPolicy retry(RetryPolicy next) {
        RetryPolicy old = retry;
        retry = next;
        return old;
    }

    /** Switches to {@code next} (another version of the error policy); returns the one replaced. */
    ErrorPolicy errors(ErrorPolicy next) {
        ErrorPolicy old = errors;
        errors = next;
        return old;
    }

    /**
     * The failure of attempt number {@code attempts} that threw {@code t}. A call that overran its time
     * limit is counted and logged here, whatever happens to it next: a timeout is never silent.
     */
    Failure failure(Throwable t, int attempts) {
        Failure f = new Failure(ErrorClassifier.classify(t), ErrorClassifier.message(t), t, attempts, stage, plugin);
        if (ErrorClass.TIMEOUT.equals(f.errorClass())) {
            stats.timeouts.increment();
            HostedPlugins.logTimeout(LOG, pipeline, f, redactor);
        }
        return f;
    }

    /** A record left unprocessed because the plugin failed like {@code cause} on the records before it. */
    Failure notProcessed(Failure cause, int hungAfter) {
        return HostedPlugins.notProcessed(cause, hungAfter);
    }

    /** A batch failed for good: its records are tried one by one, which the log says (it is slow and has a reason). */
    void isolating(int records, Failure f) {
        LOG.info(
                "pipeline '{}', stage '{}' ({}): a batch of {} records failed ({}: {}); processing them one at a time"
                        + " so that only failing records go to the error policy",
                pipeline,
                stage,
                plugin,
                records,
                f.errorClass(),
                redactor.redact(f.message()));
    }

    /**
     * Counts a failed attempt; returns true (after sleeping the delay) when the retry policy wants
     * another attempt. Invalid records are never retried.
     */
    boolean retryAfter(Failure f) throws InterruptedException {
        stats.errors.increment();
        if (ErrorClass.INVALID_RECORD.equals(f.errorClass())) return false;
        Optional<Duration> delay = retry.nextDelay(f);
        if (delay.isEmpty()) return false;
        stats.retries.increment();
        long ms = delay.get().toMillis();
        if (ms > 0) Thread.sleep(ms);
        return true;
    }

    /** Hands each rejection of {@code batch} to the error policy. */
    void rejected(List<Rejection> rejections) throws InterruptedException {
        for (Rejection r : rejections) {
            fail(r.record(), new Failure(r.errorClass(), r.reason(), r.cause(), 1, stage, plugin));
        }
    }

    /** A record failed for good: applies the error policy. */
    void fail(Record record, Failure f) throws InterruptedException {
        stats.failed.increment();
        ErrorAction action = errors.decide(f);
        switch (action) {
            case SKIP -> counters.skipped.increment();
            case DEAD_LETTER -> {
                if (deadLetters == null) {
                    throw new AbortException(
                            "stage '" + stage + "': the error policy chose dead-letter but the pipeline has"
                                    + " no dead_letter sink; record failed with: " + f.message(),
                            f.error());
                }
                if (pending == null) pending = RecordBatch.builder(16);
                pending.add(DeadLetters.of(record, f, pipeline, clock.instant(), redactor));
            }
            case ABORT ->
                throw new AbortException(
                        "stage '" + stage + "' (" + plugin + "): " + f.errorClass() + ": " + f.message() + " [record "
                                + abbreviate(record) + "]",
                        f.error());
        }
    }

    /** Sends the dead letters collected since the last flush. */
    void flush() throws InterruptedException {
        if (pending != null && pending.size() > 0) {
            RecordBatch b = pending.build();
            pending = null;
            deadLetters.send(b);
        }
    }

    private static String abbreviate(Record r) {
        String s = r.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
