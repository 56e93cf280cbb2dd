package io.dataflare.polyglot.session;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.state.FiredTimer;
import io.dataflare.api.state.TimeDomain;
import io.dataflare.polyglot.runtime.KeptContexts;
import io.dataflare.polyglot.runtime.LanguageRuntime;
import io.dataflare.polyglot.runtime.ScriptLanguage;
import io.dataflare.polyglot.sandbox.GuestConsole;
import io.dataflare.polyglot.sandbox.GuestFailures;
import io.dataflare.polyglot.sandbox.SandboxSettings;
import io.dataflare.polyglot.sandbox.SwitchableOutput;
import io.dataflare.polyglot.sandbox.Watchdog;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One processor instance of a script: its own sandboxed context (a context is single-threaded, and one
 * instance's globals must not leak into another's), created when the instance is and kept for all its
 * batches. Starting a context (evaluating the driver and the script, binding its function, warming the batch
 * loop) is timed by the start-up limit, never by {@code timeout_ms}, which times each call on a batch only.
 * A call that fails throws a {@link PluginException} naming the plugin, for the engine's retry and error
 * policies, and leaves {@code ctx.state} as it was before the call; when the failure left the context
 * unusable (statement limit, cancelled, exit) the context is dropped and a new one is started for the next
 * batch. Python keeps a healthy context, when its instance closes, for the next run of the same stage instance
 * ({@link KeptContexts}); its {@code ctx} is revoked then, and the next instance gets a fresh module.
 */
public final class ScriptProcessor implements Processor {
    private final ScriptLanguage language;
    private final LanguageRuntime runtime;
    private final Source source;
    private final String label;
    private final SandboxSettings sandbox;
    private final boolean wantsState;
    private final InstanceState state;
    private final ScriptTimers timers;
    private final GuestConsole console;
    private final System.Logger log;
    private final String stage;
    private final BatchReceiver receiver;
    private final HostFunctions functions;
    private final HostApi.Api api;
    private final Runnable onClose;
    /** What the context is kept for when the instance closes (languages that keep contexts), else null. */
    private final KeptContexts.Key keepKey;

    private volatile Context context;
    private SwitchableOutput out;
    private SwitchableOutput err;
    private Value driver;
    /** Whether a call runs: a close from another thread (unload) then closes the context instead of keeping it. */
    private volatile boolean calling;

    private RecordHandOver handOver;
    private Value run;
    private Value fire;
    /** The warm-up copy of the driver (languages that warm up), the script's entry point kind, whether the context is warm. */
    private Value warm;

    private String kind;
    private boolean warmed;
    private volatile boolean closed;

    /**
     * Starts the instance: a new context that evaluates the driver and the script.
     *
     * @param label      {@code language plugin id@version}, for messages
     * @param configJson the stage's config minus the sandbox keys, as JSON
     * @param console    where the script's stdout and stderr go
     * @param onClose    told when the instance closes
     * @throws PluginException when the script does not evaluate or exports no entry point
     */
    public ScriptProcessor(
            LanguageRuntime runtime,
            Source source,
            String label,
            PluginContext ctx,
            String configJson,
            boolean wantsState,
            GuestConsole console,
            Runnable onClose) {
        this.language = runtime.language();
        this.receiver = new BatchReceiver(language == ScriptLanguage.PYTHON);
        this.runtime = runtime;
        this.source = source;
        this.label = label;
        this.sandbox = SandboxSettings.from(ctx.config());
        this.wantsState = wantsState;
        this.state = wantsState ? InstanceState.of(ctx) : null;
        this.timers = wantsState ? new ScriptTimers(ctx, label) : null;
        this.console = console;
        this.log = ctx.logger();
        this.stage = ctx.stage();
        this.functions = new HostFunctions(ctx, Duration.ofMillis(sandbox.timeoutMs()));
        this.api = HostApi.create(ctx, configJson, state, timers, receiver::reject, functions, label);
        this.onClose = onClose;
        this.keepKey = language.keepsContexts()
                ? new KeptContexts.Key(source, ctx.pipeline(), ctx.stage(), ctx.instance(), sandbox.statementLimit())
                : null;
        open();
    }

