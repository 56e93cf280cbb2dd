package io.dataflare.polyglot.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.PluginContext;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import java.util.HashMap;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * What the driver builds a script's {@code ctx} from: the stage's config (JSON text the guest parses into
 * its own object), names, logging, per-key state when the manifest grants the {@code state} capability,
 * rejection of invalid records, and the host functions ({@code ctx.http}, {@code ctx.files}), each checked
 * against the stage's grants. Only proxies cross into the sandbox: no host object is reachable. Its functions
 * stop working when it is {@link Api#revoke() revoked}: a context kept for a stage's next run gets a new one, and
 * whatever the script hid of the old one (in {@code builtins}, say) must not act with the old run's state,
 * files or grants.
 */
final class HostApi {
    /** The {@code ctx} members, whose functions throw once revoked. */
    static final class Api implements ProxyObject {
        private final ProxyObject members;
        private volatile boolean revoked;

        private Api(Map<String, Object> members, String plugin) {
            members.replaceAll((name, v) -> v instanceof ProxyExecutable f
                    ? (ProxyExecutable) a -> {
                        if (revoked) {
                            throw new PluginException(
                                    ErrorClass.PLUGIN_ERROR,
                                    plugin + " called ctx." + name + " of an instance that has closed (kept from an"
                                            + " earlier run?): use the ctx of the current call");
                        }
                        return f.execute(a);
                    }
                    : v);
            this.members = ProxyObject.fromMap(members);
        }

        /** From now on every function throws. */
        void revoke() {
            revoked = true;
        }

        @Override
        public Object getMember(String key) {
            return members.getMember(key);
        }

        @Override
        public Object getMemberKeys() {
            return members.getMemberKeys();
        }

        @Override
        public boolean hasMember(String key) {
            return members.hasMember(key);
        }

        @Override
        public void putMember(String key, Value value) {
            members.putMember(key, value);
        }
    }

    private static final System.Logger.Level[] LEVELS = {
        System.Logger.Level.DEBUG, System.Logger.Level.INFO, System.Logger.Level.WARNING, System.Logger.Level.ERROR
    };

    private static final ObjectMapper JSON = new ObjectMapper();

    private HostApi() {}

    static Api create(
            PluginContext ctx,
            String configJson,
            InstanceState state,
            ScriptTimers timers,
            Rejector rejector,
            HostFunctions functions,
            String plugin) {
        Map<String, Object> m = new HashMap<>();
        m.put("config", configJson);
        m.put("pipeline", ctx.pipeline());
        m.put("stage", ctx.stage());
        m.put("instance", ctx.instance());
        System.Logger log = ctx.logger();
        m.put("log", (ProxyExecutable) a -> {
            log.log(LEVELS[Math.max(0, Math.min(3, a[0].asInt()))], a[1].asString());
            return null;
        });
        m.put("reject", (ProxyExecutable) a -> {
            rejector.reject(a[0].asInt(), a[1].asString());
            return null;
        });
        m.put("httpFetch", (ProxyExecutable) a -> functions.fetch(
                a[0].asString(),
                a[1].isNull() ? null : a[1].isString() ? parse(a[1].asString()) : GuestValues.toJava(a[1])));
        m.put("fileRead", (ProxyExecutable) a -> functions.read(a[0].asString()));
        m.put("fileAppend", (ProxyExecutable) a -> {
            functions.append(a[0].asString(), a[1].asString());
            return null;
        });
        m.put("fileSize", (ProxyExecutable) a -> functions.size(a[0].asString()));
        m.put("fileTruncate", (ProxyExecutable) a -> {
            functions.truncate(a[0].asString(), a[1].asLong());
            return null;
        });
        m.put("stateGet", (ProxyExecutable) a -> state(state, plugin).get(a[0].asString()));
        m.put("stateSet", (ProxyExecutable) a -> {
            state(state, plugin).set(a[0].asString(), RecordEncoder.json(GuestValues.toJava(a[1])));
            return null;
        });
        m.put("stateDelete", (ProxyExecutable) a -> {
            state(state, plugin).delete(a[0].asString());
            return null;
        });
        m.put("timerRegister", (ProxyExecutable) a -> {
            timers(timers, plugin).register(a[0].asString(), a[1].asString(), millis(a[2]));
            return null;
        });
        m.put("timerDelete", (ProxyExecutable) a -> {
            timers(timers, plugin).delete(a[0].asString(), a[1].asString(), millis(a[2]));
            return null;
        });
        m.put("timerNow", (ProxyExecutable) a -> timers(timers, plugin).now());
        m.put("timerWatermark", (ProxyExecutable) a -> timers(timers, plugin).watermark());
        m.put("timerAdvance", (ProxyExecutable) a -> {
            timers(timers, plugin).advance(millis(a[0]));
            return null;
        });
        return new Api(m, plugin);
    }

    /** A time from the guest: a JavaScript number is a double, so a whole one is taken as it is. */
    private static long millis(org.graalvm.polyglot.Value v) {
        if (v.fitsInLong()) return v.asLong();
        if (v.fitsInDouble()) return (long) v.asDouble();
        throw new IllegalArgumentException("a timer's time is a number of epoch milliseconds, got " + v);
    }

    private static ScriptTimers timers(ScriptTimers timers, String plugin) {
        if (timers == null) {
            throw new PluginException(
                    ErrorClass.PLUGIN_ERROR,
                    plugin + " uses ctx.timers, which only processors have, with the 'state' capability in their"
                            + " manifest");
        }
        return timers;
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ctx.http.fetch: the options are not JSON: " + e.getOriginalMessage());
        }
    }

    private static InstanceState state(InstanceState state, String plugin) {
        if (state == null) {
            throw new PluginException(
                    ErrorClass.PLUGIN_ERROR, plugin + " uses ctx.state without the 'state' capability in its manifest");
        }
        return state;
    }
}
