package io.dataflare.engine.runtime;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.policy.ErrorAction;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.RuntimeSettings;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRole;
import io.dataflare.engine.state.StateLock;
import io.dataflare.engine.state.StateLockedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a validated pipeline: creates the plugin instances, runs each stage instance on its own
 * thread joined by bounded queues, and reports state and counters. Control it from any thread with
 * {@link #pause()}, {@link #resume()}, {@link #stop()} (drain, then STOPPED) and {@link #cancel()}
 * (interrupt now); wait for the end with {@link #await()}.
 *
 * <p>A finite pipeline is COMPLETED only after every source is exhausted and every record has been
 * written by a sink (or dead-lettered or skipped), and every sink has been flushed.
 */
public final class PipelineRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);
    private static final String DEAD_LETTER_STAGE = "dead_letter";
    private static final long PROGRESS_MS = 500;

    private volatile PipelinePlan plan;
    private final RunEnvironment env;
    private final AtomicReference<PipelineState> state = new AtomicReference<>(PipelineState.CREATED);
    private final CompletableFuture<PipelineResult> completion = new CompletableFuture<>();
    private final List<PipelineListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, StageStats> stats = new LinkedHashMap<>();
    private final Map<String, String> plugins = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, StageBinding> bindings = new HashMap<>();
    private final Map<String, Channel> inputs = new HashMap<>();
    private final RunCounters counters = new RunCounters();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> created = new ArrayList<>();
    private final AtomicInteger live = new AtomicInteger();
    /** Guards the sources' gate: pause, stop, and parking for checkpoints. */
    private final Object gate = new Object();
    private final List<SourceWorker> sourceWorkers = new ArrayList<>();
    private final InFlight inFlight = new InFlight();
    private final RunOptions options;
    private final RunMetrics metrics;
    private Checkpoint restoreFrom;
    private StateLock stateLock;
    private CheckpointCoordinator checkpoints;
    private boolean parkRequested;
    private int parked;
    private int activeSources;
    private volatile boolean yield;
    private volatile boolean paused;
    private volatile boolean stopRequested;
    private volatile boolean cancelled;
    private volatile String failure;
    private volatile long startNanos;
    private volatile long endNanos;
    private Channel deadLetterInput;
    private ScheduledFuture<?> ticker;

    /** A run of {@code plan} without checkpoints; call {@link #start()}. */
    public PipelineRun(PipelinePlan plan, RunEnvironment env) {
        this(plan, env, RunOptions.NONE);
    }

    /** A run of {@code plan}; call {@link #start()}. */
    public PipelineRun(PipelinePlan plan, RunEnvironment env, RunOptions options) {
        this.plan = plan;
        this.env = env;
        this.options = options;
        this.metrics = new RunMetrics(env.meters());
    }

    /** The checkpoint this run resumed from, or null. */
    public Checkpoint resumedFrom() {
        return restoreFrom;
    }

    /** The pipeline's name. */
    public String name() {
        return plan.name();
    }

    /** The plan being run (after a version switch, with the stage's new component). */
    public PipelinePlan plan() {
        return plan;
    }

    /** The current state. */
    public PipelineState state() {
        return state.get();
    }

    /** Why the run failed, or null. */
    public String failure() {
        return failure;
    }

    /** Adds a listener of state changes and progress. */
    public void addListener(PipelineListener listener) {
        listeners.add(listener);
    }

    /** Removes a listener. */
    public void removeListener(PipelineListener listener) {
        listeners.remove(listener);
    }

    /**
     * Creates the plugin instances (READY) and starts the stage threads (RUNNING). If an instance cannot
     * be created the run ends FAILED at once, with the reason in {@link #failure()}.
     *
     * <p>With checkpoints, the run first takes the exclusive lock on its state, then loads the checkpoint
     * to resume from (or discards it). It refuses, staying CREATED and changing nothing, when another run
     * holds the lock or the checkpoint was written by a pipeline whose sources or sinks differ.
     *
     * @throws StateLockedException        when another run of the pipeline holds its state
     * @throws CheckpointMismatchException when the checkpoint does not fit this pipeline
     */
    public synchronized PipelineRun start() {
        if (state.get() != PipelineState.CREATED) throw new IllegalStateException("run already started: " + state.get());
        if (options.checkpoints() != null) claimState();
        List<Worker> workers;
        try {
            workers = build();
        } catch (Exception e) {
            for (AutoCloseable c : created) closeQuietly(c);
            releaseState();
            failure = e.getMessage();
            // The failure is the run's result, which callers report (the CLI's summary, a task's error):
            // logged at info (with the cause), so that it is not printed twice.
            LOG.info("pipeline '{}' could not start: {}", plan.name(), plan.definition().redactor().redact(failure), e.getCause());
            startNanos = endNanos = System.nanoTime();
            transition(PipelineState.FAILED);
            completion.complete(result());
            return this;
        }
        transition(PipelineState.READY);
        startNanos = System.nanoTime();
        live.set(workers.size());
        for (Worker w : workers) {
            threads.add(Thread.ofPlatform().name("df-" + plan.name() + "-" + w.stage + "-" + w.instance).daemon(true).unstarted(w));
        }
        transition(PipelineState.RUNNING);
        for (int i = threads.size() - 1; i >= 0; i--) threads.get(i).start(); // sinks first
        created.clear(); // only needed to clean up a failed start; holding them would pin switched-out plugin versions
        ticker = env.scheduler().scheduleAtFixedRate(this::progress, PROGRESS_MS, PROGRESS_MS, TimeUnit.MILLISECONDS);
        if (checkpoints != null) checkpoints.start();
        return this;
    }

    /** Locks the run's state, then finds the checkpoint to resume from (or discards it). */
    private void claimState() {
        String key = options.key();
        stateLock = options.checkpoints().store().lock(key, owner());
        try {
            if (options.resume()) {
                restoreFrom = options.checkpoints().load(key).orElse(null);
                if (restoreFrom != null) ResumeCheck.verify(restoreFrom, plan, options.checkpoints().store().describe());
            } else {
                options.checkpoints().delete(key);
            }
        } catch (RuntimeException e) {
            restoreFrom = null;
            releaseState();
            throw e;
        }
    }

    /** How this run describes itself to one refused by its lock. */
    private String owner() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return "process " + ProcessHandle.current().pid() + " on " + host + " since " + env.clock().instant()
                + ", running pipeline " + ResumeCheck.origin(plan);
    }

    private void releaseState() {
        StateLock l = stateLock;
        stateLock = null;
        if (l != null) l.close();
    }

    private List<Worker> build() throws Exception {
        RuntimeSettings rt = plan.definition().runtime();
        int producers = 0;
        for (StagePlan s : plan.stages()) producers += s.instances();
        if (plan.deadLetter() != null) deadLetterInput = new SharedChannel(rt.queueBatches(), 1, producers, inFlight);

        for (StagePlan s : plan.stages()) {
            stats.put(s.name(), new StageStats());
            plugins.put(s.name(), s.component().pluginLabel());
            if (s.role() == StageRole.SOURCE) continue;
            int upstream = 0;
            for (String f : s.definition().from()) upstream += plan.stage(f).instances();
            Channel in;
            if (s.instances() > 1 && s.routing() != null) {
                KeyRouter router = create(s.routing().router(), KeyRouter.class, s.name(), 0, 1);
                in = new RoutedChannel(rt.queueBatches(), s.instances(), upstream, router, s.routing().keyField(), inFlight);
            } else {
                in = new SharedChannel(rt.queueBatches() * s.instances(), s.instances(), upstream, inFlight);
            }
            inputs.put(s.name(), in);
        }

        Map<String, Channel> sinkInputs = new LinkedHashMap<>();
        for (StagePlan s : plan.stages()) {
            if (s.role() == StageRole.SINK) sinkInputs.put(s.name(), inputs.get(s.name()));
        }
        if (deadLetterInput != null) sinkInputs.put(DEAD_LETTER_STAGE, deadLetterInput);
        if (options.checkpoints() != null) {
            checkpoints = new CheckpointCoordinator(this, options.checkpoints(), options.key(), ResumeCheck.origin(plan),
                    ResumeCheck.fingerprint(plan), rt.checkpointIntervalMs(),
                    restoreFrom == null ? 1 : restoreFrom.id() + 1, sourceWorkers, sinkInputs, inFlight, env.clock());
        }

        List<Worker> workers = new ArrayList<>();
        for (StagePlan s : plan.stages()) {
            StageStats st = stats.get(s.name());
            List<Channel> down = new ArrayList<>();
            for (String d : s.downstream()) down.add(inputs.get(d));
            for (int i = 0; i < s.instances(); i++) {
                FailureHandler fh = failureHandler(s.name(), s.component(), i, s.instances(), st, errorPolicy(s.name(), i, s.instances()));
                workers.add(switch (s.role()) {
                    case SOURCE -> {
                        Source source = create(s.component(), Source.class, s.name(), i, 1);
                        Map<String, Object> position = restoreFrom == null ? null : restoreFrom.sources().get(s.name());
                        if (position != null) restore(s.name(), () -> source.seek(position));
                        SourceWorker w = new SourceWorker(this, s.name(), st, fh, source, new Emitter(down, st), deadLetterInput,
                                rt.batchSize(), rt.maxWaitMs(), position);
                        sourceWorkers.add(w);
                        yield w;
                    }
                    case PROCESSOR -> new ProcessorWorker(this, s.name(), i, st, fh,
                            create(s.component(), Processor.class, s.name(), i, s.instances()),
                            bindings.computeIfAbsent(s.name(), k -> new StageBinding(k, s.instances())), inputs.get(s.name()),
                            new Emitter(down, st), deadLetterInput, inFlight);
                    case SINK -> new SinkWorker(this, s.name(), st, fh, restoredSink(s.name(), create(s.component(), Sink.class, s.name(), i, 1)),
                            inputs.get(s.name()), deadLetterInput, null, inFlight, checkpoints);
                });
            }
            metrics.stage(plan.name(), s.name(), s.component().pluginLabel(), st, inputs.get(s.name()));
        }
        if (plan.deadLetter() != null) {
            StageStats st = new StageStats();
            stats.put(DEAD_LETTER_STAGE, st);
            plugins.put(DEAD_LETTER_STAGE, plan.deadLetter().pluginLabel());
            // The dead-letter sink has nowhere to send its own failures: they fail the pipeline.
            ErrorPolicy abort = f -> ErrorAction.ABORT;
            FailureHandler fh = failureHandler(DEAD_LETTER_STAGE, plan.deadLetter(), 0, 1, st, abort);
            workers.add(new SinkWorker(this, DEAD_LETTER_STAGE, st, fh,
                    restoredSink(DEAD_LETTER_STAGE, create(plan.deadLetter(), Sink.class, DEAD_LETTER_STAGE, 0, 1)),
                    deadLetterInput, null, counters.deadLettered, inFlight, checkpoints));
            metrics.stage(plan.name(), DEAD_LETTER_STAGE, plan.deadLetter().pluginLabel(), st, deadLetterInput);
        }
        metrics.pipeline(plan.name(), counters);
        activeSources = sourceWorkers.size();
        if (restoreFrom != null) {
            LOG.info("pipeline '{}' resumes from checkpoint {} of {}", plan.name(), restoreFrom.id(), restoreFrom.createdAt());
        }
        return workers;
    }

    /** A step of going back to the checkpoint. */
    private interface RestoreStep {
        void run() throws Exception;
    }

    private void restore(String stage, RestoreStep step) throws Exception {
        try {
            step.run();
        } catch (Exception e) {
            throw new Exception("stage '" + stage + "' cannot resume from checkpoint " + restoreFrom.id() + ": "
                    + ErrorClassifier.message(e) + " (run with --from-start to start over)", e);
        }
    }

    private Sink restoredSink(String stage, Sink sink) throws Exception {
        Map<String, Object> state = restoreFrom == null ? null : restoreFrom.sinks().get(stage);
        if (state != null) restore(stage, () -> sink.restore(state));
        return sink;
    }

    private FailureHandler failureHandler(String stage, ComponentPlan component, int instance, int instances, StageStats st,
                                          ErrorPolicy errors) throws Exception {
        RetryPolicy retry = plan.retry() == null ? RetryPolicy.none() : create(plan.retry(), RetryPolicy.class, stage, instance, instances);
        return new FailureHandler(retry, errors, deadLetterInput, counters, st, plan.name(), stage, component.pluginLabel(), env.clock(),
                plan.definition().redactor());
    }

    private ErrorPolicy errorPolicy(String stage, int instance, int instances) throws Exception {
        if (plan.errorPolicy() == null) return f -> ErrorAction.ABORT;
        return create(plan.errorPolicy(), ErrorPolicy.class, stage, instance, instances);
    }

    private <T> T create(ComponentPlan c, Class<T> type, String stage, int instance, int instances) throws Exception {
        T o = instantiate(c, type, stage, instance, instances);
        if (o instanceof AutoCloseable ac && c.component().factory().kind() != ComponentKind.KEY_ROUTER) created.add(ac);
        return o;
    }

    private <T> T instantiate(ComponentPlan c, Class<T> type, String stage, int instance, int instances) throws Exception {
        StageContext ctx = new StageContext(c.config(), plan.name(), stage, instance, instances, plan.definition().baseDir(),
                env.clock(), c.component().plugin().manifest().getPluginId(), c.pluginLabel(), env.meters());
        Object o;
        try {
            o = c.component().factory().create(ctx);
        } catch (Exception | LinkageError e) {
            throw new Exception("stage '" + stage + "': " + c.describe() + " could not start: " + ErrorClassifier.message(e), e);
        }
        if (!type.isInstance(o)) {
            throw new Exception("stage '" + stage + "': " + c.describe() + " created a " + (o == null ? "null" : o.getClass().getName())
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(o);
    }

    /**
     * Switches processor stage {@code stage} to {@code component} (another version of its plugin) while
     * the run goes on: one new instance per worker is created now, and each worker adopts its instance at
     * its next batch boundary (the batch in flight finishes on the old version), then closes the old one.
     * The returned future completes when every worker switched or ended.
     *
     * @throws Exception when the new instances cannot be created (nothing changes then)
     * @throws IllegalArgumentException when the stage is not a processor of this run
     * @throws IllegalStateException when the run has ended
     */
    public CompletableFuture<SwitchResult> rebind(String stage, ComponentPlan component) throws Exception {
        StagePlan sp = plan.stage(stage);
        StageBinding binding = bindings.get(stage);
        if (sp == null || sp.role() != StageRole.PROCESSOR || binding == null) {
            throw new IllegalArgumentException("'" + stage + "' is not a processor stage of pipeline '" + plan.name() + "'");
        }
        if (state.get().isTerminal()) throw new IllegalStateException("pipeline '" + plan.name() + "' has ended");
        Processor[] next = new Processor[sp.instances()];
        try {
            for (int i = 0; i < next.length; i++) next[i] = instantiate(component, Processor.class, stage, i, next.length);
        } catch (Exception e) {
            for (Processor p : next) {
                if (p != null) closeQuietly(p);
            }
            throw e;
        }
        synchronized (this) {
            String from = plugins.get(stage);
            List<StagePlan> stages = new ArrayList<>();
            for (StagePlan s : plan.stages()) {
                stages.add(s.name().equals(stage) ? new StagePlan(s.definition(), component, s.instances(), s.routing(), s.downstream()) : s);
            }
            plan = new PipelinePlan(plan.definition(), stages, plan.retry(), plan.errorPolicy(), plan.deadLetter());
            plugins.put(stage, component.pluginLabel());
            return binding.publish(next, from, component.pluginLabel()).done;
        }
    }

    /** Stops reading from sources until {@link #resume()}; batches already in flight still complete. */
    public void pause() {
        synchronized (gate) {
            if (state.compareAndSet(PipelineState.RUNNING, PipelineState.PAUSED)) {
                paused = true;
                fire(PipelineState.RUNNING, PipelineState.PAUSED);
            }
        }
    }

    /** Resumes a paused run. */
    public void resume() {
        synchronized (gate) {
            if (state.compareAndSet(PipelineState.PAUSED, PipelineState.RUNNING)) {
                paused = false;
                gate.notifyAll();
                fire(PipelineState.PAUSED, PipelineState.RUNNING);
            }
        }
    }

    /** Stops reading from sources; what was read drains to the sinks, which are flushed; then STOPPED. */
    public void stop() {
        stopRequested = true;
        yield = true;
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    /** Interrupts every stage now (in-flight records are not delivered); then STOPPED. */
    public void cancel() {
        stopRequested = true;
        cancelAll();
    }

    /** Waits for the end of the run. */
    public PipelineResult await() throws InterruptedException {
        try {
            return completion.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits at most {@code timeout} for the end of the run. */
    public PipelineResult await(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return completion.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Completes with the result when the run ends. */
    public CompletableFuture<PipelineResult> completion() {
        return completion;
    }

    /** The counters now. */
    public StatsSnapshot stats() {
        long in = 0, out = 0, filtered = 0, derived = 0, retries = 0, errors = 0, timeouts = 0;
        List<StageSnapshot> stages = new ArrayList<>();
        for (Map.Entry<String, StageStats> e : stats.entrySet()) {
            String name = e.getKey();
            StagePlan sp = plan.stage(name);
            StageStats s = e.getValue();
            String role = sp == null ? "dead_letter" : sp.role().label();
            Channel input = sp == null ? deadLetterInput : inputs.get(name);
            StageSnapshot snap = s.snapshot(name, role, plugins.get(name), sp == null ? 1 : sp.instances(), input == null ? 0 : input.queued());
            stages.add(snap);
            if (sp != null && sp.role() == StageRole.SOURCE) in += snap.recordsIn();
            if (sp != null && sp.role() == StageRole.SINK) out += snap.recordsOut();
            filtered += snap.filtered();
            derived += snap.derived();
            retries += snap.retries();
            errors += snap.errors();
            timeouts += snap.timeouts();
        }
        long end = endNanos != 0 ? endNanos : System.nanoTime();
        long duration = startNanos == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(end - startNanos);
        return new StatsSnapshot(in, out, counters.deadLettered.sum(), counters.skipped.sum() + filtered, filtered, derived,
                retries, errors, timeouts, duration, stages);
    }

    /**
     * Where a source waits between batches: returns false when the run stops; blocks while the run is
     * paused or a checkpoint has parked the sources.
     */
    boolean sourceGate(SourceWorker w) throws InterruptedException {
        synchronized (gate) {
            while (true) {
                if (stopRequested || cancelled) return false;
                if (parkRequested) {
                    if (!w.parked) {
                        w.parked = true;
                        parked++;
                        gate.notifyAll();
                    }
                } else if (!paused) {
                    return true;
                }
                gate.wait();
            }
        }
    }

    /** A source worker ended (exhausted, stopped or failed): it no longer needs parking. */
    void sourceFinished(SourceWorker w) {
        synchronized (gate) {
            activeSources--;
            if (w.parked) parked--;
            w.parked = false;
            gate.notifyAll();
        }
    }

    /** Asks every source to stop at its next batch boundary. */
    void parkSources() {
        synchronized (gate) {
            parkRequested = true;
            yield = true;
            gate.notifyAll();
        }
    }

    /** Waits until every active source is parked; false on stop, cancel or deadline. */
    boolean awaitSourcesParked(long deadlineNanos) throws InterruptedException {
        synchronized (gate) {
            while (parked < activeSources) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || stopRequested || cancelled) return false;
                gate.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        }
    }

    /** Lets parked sources go on. */
    void releaseSources() {
        synchronized (gate) {
            parkRequested = false;
            parked = 0;
            for (SourceWorker w : sourceWorkers) w.parked = false;
            yield = stopRequested || paused;
            gate.notifyAll();
        }
    }

    /** Whether a source should end its batch early (stop, pause or checkpoint pending). */
    boolean shouldYield() {
        return yield || paused || cancelled;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** A stage failed: the first failure is the run's; every other stage is interrupted. */
    void fail(String stage, Throwable t) {
        String why = t instanceof AbortException ? t.getMessage()
                : "stage '" + stage + "' failed: " + ErrorClassifier.message(t);
        synchronized (this) {
            if (failure == null) {
                failure = why;
                // Reported with the result (see start()); the stack trace is for DATAFLARE_LOG_LEVEL=info.
                LOG.info("pipeline '{}' failed: {}", plan.name(), plan.definition().redactor().redact(why), t instanceof AbortException ? null : t);
            }
        }
        cancelAll();
    }

    private void cancelAll() {
        cancelled = true;
        synchronized (gate) {
            gate.notifyAll();
        }
        for (Thread t : threads) {
            if (t != Thread.currentThread()) t.interrupt();
        }
    }

    void workerExited() {
        if (live.decrementAndGet() == 0) finish();
    }

    private void finish() {
        endNanos = System.nanoTime();
        if (ticker != null) ticker.cancel(false);
        PipelineState end = failure != null ? PipelineState.FAILED
                : stopRequested || cancelled ? PipelineState.STOPPED : PipelineState.COMPLETED;
        if (checkpoints != null) {
            checkpoints.stop();
            if (end == PipelineState.COMPLETED) checkpoints.completed();
            else if (end == PipelineState.STOPPED && !cancelled) checkpoints.finalCheckpoint();
        }
        releaseState();
        PipelineResult r = result(end);
        transition(end);
        for (PipelineListener l : listeners) {
            try {
                l.onProgress(this, r.stats());
            } catch (RuntimeException e) {
                LOG.warn("listener failed", e);
            }
        }
        completion.complete(r);
    }

    private PipelineResult result() {
        return result(state.get());
    }

    private PipelineResult result(PipelineState end) {
        return new PipelineResult(plan.name(), end, stats(), failure == null ? null : plan.definition().redactor().redact(failure));
    }

    private void progress() {
        if (listeners.isEmpty()) return;
        StatsSnapshot s = stats();
        for (PipelineListener l : listeners) {
            try {
                l.onProgress(this, s);
            } catch (RuntimeException e) {
                LOG.warn("listener failed", e);
            }
        }
    }

    private void transition(PipelineState to) {
        PipelineState from = state.getAndSet(to);
        if (from != to) fire(from, to);
    }

    private void fire(PipelineState from, PipelineState to) {
        for (PipelineListener l : listeners) {
            try {
                l.onStateChange(this, from, to);
            } catch (RuntimeException e) {
                LOG.warn("listener failed", e);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }

    /** Cancels the run if it is still going, waits for it, and removes its metrics. */
    @Override
    public void close() throws InterruptedException {
        if (!state.get().isTerminal() && state.get() != PipelineState.CREATED) {
            cancel();
            await();
        }
        metrics.remove();
    }
}