    /**
     * Starts the context, or takes back the one kept from the last run of this stage instance: the kept one has
     * its drivers and its warm batch loop, and gets its module emptied of what the script defined, the script
     * evaluated again and bound to this instance's {@code ctx}.
     */
    private void open() {
        long t0 = System.nanoTime();
        KeptScript kept =
                keepKey == null ? null : (KeptScript) runtime.keptContexts().take(keepKey);
        Context c;
        if (kept != null) {
            c = kept.context();
            out = kept.out();
            err = kept.err();
            out.switchTo(console.out());
            err.switchTo(console.err());
        } else {
            out = new SwitchableOutput(console.out());
            err = new SwitchableOutput(console.err());
            c = runtime.newContext(sandbox, out, err);
        }
        Watchdog.Guard guard = runtime.watchdog().arm(c, sandbox.initTimeoutMs(), sandbox.allocLimitBytes());
        try {
            Value driver;
            Value warmUp;
            if (kept == null) {
                driver = language.evalDriver(c, runtime.driver());
                // not under a statement limit: a context that hits it is cancelled, and a warm-up must never cost
                // one
                warmUp = language.warmsUp() && sandbox.statementLimit() == 0
                        ? language.evalDriver(c, runtime.warmUpDriver())
                        : null;
                if (keepKey != null) driver.getMember("keepGlobals").executeVoid();
            } else {
                driver = kept.driver();
                warmUp = kept.warmUp();
                driver.getMember("resetGlobals").executeVoid();
            }
            Value exports = language.evalPlugin(c, source);
            Value k = driver.getMember("bind").execute(exports, api, wantsState);
            if (k.isNull()) {
                throw new PluginException(
                        ErrorClass.PLUGIN_ERROR,
                        label + " defines none of process(batch, ctx), map(record),"
                                + " filter(record), flatMap(record)");
            }
            handOver = new RecordHandOver(driver);
            receiver.bind(driver);
            run = driver.getMember("run");
            fire = driver.getMember("timers");
            kind = k.asString();
            if (warmUp != null) {
                warmUp.getMember("bind").execute(exports, api, wantsState);
                receiver.bind(warmUp);
            }
            warm = warmUp;
            this.driver = driver;
            guard.close();
        } catch (RuntimeException e) {
            guard.close();
            close(c);
            throw e instanceof PluginException pe ? pe : GuestFailures.of(label, e, guard);
        }
        warmed = warm == null || kept != null;
        context = c;
        log.log(
                System.Logger.Level.DEBUG,
                () -> label + ": context " + (kept != null ? "taken back" : "started") + " in "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /** A context kept for the next run of its stage instance, with the drivers evaluated in it and its streams. */
    private record KeptScript(Context context, Value driver, Value warmUp, SwitchableOutput out, SwitchableOutput err)
            implements KeptContexts.Kept {}

    /**
     * Warms a new context's batch loop with the first records of its first batch (the types the script will
     * get), in the warm-up copy of the driver, before that batch's call is timed (see {@link ContextWarmup}). It
     * is start-up: under the start-up limits, and its failure does not fail the batch, whose own call decides.
     */
    private void warmUp(RecordBatch batch) {
        warmed = true;
        long t0 = System.nanoTime();
        Watchdog.Guard guard = runtime.watchdog().arm(context, sandbox.initTimeoutMs(), sandbox.allocLimitBytes());
        try {
            int rounds = ContextWarmup.run(warm, kind, batch, receiver, state);
            guard.close();
            log.log(
                    System.Logger.Level.DEBUG,
                    () -> label + ": batch loop warmed in " + (System.nanoTime() - t0) / 1_000_000 + " ms (" + rounds
                            + " rounds)");
        } catch (RuntimeException e) {
            guard.close();
            log.log(System.Logger.Level.DEBUG, label + ": warming the batch loop failed; the call goes on", e);
            if (GuestFailures.contextLost(e, guard)) {
                discard();
                open();
                warmed = true;
            }
        }
    }

    @Override
    public RecordBatch process(RecordBatch batch) {
        calling = true; // before the check: a close that does not see it sees closed here (both volatile)
        try {
            return processNow(batch);
        } finally {
            calling = false;
        }
    }

    private RecordBatch processNow(RecordBatch batch) {
        if (closed) throw new PluginException(ErrorClass.PLUGIN_ERROR, label + " was unloaded");
        if (batch.size() == 0) return batch;
        if (context == null) open(); // the last one hit a limit
        if (!warmed) warmUp(batch);
        Context c = context;
        if (sandbox.statementLimit() > 0) c.resetLimits();
        receiver.begin(batch);
        Watchdog.Guard guard = runtime.watchdog().arm(c, sandbox.timeoutMs(), sandbox.allocLimitBytes());
        try {
            handOver.add(batch, batch.size());
            run.executeVoid(receiver.emit, receiver.emitShape, receiver.keep, batch.size());
            guard.close();
        } catch (RuntimeException e) {
            guard.close();
            throw failed(e, guard);
        } finally {
            handOver.clear();
        }
        return succeeded(guard);
    }

    /**
     * Calls the script's {@code onTimer(timer, ctx)} ({@code on_timer} in Python) for each fired timer ({@code
     * {key, time, domain: 'processing' | 'event'}}); its records are emitted like {@code process}'s, and like a
     * batch the call is timed and transactional.
     */
    @Override
    public RecordBatch onTimers(List<FiredTimer> fired) {
        calling = true;
        try {
            return onTimersNow(fired);
        } finally {
            calling = false;
        }
    }

    private RecordBatch onTimersNow(List<FiredTimer> fired) {
        if (closed) throw new PluginException(ErrorClass.PLUGIN_ERROR, label + " was unloaded");
        if (context == null) open();
        Context c = context;
        if (sandbox.statementLimit() > 0) c.resetLimits();
        List<Map<String, Object>> json = new ArrayList<>(fired.size());
        for (FiredTimer f : fired) {
            json.add(Map.of(
                    "key",
                    f.key(),
                    "time",
                    f.time(),
                    "domain",
                    f.domain() == TimeDomain.PROCESSING_TIME ? "processing" : "event"));
        }
        receiver.begin(RecordBatch.EMPTY);
        Watchdog.Guard guard = runtime.watchdog().arm(c, sandbox.timeoutMs(), sandbox.allocLimitBytes());
        try {
            fire.executeVoid(receiver.emit, receiver.emitShape, receiver.keep, RecordEncoder.json(json));
            guard.close();
        } catch (RuntimeException e) {
            guard.close();
            throw failed(e, guard);
        }
        return succeeded(guard);
    }

    private PluginException failed(RuntimeException e, Watchdog.Guard guard) {
        receiver.abandon();
        if (state != null) state.rollback();
        if (timers != null) timers.rollback();
        console.endOfCall();
        PluginException failure = GuestFailures.of(label, e, guard);
        // A timeout is logged (and counted) by the engine, with the stage and the plugin, as for every host.
        if (GuestFailures.contextLost(e, guard)) discard();
        return failure;
    }

    private RecordBatch succeeded(Watchdog.Guard guard) {
        if (state != null) state.commit();
        if (timers != null) timers.commit();
        console.endOfCall();
        if (guard.cancelledContext()) discard();
        return receiver.finish();
    }

    private void discard() {
        Context c = context;
        context = null;
        if (c != null) close(c);
    }

    private static void close(Context c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            try {
                c.close(true); // a cancelled context throws on close(): cancel for good
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Context c = context;
        context = null;
        api.revoke();
        if (c != null && keepKey != null && !calling) {
            out.switchTo(OutputStream.nullOutputStream());
            err.switchTo(OutputStream.nullOutputStream());
            runtime.keptContexts().keep(keepKey, new KeptScript(c, driver, warm, out, err));
        } else if (c != null) {
            try {
                c.close(true); // may come from another thread (plugin unload) while a call runs
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
        console.close();
        functions.close();
        onClose.run();
    }
}
