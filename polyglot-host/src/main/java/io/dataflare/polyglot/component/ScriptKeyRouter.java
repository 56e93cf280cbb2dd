package io.dataflare.polyglot.component;

import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.RoutingLoad;
import io.dataflare.json.RecordJson;
import io.dataflare.polyglot.session.ScriptSession;

/**
 * A script key router: {@code route(key, instances)} returns the instance (0 to {@code instances - 1}) for a
 * record's routing key (the value of {@code policies.routing.key}, or the record key). Upstream workers call a
 * router from several threads and a context is single-threaded, so calls take turns. A router that fails or
 * returns no valid instance throws a {@link PluginException} naming the plugin: the pipeline fails with it and
 * keeps its last checkpoint.
 */
public final class ScriptKeyRouter implements KeyRouter, AutoCloseable {
    private final ScriptSession session;

    public ScriptKeyRouter(ScriptSession session) {
        this.session = session;
    }

    @Override
    public synchronized int route(Object key, RoutingLoad load) {
        int n = load.instances();
        Object r = session.call(
                "route",
                v -> v.isNumber() && v.fitsInInt() ? (Object) v.asInt() : String.valueOf(v),
                new ScriptSession.Json(RecordJson.toJson(key)),
                n);
        if (r instanceof Integer i && i >= 0 && i < n) return i;
        throw new PluginException(
                ErrorClass.PLUGIN_ERROR,
                session.label() + ": route(key, instances) returned " + r + " for key " + key + "; it must return an"
                        + " instance from 0 to " + (n - 1));
    }

    @Override
    public void close() {
        session.close();
    }
}
