package io.dataflare.polyglot.runtime;

import io.dataflare.polyglot.sandbox.GuestOutput;
import io.dataflare.polyglot.sandbox.SandboxSettings;
import io.dataflare.polyglot.sandbox.Watchdog;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scripts of one language share within a host: one GraalVM {@link Engine} (its code cache means
 * a script is parsed and compiled once for all its contexts), created on first use only, so a host whose
 * language no pipeline uses costs nothing (this matters for Python: seconds and hundreds of MB), and the
 * {@link Watchdog} that enforces per-call time limits. Contexts are {@link SandboxPolicy#CONSTRAINED}.
 */
public final class LanguageRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LanguageRuntime.class);

    private final ScriptLanguage language;
    private final Watchdog watchdog;
    private volatile Engine engine;
    private volatile Source driver;
    private volatile Source warmUpDriver;
    private final LongAdder contexts = new LongAdder();
    private final KeptContexts kept = new KeptContexts();
    private boolean closed;

    public LanguageRuntime(ScriptLanguage language) {
        this.language = language;
        this.watchdog = new Watchdog("df-" + language.graalId() + "-watchdog");
    }

    public ScriptLanguage language() {
        return language;
    }

    public Watchdog watchdog() {
        return watchdog;
    }

    /** The shared engine, created on first call. */
    public Engine engine() {
        Engine e = engine;
        if (e != null) return e;
        synchronized (this) {
            if (closed) throw new IllegalStateException("the " + language.pluginLanguage() + " host is closed");
            if (engine == null)
                engine = shared() ? SHARED.computeIfAbsent(language, LanguageRuntime::build) : build(language);
            return engine;
        }
    }

    /**
     * A long-lived JVM that runs one command after another (the CLI's daemon) keeps each language's engine for all
     * of them: a script's second run reuses its parsed and compiled code instead of starting the language again.
     */
    public static final String SHARED_ENGINES_PROPERTY = "dataflare.polyglot.shared-engines";

    private static final Map<ScriptLanguage, Engine> SHARED = new ConcurrentHashMap<>();
    private static final HostAccess BATCH_ARRAYS =
            HostAccess.newBuilder(HostAccess.CONSTRAINED).allowArrayAccess(true).build();

    private static boolean shared() {
        return Boolean.getBoolean(SHARED_ENGINES_PROPERTY);
    }

    private static Engine build(ScriptLanguage language) {
        long t0 = System.nanoTime();
        OutputStream log = GuestOutput.toLogger(LoggerFactory.getLogger("dataflare.polyglot." + language.graalId()));
        Engine built = Engine.newBuilder(language.graalId())
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(log)
                .err(log)
                // we say which mode runs ourselves (mode()), once, instead of GraalVM's warning per engine
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        LOG.info(
                "{} scripts: {}; engine ready in {} ms",
                language.pluginLanguage(),
                JitMode.describe(built),
                (System.nanoTime() - t0) / 1_000_000);
        return built;
    }

    /** Contexts kept for the next run of their stage instance (see {@link ScriptLanguage#keepsContexts()}). */
    public KeptContexts keptContexts() {
        return kept;
    }

    /** Whether the engine exists yet (tests check that Python stays unloaded). */
    public boolean started() {
        return engine != null;
    }

    /** How many contexts were created (tests: what listing or loading a script costs). */
    public long contextsCreated() {
        return contexts.sum();
    }

    /** The guest side of the batch loop (parsed once per engine thanks to the code cache). */
    public Source driver() {
        Source d = driver;
        if (d == null) driver = d = language.driver();
        return d;
    }

    /** The driver's copy for warming contexts up (see {@link ScriptLanguage#warmUpDriver()}). */
    public Source warmUpDriver() {
        Source d = warmUpDriver;
        if (d == null) warmUpDriver = d = language.warmUpDriver();
        return d;
    }

    /**
     * A new sandboxed context: no host class lookup or host object access beyond proxies, no file, socket,
     * process, thread, native or environment access, output to {@code out}/{@code err}.
     */
    public Context newContext(SandboxSettings sandbox, OutputStream out, OutputStream err) {
        contexts.increment();
        Context.Builder b = Context.newBuilder(language.graalId())
                .engine(engine())
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(out)
                .err(err)
                .in(java.io.InputStream.nullInputStream())
                .allowIO(IOAccess.NONE)
                .allowCreateProcess(false)
                .allowCreateThread(false)
                .allowNativeAccess(false) // and no allowHostClassLookup: JavaScript then has no `Java` global at all
                // the batch loop's host arrays (records in, results out) are read and written in place; the guest
                // reaches no host array it is not handed, and no host object's methods or fields
                .allowHostAccess(BATCH_ARRAYS);
        if (language == ScriptLanguage.JAVASCRIPT) b.option("js.esm-eval-returns-exports", "true");
        if (sandbox.statementLimit() > 0) {
            b.resourceLimits(ResourceLimits.newBuilder()
                    .statementLimit(sandbox.statementLimit(), null)
                    .build());
        }
        return b.build();
    }

    /** What runs guest code: {@code JIT (GraalVM CE)} or {@code interpreter}; starts the engine. */
    public String mode() {
        return JitMode.describe(engine());
    }

    @Override
    public void close() {
        Engine e;
        synchronized (this) {
            closed = true;
            e = engine;
            engine = null;
        }
        kept.close();
        watchdog.close();
        if (e != null && SHARED.get(language) != e) {
            try {
                e.close(true);
            } catch (RuntimeException ex) {
                LOG.debug("closing the {} engine failed", language.graalId(), ex);
            }
        }
    }
}
