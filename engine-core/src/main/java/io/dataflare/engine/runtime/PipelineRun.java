package io.dataflare.engine.runtime;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRef;
import io.dataflare.engine.pipeline.StageRole;
import io.dataflare.engine.runtime.scale.ElasticStatus;
import io.dataflare.engine.runtime.scale.KeyGroupHandOver;
import io.dataflare.engine.runtime.scale.ParallelismChange;
import io.dataflare.engine.runtime.scale.RescaleEvent;
import io.dataflare.engine.state.StateLock;
import io.dataflare.engine.state.StateLockedException;
import io.dataflare.engine.state.keyed.RunStates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * One run of a validated pipeline, made by the engine ({@code Engine.prepare} / {@code Engine.start}): the
 * {@link StageAssembler} creates the plugin instances and the workers, each stage instance runs on its own
 * thread joined by bounded queues, and the run reports state and counters. Control it from any thread with
 * {@link #pause()}, {@link #resume()}, {@link #stop()} (drain, then STOPPED) and {@link #cancel()}
 * (interrupt now), which act on its sources through the {@link SourceGate}; wait for the end with
 * {@link #await()}.
 *
 * <p>A finite pipeline is COMPLETED only after every source is exhausted and every record has been
 * written by a sink (or dead-lettered or skipped), and every sink has been flushed.
 *
 * <p>A run leases the plugin versions its plan uses from the moment it is made until it ends, its start is
 * refused, or it is closed without having started.
 */
public final class PipelineRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);
    private static final long PROGRESS_MS = 500;

    private volatile PipelinePlan plan;
    private final RunEnvironment env;
    private final AtomicReference<PipelineState> state = new AtomicReference<>(PipelineState.CREATED);
    private final CompletableFuture<PipelineResult> completion = new CompletableFuture<>();
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private final List<PipelineListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, StageStats> stats = new LinkedHashMap<>();
    private final Map<String, String> plugins = new ConcurrentHashMap<>();
    private final RunCounters counters = new RunCounters();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger live = new AtomicInteger();
    private final SourceGate gate = new SourceGate(state, this::fire);
    private final InFlight inFlight = new InFlight();
    private final RunBarrier barrier = new RunBarrier(gate, inFlight);
    private final List<SwitchResult> switches = new CopyOnWriteArrayList<>();
    private final StageAssembler assembler;
    private final RunOptions options;
    private final RunMetrics metrics;
    private volatile StageAssembler.Stages stages;
    private Checkpoint restoreFrom;
    private StateLock stateLock;
    private volatile String failure;
    private volatile long startNanos;
    private volatile long endNanos;
    private ScheduledFuture<?> ticker;
    private volatile ScheduledFuture<?> idleWatch;
    private final List<ScheduledFuture<?>> scalers = new CopyOnWriteArrayList<>();
    private volatile KeyGroupHandOver handOver = KeyGroupHandOver.NONE;

    /** A run of {@code plan}; call {@link #start()}. Made by the engine only, which leases its plugins. */
    PipelineRun(PipelinePlan plan, RunEnvironment env, RunOptions options) {
        this.plan = plan;
        this.env = env;
        this.options = options;
        this.metrics = new RunMetrics(env.meters());
        this.assembler = new StageAssembler(
                this, plan.definition(), env, gate, barrier, counters, inFlight, metrics, stats, plugins);
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
     * holds the lock or the checkpoint was written by a pipeline whose sources or sinks differ. A refused
     * run lets go of its plugins and cannot be started again: prepare another.
     *
     * @throws StateLockedException        when another run of the pipeline holds its state
     * @throws CheckpointMismatchException when the checkpoint does not fit this pipeline
     * @throws IllegalStateException       when the run was started, refused or closed before
     */
    public synchronized PipelineRun start() {
        if (state.get() != PipelineState.CREATED)
            throw new IllegalStateException("run already started: " + state.get());
        if (released.isDone())
            throw new IllegalStateException("run of '" + plan.name() + "' was refused or closed: prepare another");
        if (options.checkpoints() != null) {
            try {
                claimState();
            } catch (RuntimeException e) {
                released.complete(null);
                throw e;
            }
        }
        StageAssembler.Stages built;
        try {
            built = assembler.assemble(plan, options, restoreFrom);
        } catch (Exception e) {
            releaseState();
            failure = e.getMessage();
            // The failure is the run's result, which callers report (the CLI's summary, a task's error):
            // logged at info (with the cause), so that it is not printed twice.
            LOG.info(
                    "pipeline '{}' could not start: {}",
                    plan.name(),
                    plan.definition().redactor().redact(failure),
                    e.getCause());
            startNanos = endNanos = System.nanoTime();
            transition(PipelineState.FAILED);
            released.complete(null); // before the result: whoever awaits it finds the plugins let go
            completion.complete(result());
            return this;
        }
        stages = built;
        transition(PipelineState.READY);
        startNanos = System.nanoTime();
        live.set(built.workers().size());
        for (Worker w : built.workers()) {
            threads.add(Thread.ofPlatform()
                    .name("df-" + plan.name() + "-" + w.stage + "-" + w.instance)
                    .daemon(true)
                    .unstarted(w));
        }
        transition(PipelineState.RUNNING);
        for (int i = threads.size() - 1; i >= 0; i--) threads.get(i).start(); // sinks first
        ticker = env.scheduler().scheduleAtFixedRate(this::progress, PROGRESS_MS, PROGRESS_MS, TimeUnit.MILLISECONDS);
        if (built.checkpoints() != null) built.checkpoints().start();
        for (ElasticStage e : assembler.elasticStages().values()) {
            long every = e.spec().autoscale().checkIntervalMs();
            scalers.add(env.scheduler().scheduleAtFixedRate(e::tick, every, every, TimeUnit.MILLISECONDS));
        }
        long idleMs = plan.definition().runtime().stopWhenIdleMs();
        if (idleMs > 0) {
            IdleWatch watch = new IdleWatch(idleMs, this::sourceActivity, () -> !inFlight.idle(), gate);
            long tick = Math.max(10, Math.min(idleMs / 4, 250));
            idleWatch = env.scheduler().scheduleAtFixedRate(watch::check, tick, tick, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Locks the run's state, then finds the checkpoint to resume from (or discards it). */
    private void claimState() {
        String key = options.key();
        stateLock = options.checkpoints().store().lock(key, owner());
        try {
            if (options.resume()) {
                restoreFrom = options.checkpoints().load(key).orElse(null);
                if (restoreFrom != null)
                    ResumeCheck.verify(
                            restoreFrom, plan, options.checkpoints().store().describe());
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
        return "process " + ProcessHandle.current().pid() + " on " + HostName.local() + " since "
                + env.clock().instant() + ", running pipeline " + ResumeCheck.origin(plan);
    }

    private void releaseState() {
        StateLock l = stateLock;
        stateLock = null;
        if (l != null) l.close();
    }

    /**
     * Completes when the run lets go of its plugins: it ended, its start was refused, or it was closed
     * without having started.
     */
    CompletableFuture<Void> released() {
        return released;
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
    CompletableFuture<SwitchResult> rebind(String stage, ComponentPlan component) throws Exception {
        StagePlan sp = plan.stage(stage);
        StageAssembler.Stages built = stages;
        StageBinding binding = built == null ? null : built.bindings().get(stage);
        if (sp == null || sp.role() != StageRole.PROCESSOR || binding == null) {
            throw new IllegalArgumentException(
                    "'" + stage + "' is not a processor stage of pipeline '" + plan.name() + "'");
        }
        if (state.get().isTerminal()) throw new IllegalStateException("pipeline '" + plan.name() + "' has ended");
        Processor[] next = new Processor[sp.instances()];
        try {
            for (int i = 0; i < next.length; i++)
                next[i] = assembler.instantiate(component, Processor.class, stage, i, next.length);
        } catch (Exception e) {
            for (Processor p : next) {
                if (p != null) StageAssembler.closeQuietly(p);
            }
            throw e;
        }
        CompletableFuture<SwitchResult> done;
        synchronized (this) {
            String from = plugins.get(stage);
            List<StagePlan> stagePlans = new ArrayList<>();
            for (StagePlan s : plan.stages()) {
                stagePlans.add(
                        s.name().equals(stage)
                                ? new StagePlan(s.definition(), component, s.instances(), s.routing(), s.downstream())
                                : s);
            }
            plan = new PipelinePlan(plan.definition(), stagePlans, plan.retry(), plan.errorPolicy(), plan.deadLetter());
            plugins.put(stage, component.pluginLabel());
            done = binding.publish(next, from, component.pluginLabel()).done;
        }
        return done.thenApply(r -> {
            if (r.adopted() > 0) switched(r);
            return r;
        });
    }

    /**
     * Switches sources, sinks and policies to other versions of their plugins at one barrier (see
     * {@link BarrierSwitch}), on a thread of its own: the returned future completes with one outcome per change
     * once the run went on. The run's plan, its stages' plugins and later checkpoints follow the changes that
     * took; the others leave the old version serving.
     *
     * @throws IllegalStateException when the run is not running
     */
    CompletableFuture<List<BarrierSwitch.Outcome>> switchAtBarrier(List<BarrierSwitch.Change> changes) {
        StageAssembler.Stages built = stages;
        if (built == null || state.get().isTerminal())
            throw new IllegalStateException("pipeline '" + plan.name() + "' is not running");
        CompletableFuture<List<BarrierSwitch.Outcome>> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("df-" + plan.name() + "-switch").start(() -> {
            try {
                List<BarrierSwitch.Outcome> outcomes =
                        new BarrierSwitch(this, assembler, built, gate, barrier).apply(changes, c -> adopt(c, built));
                for (BarrierSwitch.Outcome o : outcomes) {
                    if (!o.switched()) continue;
                    switched(new SwitchResult(
                            o.slot().stage(),
                            o.from(),
                            o.to(),
                            1,
                            o.pauseNanos(),
                            o.slot().kind().label()));
                }
                done.complete(outcomes);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    /** The plan, the stage's plugin and the checkpoints' fingerprint now name the component {@code c} switched to. */
    private synchronized void adopt(BarrierSwitch.Change c, StageAssembler.Stages built) {
        ComponentSlot slot = c.slot();
        plan = slot.with(plan, c.next());
        if (slot.kind() == ComponentKind.SOURCE || slot.kind() == ComponentKind.SINK) {
            plugins.put(slot.stage(), c.next().pluginLabel());
            if (built.checkpoints() != null) built.checkpoints().fingerprint(ResumeCheck.fingerprint(plan));
        }
    }

    /**
     * Sets what moves the state of key groups between the instances of an elastic stage when it rescales
     * (nothing by default).
     */
    public void keyGroupHandOver(KeyGroupHandOver handOver) {
        this.handOver = handOver == null ? KeyGroupHandOver.NONE : handOver;
    }

    /** The hook set by {@link #keyGroupHandOver(KeyGroupHandOver)}, else the run's keyed state moving groups. */
    KeyGroupHandOver keyGroupHandOver() {
        KeyGroupHandOver h = handOver;
        if (h != KeyGroupHandOver.NONE) return h;
        RunStates states = assembler.states();
        return states == null ? h : states::move;
    }

    /** The elastic processor stages now (empty when the pipeline has none or has not started). */
    public List<ElasticStatus> elasticStages() {
        List<ElasticStatus> out = new ArrayList<>();
        for (ElasticStage e : assembler.elasticStages().values()) out.add(e.status());
        return out;
    }

    /**
     * Changes an elastic stage's parallelism on the running pipeline (see {@link ParallelismChange}); a change of
     * instances happens at a barrier, waiting until it is done.
     *
     * @return the rescale, or null when the instances stay as they are
     * @throws IllegalArgumentException when the stage does not exist or a value is out of range (the message
     *                                  names it)
     * @throws RescaleRefusedException  when the stage has a fixed parallelism, the run is not running, or the
     *                                  run did not reach a quiet point
     */
    public RescaleEvent parallelism(String stage, ParallelismChange change) throws InterruptedException {
        StagePlan sp = plan.stage(stage);
        if (sp == null || sp.role() != StageRole.PROCESSOR)
            throw new IllegalArgumentException(
                    "'" + stage + "' is not a processor stage of pipeline '" + plan.name() + "'");
        ElasticStage e = assembler.elasticStages().get(stage);
        if (e == null)
            throw new RescaleRefusedException("processor '" + stage + "' has a fixed parallelism of " + sp.instances()
                    + ": declare parallelism: {min, max} to change it while it runs");
        if (state.get() != PipelineState.RUNNING && state.get() != PipelineState.PAUSED)
            throw new RescaleRefusedException("pipeline '" + plan.name() + "' is " + state.get() + ", not running");
        return e.change(change);
    }

    /** A checkpoint was saved: the listeners hear of it. */
    void checkpointed(long id, java.time.Instant at) {
        for (PipelineListener l : listeners) {
            try {
                l.onCheckpoint(this, id, at);
            } catch (RuntimeException ex) {
                LOG.warn("listener failed", ex);
            }
        }
    }

    /** An elastic stage rescaled: metrics and listeners. */
    void rescaled(RescaleEvent e) {
        metrics.rescaled(plan.name(), e);
        for (PipelineListener l : listeners) {
            try {
                l.onRescale(this, e);
            } catch (RuntimeException ex) {
                LOG.warn("listener failed", ex);
            }
        }
    }

    /** A budget holds the run back, or no longer does: metrics (when reached) and listeners. */
    void budget(BudgetEvent e) {
        if (e.hit()) metrics.budgetHit(plan.name(), e);
        for (PipelineListener l : listeners) {
            try {
                l.onBudget(this, e);
            } catch (RuntimeException ex) {
                LOG.warn("listener failed", ex);
            }
        }
    }

    /** Keeps a switch for {@link #switches()} and the run's metrics. */
    private void switched(SwitchResult r) {
        switches.add(r);
        metrics.switched(plan.name(), r.stage(), r.kind(), r.maxPauseNanos());
    }

    /** The version switches of this run so far, in the order they took effect. */
    public List<SwitchResult> switches() {
        return List.copyOf(switches);
    }

    /** Stops reading from sources until {@link #resume()}; batches already in flight still complete. */
    public void pause() {
        gate.pause();
    }

    /** Resumes a paused run. */
    public void resume() {
        gate.resume();
    }

    /** Stops reading from sources; what was read drains to the sinks, which are flushed; then STOPPED. */
    public void stop() {
        gate.stop();
    }

    /** Interrupts every stage now (in-flight records are not delivered); then STOPPED. */
    public void cancel() {
        gate.stop();
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

    /**
     * Puts {@code records} into the input of stage {@code stage} of this running (or paused) run, as if its upstream
     * had sent them: dead letters fed back after a fix. They flow on from there; records that fail again go to the
     * error policy as any other. Blocks while the stage's queue is full, and while a checkpoint, rescale or version
     * switch holds the run's barrier (so none of them sees half of them). They count as {@code derived}: they enter
     * the run without a source read, like a processor's extra records, so the counters stay balanced. A checkpoint
     * does not cover them: after a crash they are not delivered again.
     *
     * @throws IllegalArgumentException when the run has no such stage, or it is a source
     * @throws IllegalStateException    when the run is not running or paused, or the stage's input has ended
     */
    public void inject(String stage, List<Record> records) throws InterruptedException {
        StagePlan sp = plan.stage(stage);
        if (sp == null)
            throw new IllegalArgumentException("pipeline '" + plan.name() + "' has no stage '" + stage + "'");
        if (sp.role() == StageRole.SOURCE)
            throw new IllegalArgumentException("'" + stage + "' is a source: records cannot be put back into it");
        barrier.enter();
        try {
            PipelineState s = state();
            StageAssembler.Stages built = stages;
            Channel in = built == null ? null : built.inputs().get(stage);
            // joining as one more producer keeps the stage's end of input behind these records
            if ((s != PipelineState.RUNNING && s != PipelineState.PAUSED) || in == null || !in.join())
                throw new IllegalStateException("run of pipeline '" + plan.name() + "' is " + s
                        + (in != null && s == PipelineState.RUNNING ? " but stage '" + stage + "' has ended" : "")
                        + ": it takes no records");
            try {
                int size = Math.max(1, plan.definition().runtime().batchSize());
                StageStats st = stats.get(stage);
                for (int i = 0; i < records.size(); i += size) {
                    List<Record> part = records.subList(i, Math.min(records.size(), i + size));
                    st.derived.add(part.size());
                    in.send(RecordBatch.of(part), System.nanoTime()); // their latency counts from now
                }
            } finally {
                in.producerDone();
            }
        } finally {
            barrier.release();
        }
    }

    /** The counters now. */
    public StatsSnapshot stats() {
        long in = 0, out = 0, filtered = 0, derived = 0, retries = 0, errors = 0, timeouts = 0;
        StageAssembler.Stages built = stages;
        List<StageSnapshot> stageSnapshots = new ArrayList<>();
        for (Map.Entry<String, StageStats> e : stats.entrySet()) {
            String name = e.getKey();
            StagePlan sp = plan.stage(name);
            StageStats s = e.getValue();
            String role =
                    sp == null ? StageAssembler.DEAD_LETTER_STAGE : sp.role().label();
            Channel input = built == null
                    ? null
                    : sp == null ? built.deadLetterInput() : built.inputs().get(name);
            ElasticStage elastic = assembler.elasticStages().get(name);
            int instances = sp == null ? 1 : elastic != null ? elastic.instances() : sp.instances();
            StageSnapshot snap =
                    s.snapshot(name, role, plugins.get(name), instances, input == null ? 0 : input.queued());
            stageSnapshots.add(snap);
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
        return new StatsSnapshot(
                in,
                out,
                counters.deadLettered.sum(),
                counters.skipped.sum() + filtered,
                filtered,
                derived,
                retries,
                errors,
                timeouts,
                duration,
                stageSnapshots,
                edges(built),
                counters.latency.snapshot());
    }

    /** Each edge of the graph with its queue: the downstream stage's input, which all its upstreams share. */
    private List<EdgeSnapshot> edges(StageAssembler.Stages built) {
        List<EdgeSnapshot> edges = new ArrayList<>();
        for (StagePlan sp : plan.stages()) {
            if (sp.role() == StageRole.SOURCE) continue;
            Channel input = built == null ? null : built.inputs().get(sp.name());
            Set<String> upstream = new LinkedHashSet<>();
            for (String f : sp.definition().from())
                upstream.add(StageRef.of(f, n -> plan.stage(n) != null).stage());
            for (String u : upstream) {
                edges.add(new EdgeSnapshot(
                        u, sp.name(), input == null ? 0 : input.queued(), input == null ? 0 : input.capacity()));
            }
        }
        return edges;
    }

    /** What the sources produced so far (records and rejected input): the idle watch sees it move. */
    private long sourceActivity() {
        long n = counters.deadLettered.sum() + counters.skipped.sum();
        for (Map.Entry<String, StageStats> e : stats.entrySet()) {
            StagePlan sp = plan.stage(e.getKey());
            if (sp != null && sp.role() == StageRole.SOURCE) n += e.getValue().recordsIn();
        }
        return n;
    }

    /** Whether the sources ended because their input did (not a stop, idle stop or cancel): a bounded run's end. */
    boolean inputExhausted() {
        return !gate.cancelled() && !gate.stopRequested() && !gate.idleStop();
    }

    boolean isCancelled() {
        return gate.cancelled();
    }

    /** A stage failed: the first failure is the run's; every other stage is interrupted. */
    void fail(String stage, Throwable t) {
        String why = t instanceof AbortException
                ? t.getMessage()
                : "stage '" + stage + "' failed: " + ErrorClassifier.message(t);
        synchronized (this) {
            if (failure == null) {
                failure = why;
                // Reported with the result (see start()); the stack trace is for DATAFLARE_LOG_LEVEL=info.
                LOG.info(
                        "pipeline '{}' failed: {}",
                        plan.name(),
                        plan.definition().redactor().redact(why),
                        t instanceof AbortException ? null : t);
            }
        }
        cancelAll();
    }

    private void cancelAll() {
        gate.cancel();
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
        for (ScheduledFuture<?> f : scalers) f.cancel(false);
        ScheduledFuture<?> watch = idleWatch;
        if (watch != null) watch.cancel(false);
        boolean cancelled = gate.cancelled();
        boolean idle = gate.idleStop() && !cancelled;
        PipelineState end = failure != null
                ? PipelineState.FAILED
                : idle
                        ? PipelineState.COMPLETED
                        : gate.stopRequested() || cancelled ? PipelineState.STOPPED : PipelineState.COMPLETED;
        CheckpointCoordinator checkpoints = stages.checkpoints();
        if (checkpoints != null) {
            checkpoints.stop();
            // The final checkpoint was saved when the sinks finished (see CheckpointCoordinator.finalState).
            // An idle stop ends an unbounded source that has not ended: keep where it got to, as a stop does.
            if (end == PipelineState.COMPLETED && !idle) checkpoints.completed();
        }
        if (assembler.states() != null) assembler.states().close();
        releaseState();
        // Every worker has exited: nothing sends into a routed channel any more.
        for (Channel in : stages.inputs().values()) {
            if (in instanceof RoutedChannel routed) routed.closeRouter();
        }
        PipelineResult r = result(end);
        transition(end);
        for (PipelineListener l : listeners) {
            try {
                l.onProgress(this, r.stats());
            } catch (RuntimeException e) {
                LOG.warn("listener failed", e);
            }
        }
        released.complete(null); // before the result: whoever awaits it finds the plugins let go
        completion.complete(r);
    }

    private PipelineResult result() {
        return result(state.get());
    }

    private PipelineResult result(PipelineState end) {
        return new PipelineResult(
                plan.name(),
                end,
                stats(),
                failure == null ? null : plan.definition().redactor().redact(failure),
                List.copyOf(switches));
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

    /**
     * Cancels the run if it is still going, waits for it, and removes its metrics. A run closed before it
     * started lets go of its plugins and cannot be started any more.
     */
    @Override
    public void close() throws InterruptedException {
        if (!state.get().isTerminal() && state.get() != PipelineState.CREATED) {
            cancel();
            await();
        }
        released.complete(null);
        metrics.remove();
    }
}
