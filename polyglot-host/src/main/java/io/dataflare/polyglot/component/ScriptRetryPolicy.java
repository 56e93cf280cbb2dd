package io.dataflare.polyglot.component;

import io.dataflare.api.error.PluginException;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.polyglot.session.ScriptSession;
import java.time.Duration;
import java.util.Optional;

/**
 * A script retry policy: {@code decide(failure)} returns the milliseconds to wait before the next attempt, or
 * null / None / a negative number to give up. A policy that fails (throws, loops past its time limit, returns
 * something else) gives up on that failure, so the records go on to the error policy, and the log says why,
 * naming the plugin: a broken policy must not lose records nor retry forever.
 */
public final class ScriptRetryPolicy implements RetryPolicy, AutoCloseable {
    private final ScriptSession session;
    private final System.Logger log;

    public ScriptRetryPolicy(ScriptSession session, System.Logger log) {
        this.session = session;
        this.log = log;
    }

    @Override
    public Optional<Duration> nextDelay(Failure failure) {
        Object decision;
        try {
            decision = session.call(
                    "decide",
                    v -> v.isNull() ? null : v.isNumber() ? (Object) v.asDouble() : v.toString(),
                    new ScriptSession.Json(ComponentJson.failure(failure)));
        } catch (PluginException e) {
            log.log(System.Logger.Level.WARNING, "retry policy " + e.getMessage() + "; giving up on this failure");
            return Optional.empty();
        }
        if (decision == null) return Optional.empty();
        if (!(decision instanceof Double ms)) {
            log.log(
                    System.Logger.Level.WARNING,
                    "retry policy " + session.label() + ": decide(failure) returned '" + decision
                            + "', not a number of milliseconds or null; giving up on this failure");
            return Optional.empty();
        }
        return ms < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(Math.round(ms)));
    }

    @Override
    public void close() {
        session.close();
    }
}
