package io.dataflare.polyglot.component;

import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.policy.ErrorAction;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.Failure;
import io.dataflare.polyglot.session.ScriptSession;
import java.util.Locale;

/**
 * A script error policy: {@code route(failure)} returns {@code "skip"}, {@code "dead-letter"} or
 * {@code "abort"}. A policy that fails (throws, times out, returns something else) throws a {@link
 * PluginException} naming the plugin: the pipeline fails with it and keeps its last checkpoint, so the record
 * is not lost.
 */
public final class ScriptErrorPolicy implements ErrorPolicy, AutoCloseable {
    private final ScriptSession session;

    public ScriptErrorPolicy(ScriptSession session) {
        this.session = session;
    }

    @Override
    public ErrorAction decide(Failure failure) {
        String action = session.call(
                "route",
                v -> v.isString() ? v.asString() : String.valueOf(v),
                new ScriptSession.Json(ComponentJson.failure(failure)));
        return switch (action.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "skip" -> ErrorAction.SKIP;
            case "dead-letter" -> ErrorAction.DEAD_LETTER;
            case "abort" -> ErrorAction.ABORT;
            default ->
                throw new PluginException(
                        ErrorClass.PLUGIN_ERROR,
                        session.label() + ": route(failure) returned '" + action
                                + "'; it must return skip, dead-letter or abort");
        };
    }

    @Override
    public void close() {
        session.close();
    }
}
