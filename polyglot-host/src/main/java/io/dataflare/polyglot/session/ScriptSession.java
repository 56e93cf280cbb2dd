package io.dataflare.polyglot.session;

import io.dataflare.api.PluginContext;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.polyglot.runtime.LanguageRuntime;
import io.dataflare.polyglot.runtime.ScriptLanguage;
import io.dataflare.polyglot.sandbox.GuestConsole;
import io.dataflare.polyglot.sandbox.GuestFailures;
import io.dataflare.polyglot.sandbox.SandboxSettings;
import io.dataflare.polyglot.sandbox.Watchdog;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * One instance of a script source, sink or policy: its own sandboxed context, in which the host calls the
 * script's functions one at a time ({@code poll}, {@code write}, {@code decide}...). Each call is timed by
 * {@code timeout_ms} and limited like a processor's batch; a call that fails throws a {@link PluginException}
 * naming the plugin and leaves {@code ctx.state} as it was. A failure that cost the context (cancelled, a
 * statement limit) drops it: the next call starts a new one, and {@link #generation()} tells the caller so
 * (a source then opens and seeks again). Records and other structured values cross as JSON text the guest
 * parses ({@link Json}); what comes back is read with {@link GuestValues}.
 */
public final class ScriptSession implements AutoCloseable {
    /** An argument handed to the guest as the value of this JSON text. */
    public record Json(String text) {}

    /** An argument handed to the guest as the array of these records' JSON text, kept for {@code ctx.reject}. */
    public record Batch(String json) {}

    private final ScriptLanguage language;
    private final LanguageRuntime runtime;
    private final Source source;
    private final String label;
    private final SandboxSettings sandbox;
    private final InstanceState state;
    private final boolean wantsState;
    private final GuestConsole console;
    private final HostFunctions functions;
    private final ProxyObject api;
    private final Runnable onClose;
    private final Map<String, Value> bound = new HashMap<>();
    private final Map<String, Boolean> takesCtx = new HashMap<>();
    private volatile Rejector rejector = (i, reason) -> {
        throw new IllegalStateException("ctx.reject is for a sink's write(batch, ctx) and processors");
    };
    private volatile Context context;
    private Value driver;
    private Value exports;
    private Value ctxValue;
    private int generation;
    private volatile boolean closed;

    /**
     * @param label      {@code language plugin id@version}, for messages
     * @param configJson the stage's config minus the sandbox keys, as JSON
     * @param eager      start the context now (sources, sinks: a broken script fails the run before it starts);
     *                   else on the first call (policies, which may never be called)
     * @throws PluginException when the script does not evaluate
     */
    public ScriptSession(
            LanguageRuntime runtime,
            Source source,
            String label,
            PluginContext ctx,
            String configJson,
            boolean wantsState,
            GuestConsole console,
            boolean eager,
            Runnable onClose) {
        this.language = runtime.language();
        this.runtime = runtime;
        this.source = source;
        this.label = label;
        this.sandbox = SandboxSettings.from(ctx.config());
        this.wantsState = wantsState;
        this.state = wantsState ? InstanceState.of(ctx) : null;
        this.console = console;
        this.functions = new HostFunctions(ctx, Duration.ofMillis(sandbox.timeoutMs()));
        this.api = HostApi.create(ctx, configJson, state, null, (i, r) -> rejector.reject(i, r), functions, label);
        this.onClose = onClose;
        if (eager) open();
    }

    /** {@code language plugin id@version}. */
    public String label() {
        return label;
    }

    /** How many contexts this session has started: a caller whose script keeps state re-initialises it when it grows. */
    public int generation() {
        if (context == null && !closed) open();
        return generation;
    }

    /** Where {@code ctx.reject(record, reason)} sends the record at an index of the {@link Batch} in hand. */
    public void rejector(Rejector r) {
        this.rejector = r;
    }

    /** Whether the script defines the function {@code name}. */
    public boolean has(String name) {
        if (context == null) open();
        return function(name) != null;
    }

    /**
     * Calls the script's function {@code name} with {@code args} (and {@code ctx} as a last argument when the
     * function takes it), under the call's limits, and converts its result with {@code result} (in the call:
     * guest values are only readable while the context lives).
     *
     * @throws PluginException naming the plugin when the script has no such function, throws, times out or
     *                         hits a limit
     */
    public <T> T call(String name, Function<Value, T> result, Object... args) {
        if (closed) throw new PluginException(ErrorClass.PLUGIN_ERROR, label + " was unloaded");
        if (context == null) open();
        Context c = context;
        Value fn = function(name);
        if (fn == null) throw new PluginException(ErrorClass.PLUGIN_ERROR, label + " defines no " + name + "()");
        if (sandbox.statementLimit() > 0) c.resetLimits();
        Watchdog.Guard guard = runtime.watchdog().arm(c, sandbox.timeoutMs(), sandbox.allocLimitBytes());
        boolean batch = false;
        try {
            Object[] a = new Object[args.length + (takesCtx(name, fn, args.length) ? 1 : 0)];
            for (int i = 0; i < args.length; i++) {
                Object v = args[i];
                if (v instanceof Json j) v = driver.getMember("parse").execute(j.text());
                else if (v instanceof Batch b) {
                    v = driver.getMember("batch").execute(b.json());
                    batch = true;
                }
                a[i] = v;
            }
            if (a.length > args.length) a[args.length] = ctxValue;
            T out = result.apply(fn.execute(a));
            if (batch) driver.getMember("endBatch").executeVoid();
            guard.close();
            if (state != null) state.commit();
            if (guard.cancelledContext()) discard();
            return out;
        } catch (RuntimeException e) {
            guard.close();
            if (state != null) state.rollback();
            PluginException failure =
                    e instanceof PluginException pe && !guard.fired() ? pe : GuestFailures.of(label, e, guard);
            if (GuestFailures.contextLost(e, guard)) discard();
            else if (batch) endBatchQuietly();
            throw failure;
        } finally {
            console.endOfCall();
        }
    }

    /** Makes what the script appended through {@code ctx.files} durable. */
    public void syncFiles() throws IOException {
        functions.sync();
    }

    private void endBatchQuietly() {
        try {
            driver.getMember("endBatch").executeVoid();
        } catch (RuntimeException ignored) {
            // the next batch replaces it anyway
        }
    }

    private Value function(String name) {
        Value f = bound.get(name);
        if (f == null && !bound.containsKey(name)) {
            Value m = language == ScriptLanguage.PYTHON
                    ? driver.getMember("function").execute(name) // the bindings also hold the builtins
                    : exports.hasMember(name) ? exports.getMember(name) : null;
            f = m != null && m.canExecute() ? m : null;
            bound.put(name, f);
        }
        return f;
    }

    /** JavaScript ignores extra arguments; a Python function gets {@code ctx} only when it has a parameter for it. */
    private boolean takesCtx(String name, Value fn, int args) {
        if (language == ScriptLanguage.JAVASCRIPT) return true;
        return takesCtx.computeIfAbsent(name, k -> {
            Value code = fn.hasMember("__code__") ? fn.getMember("__code__") : null;
            if (code == null) return false;
            return code.getMember("co_argcount").asInt() > args
                    || (code.getMember("co_flags").asInt() & 0x04) != 0;
        });
    }

    private void open() {
        if (closed) throw new PluginException(ErrorClass.PLUGIN_ERROR, label + " was unloaded");
        Context c = runtime.newContext(sandbox, console.out(), console.err());
        Watchdog.Guard guard = runtime.watchdog().arm(c, sandbox.initTimeoutMs(), sandbox.allocLimitBytes());
        try {
            Value d = language.evalDriver(c, runtime.driver());
            Value e = language.evalPlugin(c, source);
            Value x = d.getMember("context").execute(api, wantsState);
            guard.close();
            driver = d;
            exports = e;
            ctxValue = x;
        } catch (RuntimeException e) {
            guard.close();
            closeQuietly(c);
            throw GuestFailures.of(label, e, guard);
        } finally {
            console.endOfCall();
        }
        bound.clear();
        takesCtx.clear();
        generation++;
        context = c;
    }

    /** Drops the context: the next call starts a new one (and {@link #generation()} grows). */
    public void reset() {
        discard();
    }

    private void discard() {
        Context c = context;
        context = null;
        if (c != null) closeQuietly(c);
    }

    private static void closeQuietly(Context c) {
        try {
            c.close(true);
        } catch (RuntimeException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Context c = context;
        context = null;
        if (c != null) closeQuietly(c); // may come from another thread (plugin unload) while a call runs
        console.close();
        functions.close();
        onClose.run();
    }
}
